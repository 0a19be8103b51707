package org.glasshouse.app.glasshouse;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glasshouse.app.glasshouse.Part.Kind;
import org.glasshouse.protocol.StepEntry;

/**
 * What a container's step log built, read off the entries alone: which walls its unshare calls
 * raised (or its setns calls joined), the root filesystem's kind, the hostname, the cgroup limits
 * written, the user, the capabilities, a seccomp filter — each with the step that made it. This is
 * enough to draw a container that is gone, and it is what a replay rebuilds stage by stage. Pure:
 * the same entries always give the same blueprint.
 */
public final class Blueprint {
  private static final Pattern PROC_NS = Pattern.compile("/proc/(\\d+)/(?:ns/|root)");
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern FILE_WRITE = Pattern.compile("\"(/[^\"]*)\", \"([^\"]*)\"");
  private static final Pattern EFFECTIVE = Pattern.compile("effective=0x([0-9a-fA-F]+)");

  private final List<StepEntry> entries;
  private final List<Stage> stages;
  private final Map<Part, StepEntry> firstBuilt;
  private final Map<NsType, StepEntry> raised = new EnumMap<>(NsType.class);
  private final Map<NsType, StepEntry> joined = new EnumMap<>(NsType.class);
  private final Map<String, String> cgroupWrites = new LinkedHashMap<>();
  private Boolean exec;
  private Integer masked;
  private Long joinedPid;
  private String hostname;
  private Long uid;
  private Long gid;
  private Long effectiveCaps;
  private boolean noNewPrivs;
  private boolean seccomp;
  private String rootKind = "host";
  private StepEntry failed;
  private StepEntry exit;

  /**
   * A run of consecutive entries of one step ({@code dev-nodes}: eleven calls): what a replay shows
   * in one beat and the build strip shows as one chip.
   *
   * @param index 0-based position among the stages
   * @param step the step's name
   * @param entries its entries, in order
   * @param parts what they build
   */
  public record Stage(int index, String step, List<StepEntry> entries, Set<Part> parts) {
    public int firstSeq() {
      return entries.get(0).seq();
    }

    public int lastSeq() {
      return entries.get(entries.size() - 1).seq();
    }

    /** Whether every entry succeeded. */
    public boolean ok() {
      return entries.stream().allMatch(StepEntry::ok);
    }
  }

  private Blueprint(List<StepEntry> entries) {
    this.entries = List.copyOf(entries);
    Map<Part, StepEntry> first = new LinkedHashMap<>();
    List<Stage> out = new ArrayList<>();
    List<StepEntry> run = new ArrayList<>();
    Set<Part> runParts = new LinkedHashSet<>();
    for (StepEntry e : this.entries) {
      if (!run.isEmpty() && !run.get(0).step().equals(e.step())) {
        out.add(new Stage(out.size(), run.get(0).step(), List.copyOf(run), Set.copyOf(runParts)));
        run.clear();
        runParts.clear();
      }
      run.add(e);
      Set<Part> parts = partsOf(e);
      runParts.addAll(parts);
      if (e.ok()) {
        parts.forEach(p -> first.putIfAbsent(p, e));
        learn(e);
      } else if (failed == null) {
        failed = e;
      }
    }
    if (!run.isEmpty()) {
      out.add(new Stage(out.size(), run.get(0).step(), List.copyOf(run), Set.copyOf(runParts)));
    }
    this.stages = List.copyOf(out);
    this.firstBuilt = first;
  }

  /** The blueprint of these entries (in log order). */
  public static Blueprint of(List<StepEntry> entries) {
    return new Blueprint(entries == null ? List.of() : entries);
  }

  /** The parts one entry builds (or, for a failed entry, would have built). */
  public static Set<Part> partsOf(StepEntry e) {
    Set<Part> out = new LinkedHashSet<>();
    String call = e.call() == null ? "" : e.call();
    switch (e.step() == null ? "" : e.step()) {
      case "container" -> out.add(Part.of(Kind.HOUSE));
      case "image" -> out.add(Part.of(Kind.ROOTFS, "image"));
      case "overlay" -> out.add(Part.of(Kind.ROOTFS, call.equals("mount") ? "overlay" : "upper"));
      case "chroot" -> out.add(Part.of(Kind.ROOTFS, "chroot"));
      case "bind-root" -> out.add(Part.of(Kind.ROOTFS, "bind"));
      case "pivot-root" -> out.add(Part.of(Kind.ROOTFS, "pivot"));
      case "pseudo-fs" -> out.add(Part.of(Kind.MOUNTS));
      case "dev-nodes" -> out.add(Part.of(Kind.DEVICES));
      case "masked-paths", "read-only-paths" -> out.add(Part.of(Kind.MASKED));
      case "namespaces", "exec-ns" -> NsType.inFlags(e.args()).forEach(t -> out.add(Part.wall(t)));
      case "exec-root" -> {
        NsType.inFlags(e.args()).forEach(t -> out.add(Part.wall(t)));
        if (call.equals("chroot")) {
          out.add(Part.of(Kind.ROOTFS, "join"));
        }
      }
      case "mount-ns" -> out.add(Part.wall(NsType.MNT));
      case "uts-ns" -> {
        out.add(Part.wall(NsType.UTS));
        out.add(Part.of(Kind.HOSTNAME));
      }
      case "cgroup-ns" -> out.add(Part.wall(NsType.CGROUP));
      case "cgroup-cpu" -> out.add(Part.of(Kind.CGROUP, "cpu"));
      case "cgroup-memory" -> out.add(Part.of(Kind.CGROUP, "memory"));
      case "cgroup-pids" -> out.add(Part.of(Kind.CGROUP, "pids"));
      case "setuid" -> out.add(Part.of(Kind.USER));
      case "capabilities" -> out.add(Part.of(Kind.CAPS));
      case "seccomp" -> out.add(Part.of(Kind.SECCOMP));
      case "spawn", "init" -> out.add(Part.of(Kind.PROCESS, "init"));
      case "workdir", "exec" -> out.add(Part.of(Kind.PROCESS, "command"));
      case "wait" -> out.add(Part.of(Kind.EXIT));
      default -> out.add(Part.of(Kind.OTHER, e.step() == null ? "" : e.step()));
    }
    return out;
  }

  private void learn(StepEntry e) {
    String call = e.call() == null ? "" : e.call();
    String args = e.args() == null ? "" : e.args();
    switch (call) {
      case "unshare" -> NsType.inFlags(args).forEach(t -> raised.putIfAbsent(t, e));
      case "setns" -> {
        NsType.inFlags(args).forEach(t -> joined.putIfAbsent(t, e));
        joinedPidFrom(args);
      }
      case "open" -> joinedPidFrom(args);
      case "chroot" -> {
        if (!"exec-root".equals(e.step())) {
          rootKind = "chroot";
        }
      }
      case "pivot_root" -> rootKind = "pivot";
      case "sethostname" -> hostname = firstQuoted(args);
      case "setresuid" -> uid = firstNumber(args);
      case "setresgid" -> gid = firstNumber(args);
      case "capset" -> {
        Matcher m = EFFECTIVE.matcher(args);
        if (m.find()) {
          effectiveCaps = Long.parseUnsignedLong(m.group(1), 16);
        }
      }
      case "prctl" -> noNewPrivs |= args.startsWith("PR_SET_NO_NEW_PRIVS");
      case "write" -> {
        // write("/sys/fs/cgroup/…/memory.max", "67108864"), as helper.linux.Call writes it.
        Matcher q = FILE_WRITE.matcher(args);
        if (q.matches()) {
          cgroupWrites.put(q.group(1).substring(q.group(1).lastIndexOf('/') + 1), q.group(2));
        }
      }
      default -> {
        // Nothing more to learn from this call.
      }
    }
    if ("seccomp".equals(e.step())) {
      seccomp = true;
    }
    if ("wait".equals(e.step())) {
      exit = e;
    }
  }

  private void joinedPidFrom(String args) {
    Matcher m = PROC_NS.matcher(args);
    if (joinedPid == null && m.find()) {
      joinedPid = Long.parseLong(m.group(1));
    }
  }

  private static String firstQuoted(String args) {
    Matcher m = QUOTED.matcher(args);
    return m.find() ? m.group(1) : null;
  }

  private static Long firstNumber(String args) {
    Matcher m = Pattern.compile("\\d+").matcher(args);
    return m.find() ? Long.parseLong(m.group()) : null;
  }

  /** Every entry, in order. */
  public List<StepEntry> entries() {
    return entries;
  }

  /** The entries grouped into runs of one step. */
  public List<Stage> stages() {
    return stages;
  }

  /** The stage holding entry {@code seq}, or null. */
  public Stage stageOf(int seq) {
    for (Stage s : stages) {
      if (seq >= s.firstSeq() && seq <= s.lastSeq()) {
        return s;
      }
    }
    return null;
  }

  /** The entry that first built {@code part} successfully, or null. */
  public StepEntry builder(Part part) {
    return firstBuilt.get(part);
  }

  /** Whether {@code part} was built by an entry at or before {@code seq}. */
  public boolean builtBy(Part part, int seq) {
    StepEntry e = firstBuilt.get(part);
    return e != null && e.seq() <= seq;
  }

  /** Every part built, with the entry that first built it, in build order. */
  public Map<Part, StepEntry> built() {
    return java.util.Collections.unmodifiableMap(firstBuilt);
  }

  /** The walls this container raised itself (unshare), with the entry. */
  public Map<NsType, StepEntry> raised() {
    return java.util.Collections.unmodifiableMap(raised);
  }

  /** The walls it joined (setns: an exec into a running container), with the entry. */
  public Map<NsType, StepEntry> joined() {
    return java.util.Collections.unmodifiableMap(joined);
  }

  /** An exec: the host pid of the container whose namespaces it joined, else null. */
  public Long joinedPid() {
    return joinedPid;
  }

  /** Whether this is an exec into another container rather than a container of its own. */
  public boolean isExec() {
    if (exec == null) {
      exec = entries.stream().anyMatch(e -> e.step() != null && e.step().startsWith("exec-"));
    }
    return exec;
  }

  /**
   * How many paths the init masked or made read-only, computed once ({@code f} reads them from the
   * entries): a blueprint never changes, and the picture is rebuilt many times a second.
   */
  int masked(java.util.function.ToIntFunction<Blueprint> f) {
    if (masked == null) {
      masked = f.applyAsInt(this);
    }
    return masked;
  }

  /** The hostname set inside, or null. */
  public String hostname() {
    return hostname;
  }

  /** The uid it switched to (level 10), or null. */
  public Long uid() {
    return uid;
  }

  /** The gid it switched to, or null. */
  public Long gid() {
    return gid;
  }

  /** The effective capability mask set by capset, or null. */
  public Long effectiveCaps() {
    return effectiveCaps;
  }

  public boolean noNewPrivs() {
    return noNewPrivs;
  }

  public boolean seccomp() {
    return seccomp;
  }

  /**
   * How it changed its root: {@code host} (it did not: it sees the host's /), {@code chroot} or
   * {@code pivot}. Whether that root is an overlay is {@link #overlay()}.
   */
  public String rootKind() {
    return rootKind;
  }

  /** Whether its root is an overlay (level 04 on). */
  public boolean overlay() {
    return firstBuilt.containsKey(Part.of(Kind.ROOTFS, "overlay"));
  }

  /**
   * The cgroup files it wrote and the value (last write wins): {@code memory.limit_in_bytes →
   * 67108864}, {@code pids.max → 32}, {@code cpu.shares → 512}; {@code cgroup.procs} too.
   */
  public Map<String, String> cgroupWrites() {
    return java.util.Collections.unmodifiableMap(cgroupWrites);
  }

  /** The first failed entry, or null. */
  public StepEntry failed() {
    return failed;
  }

  /** The helper's wait entry ("killed by signal 9"), or null while it runs. */
  public StepEntry exit() {
    return exit;
  }

  /** The seq of the last entry, 0 when there is none. */
  public int lastSeq() {
    return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).seq();
  }
}
