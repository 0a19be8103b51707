package org.glasshouse.helper.inspect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;
import org.glasshouse.helper.mountinfo.MountTree;
import org.glasshouse.protocol.inspect.DeviceAccess;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.ProcessInfo;

/**
 * Answers the inspection ops ({@code inspect}, {@code mounts}) for one process: reads namespaces,
 * mountinfo, status, cgroups, network and overlay, compares with the host (PID 1). Never throws to
 * its caller for a process that vanished: the result says {@code gone}.
 */
public final class Inspector {

  private static final int MAX_SHARERS_LISTED = 64;

  /** At most this many upper-dir entries are listed. */
  public static final int UPPER_DIR_LIMIT = 5000;

  private final HostFs fs;
  private final NetnsReader net;
  private final TelemetrySampler locator;
  private final KernelThreadLinks kernelThreads;
  private volatile long hostPid;

  /**
   * @param fs where /proc and the host's files are
   * @param net reads a process's hostname, links and addresses inside its namespaces
   */
  public Inspector(HostFs fs, NetnsReader net) {
    this.fs = fs;
    this.net = net;
    this.locator = new TelemetrySampler(fs);
    this.kernelThreads =
        fs.proc().toAbsolutePath().normalize().toString().equals("/proc")
            ? KernelThreadLinks.real()
            : null;
  }

  /** Reads the real machine. */
  public static Inspector real() {
    return new Inspector(HostFs.real(), NetnsReader.system());
  }

  /**
   * The process that stands for the host: PID 1, or — when PID 1 is not readable (a machine whose
   * init holds capabilities the helper lacks refuses its ns links to ptrace-mode readers) — the
   * helper itself, which always runs in the host's namespaces.
   */
  public long hostPid() {
    long h = hostPid;
    if (h == 0) {
      h = 1;
      try {
        if (Namespaces.read(fs, 1).inodes().isEmpty()) {
          h = fs.selfPid();
        }
      } catch (ProcessGoneException e) {
        h = ProcessHandle.current().pid();
      }
      hostPid = h;
    }
    return h;
  }

  /** libc for BPF_PROG_QUERY, bound on the first v2 inspection only. */
  private static final class BpfHolder {
    static final org.glasshouse.helper.linux.Bpf BPF = new org.glasshouse.helper.linux.Bpf();
  }

  /** BPF device programs attached to a cgroup v2 dir, -1 when the kernel cannot be asked. */
  private static int deviceProgramCount(java.nio.file.Path dir) {
    try {
      return BpfHolder.BPF.countCgroupDevice(dir.toString());
    } catch (org.glasshouse.helper.linux.SyscallException | RuntimeException | LinkageError e) {
      return -1;
    }
  }

  /** The host files this inspector reads. */
  public HostFs fs() {
    return fs;
  }

  /**
   * A counter of a host interface ({@code /sys/class/net/<name>/statistics/rx_bytes}), null when it
   * cannot be read (the link is gone).
   */
  public Long hostLinkCounter(String ifname, String counter) {
    if (ifname.isEmpty() || ifname.contains("/") || ifname.startsWith(".")) {
      return null;
    }
    return HostFs.readOptional(fs.host("/sys/class/net/" + ifname + "/statistics/" + counter))
        .map(String::trim)
        .map(
            v -> {
              try {
                return Long.parseLong(v);
              } catch (NumberFormatException e) {
                return null;
              }
            })
        .orElse(null);
  }

  /** Everything about {@code pid}, labelled {@code target} ("host": pass {@link #hostPid()}). */
  public InspectResult inspect(String target, long pid) {
    boolean host = "host".equals(target);
    // The network's thread enters the namespaces while this one reads the rest (issue 16).
    try (NetnsReader.Pending netRead = net.begin(pid)) {
      Namespaces mine = Namespaces.read(fs, pid);
      Namespaces hostNs = host ? mine : Namespaces.read(fs, hostPid());
      List<Namespaces> all = scanNamespaces();
      Map<String, InspectResult.NamespaceView> ns = new LinkedHashMap<>();
      mine.compareWith(hostNs)
          .forEach(
              (type, c) -> {
                TreeSet<Long> sharers = new TreeSet<>();
                for (Namespaces n : all) {
                  if (c.inode() != null && c.inode().equals(n.inodes().get(type))) {
                    sharers.add(n.pid());
                  }
                }
                ns.put(
                    type,
                    new InspectResult.NamespaceView(
                        c.inode(),
                        c.hostInode(),
                        c.sameAsHost(),
                        sharers.size(),
                        sharers.stream().limit(MAX_SHARERS_LISTED).toList()));
              });
      // Where its cgroups are, resolved once: its own groups, its members and its device list.
      CgroupLocation where = locator.locate(pid);
      List<ProcessInfo> procs = host ? hostProcesses(pid) : processes(pid, all, where);
      CgroupLocation loc = host ? where : locator.own(where);
      Map<String, String> v1 = new LinkedHashMap<>();
      loc.v1().forEach((k, v) -> v1.put(k, v.toString()));
      InspectResult.CgroupView cg =
          new InspectResult.CgroupView(
              v1, loc.v2() == null ? null : loc.v2().toString(), CgroupReader.read(loc, host));
      List<MountEntry> mounts = mountEntries(pid);
      MountTree tree = MountTree.of(mounts);
      MountDiff vsHost = host ? MountDiff.between(mounts, mounts) : diffHost(mounts);
      MountEntry rootMount = tree.visibleRoot().orElse(null);
      int over = (int) mounts.stream().filter(tree::isOvermounted).count();
      InspectResult.MountSummary summary =
          new InspectResult.MountSummary(
              mounts.size(),
              over,
              rootMount == null ? null : rootMount.source(),
              rootMount == null ? null : rootMount.fsType(),
              rootOf(pid),
              vsHost.added().size(),
              vsHost.removed().size());
      NetworkInfo network = NetworkReader.finish(fs, pid, netRead);
      if (!fs.alive(pid)) {
        return InspectResult.gone(target, pid);
      }
      DeviceAccess devices = DeviceAccessReader.read(where, Inspector::deviceProgramCount);
      return InspectResult.builder()
          .target(target)
          .pid(pid)
          .namespaces(ns)
          .processes(procs)
          .cgroup(cg)
          .network(network)
          .overlay(OverlayReader.ofRoot(tree).orElse(null))
          .mounts(summary)
          .accounts(AccountReader.read(fs, pid, procs))
          .devices(devices)
          .build();
    } catch (ProcessGoneException e) {
      return InspectResult.gone(target, pid);
    }
  }

  /**
   * {@link #inspect} plus the listing of the container's upper dir. The dir listed is the one the
   * helper made for the container ({@code upper}), never the {@code upperdir=} of the container's
   * mount table: a workload holding CAP_SYS_ADMIN (levels 04–10) can mount an overlay of its own
   * whose upper dir names a host path, chroot into it, and would get that host directory listed.
   * The walk never follows a link the workload planted ({@link UpperDirScanner#scan}).
   *
   * @param upper the container's own upper dir, or null when it has none (no listing)
   * @param lower the overlay's lower dir the helper gave it, or null ({@code inLower} unknown)
   */
  public InspectResult inspectWithUpperDir(String target, long pid, Path upper, Path lower) {
    InspectResult r = inspect(target, pid);
    if (r.gone() || upper == null) {
      return r;
    }
    try {
      return r.withUpperDir(UpperDirScanner.scan(upper, lower, UPPER_DIR_LIMIT).entries());
    } catch (IOException e) {
      return r.withUpperDir(List.of());
    }
  }

  /**
   * The mount table of {@code pid}.
   *
   * @param diffAgainst "host" to add a diff against PID 1's table, else null
   * @param containerPids for the host's table: running containers (id → first pid) whose mounts
   *     leak into it when they share its mount namespace
   */
  public MountsResult mounts(
      String target, long pid, String diffAgainst, Map<String, Long> containerPids) {
    try {
      MountInfoParser.Result parsed = MountInfoParser.parseTotal(fs.readPidFile(pid, "mountinfo"));
      MountTree tree = MountTree.of(parsed.entries());
      Map<String, String> leakRoots = "host".equals(target) ? leakRoots(containerPids) : Map.of();
      List<MountsResult.Mount> out = new ArrayList<>();
      for (MountEntry e : parsed.entries()) {
        out.add(e.toWire(tree, leakedFrom(e, leakRoots)));
      }
      MountsResult.Diff diff =
          "host".equals(diffAgainst) ? diffHost(parsed.entries()).toWire("host") : null;
      return new MountsResult(target, pid, false, rootOf(pid), out, parsed.malformed(), diff);
    } catch (ProcessGoneException e) {
      return new MountsResult(target, pid, true, null, null, null, null);
    }
  }

  /** Parsed {@code /proc/PID/mountinfo}. */
  public List<MountEntry> mountEntries(long pid) throws ProcessGoneException {
    return MountInfoParser.parseTotal(fs.readPidFile(pid, "mountinfo")).entries();
  }

  /**
   * The host's processes: the one that stands for it ({@link #hostPid()}), then PID 1 when that is
   * another — PID 1's status and cmdline stay readable where its ns links are not, and "the host's
   * PID 1" is what a student compares the container's PID 1 with.
   */
  private List<ProcessInfo> hostProcesses(long pid) throws ProcessGoneException {
    ProcessInfo standIn = ProcessReader.read(fs, pid);
    if (pid == 1) {
      return List.of(standIn);
    }
    try {
      return List.of(standIn, ProcessReader.read(fs, 1));
    } catch (ProcessGoneException e) {
      return List.of(standIn);
    }
  }

  /**
   * Namespaces of every process on the machine (processes exiting meanwhile are skipped); on the
   * real {@code /proc}, kernel threads' from {@link KernelThreadLinks}.
   */
  public List<Namespaces> scanNamespaces() {
    if (kernelThreads != null) {
      return kernelThreads.scan(allPids());
    }
    List<Namespaces> out = new ArrayList<>();
    for (long p : allPids()) {
      try {
        out.add(Namespaces.read(fs, p));
      } catch (ProcessGoneException e) {
        // Exited while we looked: not a sharer any more.
      }
    }
    return out;
  }

  /** Every numeric entry of the proc root. */
  public List<Long> allPids() {
    List<Long> pids = new ArrayList<>();
    // File.list: one getdents loop into names, without a Path per entry.
    String[] names = fs.proc().toFile().list();
    if (names == null) {
      return pids;
    }
    for (String n : names) {
      if (digits(n)) {
        pids.add(Long.parseLong(n));
      }
    }
    pids.sort(null);
    return pids;
  }

  /** Whether {@code s} is a non-empty run of ASCII digits of a length a pid can have. */
  private static boolean digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * The processes of the container whose first process is {@code pid}: everything in its pid
   * namespace when it has its own; else everything in its own cgroup (its v1 pids/memory/cpu or v2
   * group's {@code cgroup.procs}) when that is not the host's; else the process and its
   * descendants.
   */
  List<ProcessInfo> processes(long pid, List<Namespaces> all) throws ProcessGoneException {
    return processes(pid, all, null);
  }

  /** As {@link #processes(long, List)}, with the cgroups of {@code pid} when already located. */
  private List<ProcessInfo> processes(long pid, List<Namespaces> all, CgroupLocation where)
      throws ProcessGoneException {
    Namespaces mine = null;
    Namespaces host = null;
    for (Namespaces n : all) {
      if (n.pid() == pid) {
        mine = n;
      } else if (n.pid() == hostPid()) {
        host = n;
      }
    }
    TreeSet<Long> members =
        memberPids(
            pid,
            mine == null ? null : mine.inodes().get("pid"),
            host == null ? null : host.inodes().get("pid"),
            () -> {
              Map<Long, List<Long>> index = new HashMap<>();
              for (Namespaces n : all) {
                Long ns = n.inodes().get("pid");
                if (ns != null) {
                  index.computeIfAbsent(ns, k -> new ArrayList<>()).add(n.pid());
                }
              }
              return index;
            },
            where,
            null);
    List<ProcessInfo> out = new ArrayList<>();
    for (long p : members) {
      try {
        out.add(ProcessReader.read(fs, p));
      } catch (ProcessGoneException e) {
        if (p == pid) {
          throw e;
        }
      }
    }
    return out;
  }

  /**
   * The pids of the container whose first process is {@code pid}, by the rule of {@link
   * #processes}: the members of its pid namespace when it is not the host's, else of its own
   * cgroup, else its descendants.
   *
   * @param pidNsIndex pid-namespace inode → pids in it ({@link #pidNamespaceIndex()}); asked for
   *     only when the container has a pid namespace of its own
   */
  TreeSet<Long> memberPids(
      long pid, Long pidNs, Long hostPidNs, Supplier<Map<Long, List<Long>>> pidNsIndex)
      throws ProcessGoneException {
    return memberPids(pid, pidNs, hostPidNs, pidNsIndex, null, null);
  }

  TreeSet<Long> memberPids(
      long pid,
      Long pidNs,
      Long hostPidNs,
      Supplier<Map<Long, List<Long>>> pidNsIndex,
      CgroupLocation where,
      Supplier<CgroupLocation> hostCgroups)
      throws ProcessGoneException {
    TreeSet<Long> members = new TreeSet<>();
    members.add(pid);
    if (pidNs != null && hostPidNs != null && !pidNs.equals(hostPidNs)) {
      members.addAll(pidNsIndex.get().getOrDefault(pidNs, List.of()));
    } else if (addCgroupMembers(pid, where, hostCgroups, members)) {
      addZombieChildren(members);
    } else {
      addDescendants(pid, members);
    }
    return members;
  }

  /**
   * The members' zombie children. A zombie has left its cgroup's task list — cgroup v2's {@code
   * cgroup.procs} no longer names it — while {@code pids.current} counts it until its parent reaps
   * it: a container without a pid namespace of its own (levels 00-05, whose members are its
   * cgroup's) showed none of the zombies that hold its pids. {@code /proc/PID/task/TID/children}
   * names each thread's children; those in state Z join.
   */
  private void addZombieChildren(TreeSet<Long> members) {
    for (long m : List.copyOf(members)) {
      for (long c : childrenOf(m)) {
        if (!members.contains(c) && zombie(c)) {
          members.add(c);
        }
      }
    }
  }

  /** The children of every thread of {@code pid} (none when it is gone). */
  private List<Long> childrenOf(long pid) {
    List<Long> out = new ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> tasks =
        java.nio.file.Files.newDirectoryStream(fs.pidDir(pid).resolve("task"))) {
      for (Path t : tasks) {
        for (String w :
            HostFs.readOptional(t.resolve("children")).orElse("").trim().split("\\s+")) {
          if (!w.isEmpty()) {
            try {
              out.add(Long.parseLong(w));
            } catch (NumberFormatException e) {
              // children holds only pids.
            }
          }
        }
      }
    } catch (IOException | java.nio.file.DirectoryIteratorException e) {
      // Gone meanwhile: no children to add.
    }
    return out;
  }

  /** Whether {@code pid} is a zombie ({@code State:\tZ (zombie)} in its status). */
  private boolean zombie(long pid) {
    try {
      String status = fs.readPidFile(pid, "status");
      int at = status.indexOf("State:");
      return at >= 0 && status.substring(at + "State:".length()).trim().startsWith("Z");
    } catch (ProcessGoneException e) {
      return false;
    }
  }

  /**
   * Pid-namespace inode → the pids in it, over every process of the machine: one readlink of {@code
   * ns/pid} per process (processes exiting meanwhile are skipped).
   */
  public Map<Long, List<Long>> pidNamespaceIndex() {
    Map<Long, List<Long>> index = new HashMap<>();
    for (long p : allPids()) {
      try {
        Optional<String> link = fs.readPidLink(p, "ns/pid");
        OptionalLong ino =
            link.isPresent() ? Namespaces.parseLink(link.get()) : OptionalLong.empty();
        if (ino.isPresent()) {
          index.computeIfAbsent(ino.getAsLong(), k -> new ArrayList<>()).add(p);
        }
      } catch (ProcessGoneException e) {
        // Exited while we looked: no longer a member of anything.
      }
    }
    return index;
  }

  /**
   * The namespaces of every process of the container whose first process is {@code pid} (members as
   * {@link #processes} finds them): what the {@code namespaces} topic compares between ticks.
   *
   * @param host the host's namespaces ({@link #hostPid()}), read once per tick by the caller
   * @param pidNsIndex as for {@link #memberPids}; shared by the containers of one tick
   * @return pid → (type → inode), pids ascending; members that exit meanwhile are left out
   * @throws ProcessGoneException when {@code pid} itself is gone
   */
  public Map<Long, Map<String, Long>> containerNamespaces(
      long pid, Namespaces host, Supplier<Map<Long, List<Long>>> pidNsIndex)
      throws ProcessGoneException {
    return containerNamespaces(pid, host, pidNsIndex, null);
  }

  /**
   * As {@link #containerNamespaces(long, Namespaces, Supplier)}, with the host's cgroups located
   * once for every container of a tick ({@link #hostCgroupsOnce()}) rather than once per container.
   */
  public Map<Long, Map<String, Long>> containerNamespaces(
      long pid,
      Namespaces host,
      Supplier<Map<Long, List<Long>>> pidNsIndex,
      Supplier<CgroupLocation> hostCgroups)
      throws ProcessGoneException {
    Namespaces mine = Namespaces.read(fs, pid);
    Map<Long, Map<String, Long>> out = new TreeMap<>();
    for (long p :
        memberPids(
            pid,
            mine.inodes().get("pid"),
            host.inodes().get("pid"),
            pidNsIndex,
            null,
            hostCgroups)) {
      try {
        out.put(p, p == pid ? mine.inodes() : Namespaces.read(fs, p).inodes());
      } catch (ProcessGoneException e) {
        // Exited between the listing and the reading: not a member any more.
      }
    }
    return out;
  }

  /**
   * Where the host's cgroups are ({@link #hostPid()}), located on the first {@code get()} and kept
   * by the supplier: one per tick of the namespaces topic. Null from {@code get()} when the host
   * process cannot be read (the caller then locates it itself).
   */
  public Supplier<CgroupLocation> hostCgroupsOnce() {
    CgroupLocation[] once = new CgroupLocation[1];
    boolean[] done = {false};
    return () -> {
      if (!done[0]) {
        try {
          once[0] = locator.locate(hostPid());
        } catch (ProcessGoneException e) {
          once[0] = null;
        }
        done[0] = true;
      }
      return once[0];
    };
  }

  private boolean addCgroupMembers(
      long pid, CgroupLocation where, Supplier<CgroupLocation> hostCgroups, TreeSet<Long> members)
      throws ProcessGoneException {
    CgroupLocation mine = where != null ? where : locator.locate(pid);
    CgroupLocation known = hostCgroups == null ? null : hostCgroups.get();
    CgroupLocation host = known != null ? known : locator.locate(hostPid());
    for (String c : List.of("pids", "memory", "cpu")) {
      Path dir = mine.v1().get(c);
      if (dir != null && !dir.equals(host.v1().get(c))) {
        return addProcs(dir, members);
      }
    }
    if (mine.v2() != null && !Objects.equals(mine.v2(), host.v2())) {
      return addProcs(mine.v2(), members);
    }
    return false;
  }

  private static boolean addProcs(Path dir, TreeSet<Long> members) {
    String procs = HostFs.readOptional(dir.resolve("cgroup.procs")).orElse("");
    for (String l : procs.split("\n")) {
      if (!l.isBlank()) {
        try {
          members.add(Long.parseLong(l.trim()));
        } catch (NumberFormatException e) {
          // cgroup.procs holds only numbers; anything else is not a pid.
        }
      }
    }
    return true;
  }

  private void addDescendants(long pid, TreeSet<Long> members) {
    Map<Long, List<Long>> children = new HashMap<>();
    for (long p : allPids()) {
      try {
        long ppid = ProcessReader.parse(p, fs.readPidFile(p, "status"), "").ppid();
        children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(p);
      } catch (ProcessGoneException e) {
        // Gone: not a descendant any more.
      }
    }
    List<Long> queue = new ArrayList<>(List.of(pid));
    while (!queue.isEmpty()) {
      long p = queue.remove(queue.size() - 1);
      for (long c : children.getOrDefault(p, List.of())) {
        if (members.add(c)) {
          queue.add(c);
        }
      }
    }
  }

  private MountDiff diffHost(List<MountEntry> mine) throws ProcessGoneException {
    return MountDiff.between(mountEntries(hostPid()), mine);
  }

  /** {@code /proc/PID/root} as the host sees it, "/" when unreadable. */
  private String rootOf(long pid) {
    try {
      return fs.readPidLink(pid, "root").orElse("/");
    } catch (ProcessGoneException e) {
      return "/";
    }
  }

  /** Container id → its root, for containers in the host's mount namespace with a root not "/". */
  private Map<String, String> leakRoots(Map<String, Long> containerPids) {
    Map<String, String> out = new LinkedHashMap<>();
    if (containerPids == null || containerPids.isEmpty()) {
      return out;
    }
    Long hostMnt;
    try {
      hostMnt = Namespaces.read(fs, hostPid()).inodes().get("mnt");
    } catch (ProcessGoneException e) {
      return out;
    }
    containerPids.forEach(
        (id, p) -> {
          try {
            Long mnt = Namespaces.read(fs, p).inodes().get("mnt");
            String root = rootOf(p);
            if (Objects.equals(mnt, hostMnt) && !root.equals("/")) {
              out.put(id, root);
            }
          } catch (ProcessGoneException e) {
            // A container that exited leaks nothing it still holds through its process.
          }
        });
    return out;
  }

  private static String leakedFrom(MountEntry e, Map<String, String> roots) {
    for (Map.Entry<String, String> r : roots.entrySet()) {
      String root = r.getValue();
      if (e.mountPoint().equals(root) || e.mountPoint().startsWith(root + "/")) {
        return r.getKey();
      }
    }
    return null;
  }
}
