package org.glasshouse.app.glasshouse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.glasshouse.app.core.Inspections;
import org.glasshouse.app.core.Units;
import org.glasshouse.app.glasshouse.HouseModel.Badge;
import org.glasshouse.app.glasshouse.HouseModel.Caps;
import org.glasshouse.app.glasshouse.HouseModel.Changes;
import org.glasshouse.app.glasshouse.HouseModel.GaugeModel;
import org.glasshouse.app.glasshouse.HouseModel.Interface;
import org.glasshouse.app.glasshouse.HouseModel.NetModel;
import org.glasshouse.app.glasshouse.HouseModel.Phase;
import org.glasshouse.app.glasshouse.HouseModel.ProcessModel;
import org.glasshouse.app.glasshouse.HouseModel.RootFsModel;
import org.glasshouse.app.glasshouse.HouseModel.WallModel;
import org.glasshouse.app.glasshouse.Part.Kind;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.Accounts;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.NamespacesEvent;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.ProcessInfo;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.glasshouse.protocol.inspect.UpperDirEntry;

/**
 * Builds a {@link HouseModel}: the container's step log ({@link Blueprint}) says what was built and
 * by which call, its {@link HouseFacts} what the kernel says now. Live, everything built is shown;
 * in a replay, only what the steps up to the replay's position built. Pure: a wall's colour and
 * letters come from its namespace's inode ({@link Identities}).
 */
public final class HouseBuilder {
  /** The replay position that shows everything: the live picture. */
  public static final int LIVE = Integer.MAX_VALUE;

  /** Pseudo filesystems the root filesystem room lists, in this order. */
  static final List<String> PSEUDO =
      List.of("/proc", "/sys", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue");

  private static final int EXAMPLES = 4;
  private static final long DEFAULT_SWAPPINESS = 60;

  /**
   * What the builder needs of a container besides its facts.
   *
   * @param id container id
   * @param command its command line
   * @param level its level, or null
   * @param freePlay whether it ran a free-play feature set
   * @param phase its life
   * @param status its status in words
   * @param pid its first process's host pid, 0 when not started
   * @param planned the steps its run asks for (its features), null when not known (a container
   *     another client is starting)
   */
  public record Input(
      String id,
      String command,
      Integer level,
      boolean freePlay,
      Phase phase,
      String status,
      long pid,
      Set<Feature> planned) {}

  private final int cpus;

  /**
   * @param cpus the machine's CPUs: the most a container without a quota can use
   */
  public HouseBuilder(int cpus) {
    this.cpus = cpus;
  }

  /**
   * The house of one container.
   *
   * @param upTo the replay position: entries up to this seq count as built ({@link #LIVE}: all)
   * @param highlight the parts the selected step built
   * @param execs pid → id of the exec that started it, for processes exec'd into this container
   * @param execOf when this is an exec drawn inside another's house: that one's id, else null
   */
  public HouseModel build(
      Input in,
      Blueprint bp,
      HouseFacts facts,
      HostModel host,
      int upTo,
      Set<Part> highlight,
      Map<Long, String> execs,
      String execOf) {
    InspectResult r = facts.inspection();
    boolean replay = upTo != LIVE;
    boolean starting = !replay && in.phase() == Phase.STARTING;
    List<WallModel> walls = walls(in, bp, facts, upTo, highlight, starting);
    boolean initBuilt = !replay || built(bp, Part.of(Kind.PROCESS, "init"), upTo);
    boolean commandBuilt = !replay || built(bp, Part.of(Kind.PROCESS, "command"), upTo);
    List<ProcessModel> processes = commandBuilt ? processes(in, facts, host, execs) : List.of();
    RootFsModel rootfs = rootfs(bp, facts, walls, upTo, highlight);
    TelemetrySample sample = facts.telemetry();
    CgroupStats stats =
        sample != null && sample.cgroup() != null
            ? sample.cgroup()
            : Inspections.stats(r).orElse(null);
    List<GaugeModel> gauges =
        List.of(
            cpu(stats, sample, facts, bp, upTo, highlight),
            memory(stats, facts, in.phase(), bp, upTo, highlight),
            pids(stats, facts, bp, upTo, highlight));
    NetModel net = net(r, bp, host, walls);
    boolean filtered =
        bp.seccomp()
            || (r != null
                && r.processes() != null
                && r.processes().stream().anyMatch(p -> p.seccomp() == 2));
    Badge seccomp =
        filtered
            ? new Badge(
                true,
                "seccomp filter",
                !replay
                    || built(bp, Part.of(Kind.SECCOMP), upTo)
                    || bp.builder(Part.of(Kind.SECCOMP)) == null,
                highlight.contains(Part.of(Kind.SECCOMP)))
            : Badge.OFF;
    return new HouseModel(
        in.id(),
        in.id().length() > 12 ? in.id().substring(0, 12) : in.id(),
        in.command(),
        in.level(),
        in.freePlay(),
        in.phase(),
        in.status(),
        execOf,
        walls,
        processes,
        rootfs,
        gauges,
        net,
        seccomp,
        initBuilt,
        commandBuilt,
        !replay || bp.entries().isEmpty() || built(bp, Part.of(Kind.HOUSE), upTo),
        highlight.contains(Part.of(Kind.HOUSE)),
        starting ? starting(in, bp, walls, rootfs) : null);
  }

  // ---- while it starts ---------------------------------------------------------------------

  /** The feature that raises a wall of type {@code t}, or null when no level raises one. */
  static Feature feature(NsType t) {
    return switch (t) {
      case MNT -> Feature.MOUNT_NS;
      case UTS -> Feature.UTS_NS;
      case IPC -> Feature.IPC_NS;
      case PID -> Feature.PID_NS;
      case NET -> Feature.NET_NS;
      case CGROUP -> Feature.CGROUP_NS;
      case USER, TIME -> null;
    };
  }

  /**
   * What a starting container's rooms say in place of facts it does not have yet: the step it is
   * at, and what its run still has to build (when the run is known), so a house half built never
   * passes for a finished one (no walls, the host's root: a level-00 house).
   */
  static String starting(Input in, Blueprint bp, List<WallModel> walls, RootFsModel rootfs) {
    List<StepEntry> es = bp.entries();
    StringBuilder b = new StringBuilder("Starting… ");
    if (es.isEmpty()) {
      b.append("waiting for its first step.");
    } else {
      StepEntry last = es.get(es.size() - 1);
      b.append("step ")
          .append(last.seq())
          .append(" (")
          .append(last.step())
          .append("): ")
          .append(startingCall(last))
          .append('.');
    }
    if (in.planned() == null) {
      b.append(" Its walls stand as its steps raise them; its rooms fill in once it runs.");
      return b.toString();
    }
    List<String> coming = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (WallModel w : walls) {
      if (w.planned()) {
        types.add(w.type().label());
      }
    }
    if (!types.isEmpty()) {
      coming.add((types.size() == 1 ? "the wall " : "the walls ") + String.join(" ", types));
    }
    Set<Feature> f = in.planned();
    boolean rootBuilt = !rootfs.built().isEmpty();
    if (!rootBuilt) {
      if (f.contains(Feature.OVERLAY)) {
        coming.add("its own root: an overlay on the image");
      } else if (f.contains(Feature.PIVOT_ROOT)) {
        coming.add("its own root: pivot_root into the image");
      } else if (f.contains(Feature.CHROOT)) {
        coming.add("a chroot into the image");
      }
    }
    List<String> limits = new ArrayList<>();
    if (f.contains(Feature.CGROUP_CPU)) {
      limits.add("cpu");
    }
    if (f.contains(Feature.CGROUP_MEMORY)) {
      limits.add("memory");
    }
    if (f.contains(Feature.CGROUP_PIDS)) {
      limits.add("pids");
    }
    if (!limits.isEmpty()) {
      coming.add("limits on " + String.join(", ", limits));
    }
    if (coming.isEmpty()) {
      b.append(
          f.isEmpty()
              ? " It gets no walls and no root of its own: a process of the host."
              : " Its rooms fill in once it runs.");
    } else {
      b.append(" Still to come: ").append(String.join("; ", coming)).append('.');
    }
    return b.toString();
  }

  private static boolean built(Blueprint bp, Part p, int upTo) {
    return upTo == LIVE ? bp.builder(p) != null : bp.builtBy(p, upTo);
  }

  // ---- walls -------------------------------------------------------------------------------

  private List<WallModel> walls(
      Input in, Blueprint bp, HouseFacts facts, int upTo, Set<Part> highlight, boolean starting) {
    InspectResult r = facts.inspection();
    Map<String, NamespacesEvent.Namespace> live = facts.members().get(in.pid());
    List<WallModel> out = new ArrayList<>();
    for (NsType t : NsType.values()) {
      InspectResult.NamespaceView view =
          r == null || r.namespaces() == null ? null : r.namespaces().get(t.wire());
      NamespacesEvent.Namespace now = live == null ? null : live.get(t.wire());
      StepEntry raised = bp.raised().get(t);
      StepEntry joined = bp.joined().get(t);
      StepEntry by = raised != null ? raised : joined;
      Long inode = now != null ? Long.valueOf(now.inode()) : view == null ? null : view.inode();
      boolean own;
      if (now != null) {
        own = !now.sameAsHost();
      } else if (view != null && view.inode() != null) {
        own = !view.sameAsHost();
      } else {
        own = by != null;
      }
      boolean built = own && (upTo == LIVE || by == null || by.seq() <= upTo);
      boolean known = own && inode != null;
      int number = known ? Identities.code(inode) + 1 : 0;
      Feature raises = feature(t);
      boolean planned =
          starting
              && !own
              && raises != null
              && in.planned() != null
              && in.planned().contains(raises);
      out.add(
          new WallModel(
              t,
              own,
              built,
              raised == null && joined != null,
              inode,
              view == null ? null : view.hostInode(),
              number,
              known ? Identities.colour(inode) : own ? Identities.colour(t) : -1,
              known ? Identities.letter(inode) : "",
              view == null ? 0 : view.sharers(),
              view == null || view.sharedWith() == null ? List.of() : view.sharedWith(),
              by == null ? null : call(by),
              by == null ? 0 : by.seq(),
              note(t, r, bp),
              highlight.contains(Part.wall(t)),
              planned));
    }
    return out;
  }

  private static String note(NsType t, InspectResult r, Blueprint bp) {
    return switch (t) {
      case UTS -> {
        String h = Inspections.hostname(r);
        yield h != null ? h : bp.hostname();
      }
      default -> null;
    };
  }

  /** {@code unshare(CLONE_NEWNS|CLONE_NEWUTS)}: the call as strace writes it. */
  static String call(StepEntry e) {
    return e.call() + "(" + (e.args() == null ? "" : e.args()) + ")";
  }

  /** The longest call the starting line shows whole; the Step log has every call in full. */
  static final int STARTING_CALL_CHARS = 80;

  /**
   * A step's call as the starting line shows it: whole when short, else cut with an ellipsis (the
   * init's posix_spawn names the JVM and its whole class path: four lines of jars in the house).
   */
  static String startingCall(StepEntry e) {
    String c = call(e);
    return c.length() <= STARTING_CALL_CHARS ? c : c.substring(0, STARTING_CALL_CHARS - 2) + "…)";
  }

  // ---- processes ---------------------------------------------------------------------------

  private List<ProcessModel> processes(
      Input in, HouseFacts facts, HostModel host, Map<Long, String> execs) {
    if (in.phase() == Phase.EXITED
        || in.phase() == Phase.OOM_KILLED
        || in.phase() == Phase.FAILED) {
      // Ended: the last readings still name its processes, but none is left; the room says "none:
      // it has exited" rather than list the dead as running. (LOST keeps them: it may still run.)
      return List.of();
    }
    InspectResult r = facts.inspection();
    Map<Long, ProcessInfo> info = new HashMap<>();
    if (r != null && r.processes() != null) {
      r.processes().forEach(p -> info.put(p.pid(), p));
    }
    Set<Long> pids = new LinkedHashSet<>(facts.members().keySet());
    if (pids.isEmpty()) {
      pids.addAll(info.keySet());
    }
    if (pids.isEmpty() && in.pid() > 0 && in.phase().live()) {
      pids.add(in.pid());
    }
    Map<Long, String> users = names(r == null ? null : r.accounts(), false);
    Map<Long, String> hostUsers = names(r == null ? null : r.accounts(), true);
    // Depth-first by parent: children follow their parent, siblings by pid.
    Map<Long, List<Long>> children = new TreeMap<>();
    List<Long> roots = new ArrayList<>();
    for (long pid : new java.util.TreeSet<>(pids)) {
      ProcessInfo p = info.get(pid);
      if (p != null && pids.contains(p.ppid()) && p.ppid() != pid) {
        children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(pid);
      } else {
        roots.add(pid);
      }
    }
    List<ProcessModel> out = new ArrayList<>();
    Set<Long> seen = new java.util.HashSet<>();
    for (long root : roots) {
      addTree(root, 0, children, info, in, users, hostUsers, host, execs, out, seen);
    }
    return out;
  }

  private void addTree(
      long pid,
      int depth,
      Map<Long, List<Long>> children,
      Map<Long, ProcessInfo> info,
      Input in,
      Map<Long, String> users,
      Map<Long, String> hostUsers,
      HostModel host,
      Map<Long, String> execs,
      List<ProcessModel> out,
      Set<Long> seen) {
    if (!seen.add(pid)) {
      return;
    }
    ProcessModel self = process(pid, depth, info.get(pid), in, users, hostUsers, host, execs);
    out.add(self);
    List<Long> kids = children.getOrDefault(pid, List.of());
    // Two or more zombies of this parent (none with children of its own: a zombie has none) are
    // one row where the first of them would stand.
    List<Long> zombies = new ArrayList<>();
    for (long c : kids) {
      ProcessInfo p = info.get(c);
      if (p != null && "zombie".equals(p.stateName()) && !children.containsKey(c)) {
        zombies.add(c);
      }
    }
    boolean gather = zombies.size() >= ZOMBIES_GATHERED;
    for (long c : kids) {
      if (gather && zombies.contains(c)) {
        if (c == zombies.get(0) && seen.add(c)) {
          zombies.forEach(seen::add);
          out.add(zombies(self, zombies, depth + 1, info, in, users, hostUsers, host));
        }
        continue;
      }
      addTree(c, depth + 1, children, info, in, users, hostUsers, host, execs, out, seen);
    }
  }

  /** From this many zombies of one parent on, they are one row. */
  static final int ZOMBIES_GATHERED = 2;

  /** The row of several zombies of {@code parent}: the first one's facts, and all their pids. */
  private static ProcessModel zombies(
      ProcessModel parent,
      List<Long> pids,
      int depth,
      Map<Long, ProcessInfo> info,
      Input in,
      Map<Long, String> users,
      Map<Long, String> hostUsers,
      HostModel host) {
    ProcessModel first =
        process(pids.get(0), depth, info.get(pids.get(0)), in, users, hostUsers, host, null);
    List<Long> nsPids = new ArrayList<>();
    for (long z : pids) {
      Long inner = innermostPid(info.get(z));
      nsPids.add(inner == null ? z : inner);
    }
    long parentPid = parent.nsPid() != null ? parent.nsPid() : parent.hostPid();
    ProcessInfo pp = info.get(parent.hostPid());
    String parentName =
        pp != null && pp.name() != null && !pp.name().isBlank()
            ? pp.name()
            : parent.command().split(" ", 2)[0];
    return first.withZombies(
        new HouseModel.Zombies(List.copyOf(pids), List.copyOf(nsPids), parentPid, parentName));
  }

  /** Its pid in the innermost pid namespace it is in (the last of NSpid), or null if unknown. */
  private static Long innermostPid(ProcessInfo p) {
    return p == null || p.nsPids() == null || p.nsPids().isEmpty()
        ? null
        : p.nsPids().get(p.nsPids().size() - 1);
  }

  private static ProcessModel process(
      long pid,
      int depth,
      ProcessInfo p,
      Input in,
      Map<Long, String> users,
      Map<Long, String> hostUsers,
      HostModel host,
      Map<Long, String> execs) {
    String exec = execs == null ? null : execs.get(pid);
    if (p == null) {
      return new ProcessModel(
          pid, null, depth, "…", null, null, null, null, false, 0, "", pid == in.pid(), true, exec);
    }
    Long nsPid = innermostPid(p);
    Long uid = p.uids() == null || p.uids().size() < 2 ? null : p.uids().get(1);
    Map<String, List<String>> sets = p.capabilities() == null ? Map.of() : p.capabilities();
    List<String> eff = sets.getOrDefault("effective", List.of());
    List<String> bnd = sets.getOrDefault("bounding", List.of());
    return new ProcessModel(
        pid,
        nsPid,
        depth,
        Inspections.command(p),
        uid,
        uid == null ? null : users.get(uid),
        uid == null ? null : hostUsers.get(uid),
        new Caps(eff.size(), bnd.size(), host.caps(), eff, bnd),
        p.noNewPrivs(),
        p.seccomp(),
        p.stateName() == null ? "" : p.stateName(),
        pid == in.pid(),
        false,
        exec);
  }

  private static Map<Long, String> names(Accounts a, boolean host) {
    Map<Long, String> out = new HashMap<>();
    if (a != null && a.users() != null) {
      for (Accounts.Account u : a.users()) {
        String n = host ? u.hostName() : u.name();
        if (n != null) {
          out.put(u.id(), n);
        }
      }
    }
    return out;
  }

  // ---- root filesystem ---------------------------------------------------------------------

  private static RootFsModel rootfs(
      Blueprint bp, HouseFacts facts, List<WallModel> walls, int upTo, Set<Part> highlight) {
    InspectResult r = facts.inspection();
    InspectResult.MountSummary ms = r == null ? null : r.mounts();
    RootFsModel.Kind kind;
    if (bp.overlay()) {
      kind = RootFsModel.Kind.OVERLAY;
    } else if (bp.rootKind().equals("pivot")) {
      kind = RootFsModel.Kind.PIVOT;
    } else if (bp.rootKind().equals("chroot")) {
      kind = RootFsModel.Kind.CHROOT;
    } else if (bp.entries().isEmpty() && ms != null) {
      kind =
          "overlay".equals(ms.rootFsType())
              ? RootFsModel.Kind.OVERLAY
              : ms.root() != null && !ms.root().equals("/")
                  ? RootFsModel.Kind.CHROOT
                  : RootFsModel.Kind.HOST;
    } else {
      kind = RootFsModel.Kind.HOST;
    }
    List<String> built = new ArrayList<>();
    List<String> lit = new ArrayList<>();
    for (Map.Entry<Part, StepEntry> e : bp.built().entrySet()) {
      String layer = layer(e.getKey());
      if (layer != null && (upTo == LIVE || e.getValue().seq() <= upTo)) {
        built.add(layer);
      }
    }
    for (Part p : highlight) {
      String layer = layer(p);
      if (layer != null) {
        lit.add(layer);
      }
    }
    String image =
        r != null
                && r.overlay() != null
                && r.overlay().lower() != null
                && !r.overlay().lower().isEmpty()
            ? r.overlay().lower().get(0)
            : imageFromSteps(bp);
    boolean sharedMnt = !walls.get(NsType.MNT.ordinal()).own();
    return new RootFsModel(
        kind,
        ms == null ? null : ms.root(),
        ms == null ? null : ms.rootSource(),
        ms == null ? null : ms.rootFsType(),
        image,
        r == null || r.overlay() == null ? null : r.overlay().upper(),
        pseudoMounts(facts.mountTable(), bp),
        built.contains("devices"),
        bp.masked(HouseBuilder::masked),
        changes(r),
        sharedMnt && kind == RootFsModel.Kind.CHROOT,
        built,
        lit);
  }

  private static String layer(Part p) {
    return switch (p.kind()) {
      case ROOTFS -> p.name();
      case MOUNTS -> "mounts";
      case DEVICES -> "devices";
      case MASKED -> "masked";
      default -> null;
    };
  }

  private static String imageFromSteps(Blueprint bp) {
    StepEntry e = bp.builder(Part.of(Kind.ROOTFS, "image"));
    return e == null ? null : e.result();
  }

  /** The pseudo filesystems mounted: from the live mount table, else from the step log. */
  private static List<String> pseudoMounts(List<MountsResult.Mount> table, Blueprint bp) {
    Set<String> seen = new LinkedHashSet<>();
    for (MountsResult.Mount m : table) {
      if (PSEUDO.contains(m.mountPoint())) {
        seen.add(m.mountPoint());
      }
    }
    if (seen.isEmpty()) {
      for (StepEntry e : bp.entries()) {
        if (e.ok()
            && "mount".equals(e.call())
            && ("pseudo-fs".equals(e.step()) || "dev-nodes".equals(e.step()))) {
          for (String p : PSEUDO) {
            if (e.args() != null && e.args().contains(p + "\"")) {
              seen.add(p);
            }
          }
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (String p : PSEUDO) {
      if (seen.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** How many paths the masked-paths and read-only-paths steps covered. */
  private static final java.util.regex.Pattern QUOTED =
      java.util.regex.Pattern.compile("\"([^\"]*)\"");

  private static int masked(Blueprint bp) {
    Set<String> targets = new java.util.HashSet<>();
    for (StepEntry e : bp.entries()) {
      if (e.ok()
          && "mount".equals(e.call())
          && ("masked-paths".equals(e.step()) || "read-only-paths".equals(e.step()))) {
        java.util.regex.Matcher m = QUOTED.matcher(e.args() == null ? "" : e.args());
        String target = null;
        int i = 0;
        while (m.find()) {
          // mount(source, target, …): the target is the second quoted argument, or the first
          // when the source is NULL (a remount).
          if (e.args().startsWith("NULL") || i == 1) {
            target = m.group(1);
            break;
          }
          i++;
        }
        if (target != null) {
          targets.add(target);
        }
      }
    }
    return targets.size();
  }

  /** Counts of the upper dir's listing: changed, new, deleted, replaced wholesale. */
  static Changes changes(InspectResult r) {
    if (r == null || r.upperDir() == null) {
      return null;
    }
    int changed = 0;
    int created = 0;
    int deleted = 0;
    int opaque = 0;
    List<String> ex = new ArrayList<>();
    for (UpperDirEntry e : r.upperDir()) {
      boolean dir = "dir".equals(e.kind());
      if ("whiteout".equals(e.kind())) {
        deleted++;
        example(ex, "− /" + e.path());
      } else if (Boolean.TRUE.equals(e.opaque())) {
        opaque++;
        example(ex, "⊘ /" + e.path());
      } else if (Boolean.FALSE.equals(e.inLower())) {
        created++;
        example(ex, "+ /" + e.path() + (dir ? "/" : ""));
      } else if (Boolean.TRUE.equals(e.inLower()) && !dir) {
        changed++;
        example(ex, "~ /" + e.path());
      }
    }
    return new Changes(changed, created, deleted, opaque, ex, r.upperDir().size() >= 5000);
  }

  private static void example(List<String> ex, String line) {
    if (ex.size() < EXAMPLES * 3) {
      ex.add(line);
    }
  }

  // ---- gauges ------------------------------------------------------------------------------

  private GaugeModel cpu(
      CgroupStats s,
      TelemetrySample sample,
      HouseFacts facts,
      Blueprint bp,
      int upTo,
      Set<Part> highlight) {
    Part part = Part.of(Kind.CGROUP, "cpu");
    CgroupStats.Cpu c = s == null ? null : s.cpu();
    boolean written = false;
    if (c == null && (upTo == LIVE || built(bp, part, upTo))) {
      c = writtenCpu(bp.cgroupWrites());
      written = c != null;
    }
    boolean built = upTo == LIVE ? c != null : built(bp, part, upTo);
    boolean lit = highlight.contains(part);
    if (c == null) {
      return new GaugeModel(
          "cpu",
          false,
          Double.NaN,
          Double.NaN,
          "—",
          null,
          "no cgroup of its own: it competes with the host on equal terms",
          null,
          built,
          lit,
          List.of());
    }
    Double cores = sample == null || sample.cpuPercent() == null ? null : sample.cpuPercent() / 100;
    Double quota =
        c.quotaUs() != null && c.periodUs() != null && c.periodUs() > 0
            ? c.quotaUs() / (double) c.periodUs()
            : null;
    double max = quota != null ? quota : cpus;
    String note =
        c.shares() != null
            ? "Shares weigh it against its neighbours only under contention (1024 is the default)."
            : c.weight() != null
                ? "The weight counts only under contention (100 is the default)."
                : null;
    return new GaugeModel(
        "cpu",
        true,
        cores == null ? Double.NaN : Math.min(1, cores / max),
        Double.NaN,
        cores == null ? "…" : Units.ratio(cores),
        quota != null ? Units.ratio(quota) + " cores" : cpus + " CPUs, no quota",
        note,
        facts.throttling() ? "throttled by its quota" : null,
        built,
        lit,
        written ? asWritten(cpuSettings(c, v2(bp))) : cpuSettings(c, v2(s)));
  }

  /**
   * The CPU limits its steps wrote (cpu.shares, cpu.cfs_quota_us/cpu.cfs_period_us on v1;
   * cpu.weight, cpu.max on v2), when the kernel was never read: a container killed before the first
   * reading keeps the quota it was given. Null when its steps wrote none.
   */
  static CgroupStats.Cpu writtenCpu(Map<String, String> w) {
    Long shares = number(w.get("cpu.shares"));
    Long weight = number(w.get("cpu.weight"));
    Long quota = number(w.get("cpu.cfs_quota_us"));
    Long period = number(w.get("cpu.cfs_period_us"));
    String max = w.get("cpu.max");
    if (max != null) {
      String[] f = max.trim().split("\\s+");
      quota = number(f[0]);
      period = f.length > 1 ? number(f[1]) : Long.valueOf(100_000);
    }
    if (quota != null && quota < 0) {
      quota = null; // -1: no quota
    }
    if (shares == null && weight == null && quota == null) {
      return null;
    }
    return new CgroupStats.Cpu(null, null, null, null, null, null, quota, period, shares, weight);
  }

  /** The pids limit its steps wrote (pids.max), or null ("max", or none written). */
  static CgroupStats.Pids writtenPids(Map<String, String> w) {
    Long max = number(w.get("pids.max"));
    return max == null ? null : new CgroupStats.Pids(null, max, null);
  }

  private static Long number(String v) {
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return null; // "max"
    }
  }

  private static boolean v2(Blueprint bp) {
    return bp.cgroupWrites().containsKey("cpu.max") || bp.cgroupWrites().containsKey("cpu.weight");
  }

  private static List<String> asWritten(List<String> settings) {
    List<String> out = new ArrayList<>(settings);
    out.add("as its steps wrote it: the kernel was not read before the cgroup went");
    return List.copyOf(out);
  }

  private static GaugeModel memory(
      CgroupStats s, HouseFacts facts, Phase phase, Blueprint bp, int upTo, Set<Part> highlight) {
    Part part = Part.of(Kind.CGROUP, "memory");
    CgroupStats.Memory m = s == null ? null : s.memory();
    boolean built = upTo == LIVE ? m != null : built(bp, part, upTo);
    boolean lit = highlight.contains(part);
    boolean oom = phase == Phase.OOM_KILLED || facts.oomKills() > 0;
    if (m == null) {
      GaugeModel written = writtenMemoryLimit(bp, part, upTo, oom, facts, lit);
      if (written != null) {
        return written;
      }
      return new GaugeModel(
          "memory",
          false,
          Double.NaN,
          Double.NaN,
          "—",
          null,
          "no cgroup of its own: only the host's memory limits it",
          oomAlarm(oom, facts),
          built,
          lit,
          List.of());
    }
    Long usage = m.usageBytes();
    Long limit = m.limitBytes();
    double fraction =
        usage != null && limit != null && limit > 0
            ? Math.min(1, usage / (double) limit)
            : Double.NaN;
    String alarm = oomAlarm(oom, facts);
    return new GaugeModel(
        "memory",
        true,
        fraction,
        facts.memoryPeak(),
        usage == null ? "…" : Units.bytes(usage),
        limit == null ? null : Units.bytes(limit),
        null,
        alarm,
        built,
        lit,
        memorySettings(m, v2(s)));
  }

  private static String oomAlarm(boolean oom, HouseFacts facts) {
    if (!oom) {
      return null;
    }
    return facts.oomKills() > 1 ? "OOM-killed ×" + facts.oomKills() : "OOM-killed";
  }

  /**
   * The memory limit its steps wrote, when the kernel was never read (level 09's Try it kills its
   * hog before the first reading, and its cgroup is gone with it): the limit that was hit stays on
   * show with the kill. Null when its steps wrote none.
   */
  private static GaugeModel writtenMemoryLimit(
      Blueprint bp, Part part, int upTo, boolean oom, HouseFacts facts, boolean lit) {
    String file = null;
    for (String f : List.of("memory.limit_in_bytes", "memory.max")) {
      if (bp.cgroupWrites().containsKey(f)) {
        file = f;
      }
    }
    if (file == null || (upTo != LIVE && !built(bp, part, upTo))) {
      return null;
    }
    long bytes;
    try {
      bytes = Long.parseLong(bp.cgroupWrites().get(file).trim());
    } catch (NumberFormatException e) {
      return null; // "max": no limit was written
    }
    return new GaugeModel(
        "memory",
        true,
        Double.NaN,
        facts.memoryPeak(),
        "—",
        Units.bytes(bytes),
        null,
        oomAlarm(oom, facts),
        true,
        lit,
        List.of(
            "limit " + Units.bytes(bytes) + " — " + file,
            "as its steps wrote it: the kernel was not read before the cgroup went"));
  }

  private static GaugeModel pids(
      CgroupStats s, HouseFacts facts, Blueprint bp, int upTo, Set<Part> highlight) {
    Part part = Part.of(Kind.CGROUP, "pids");
    CgroupStats.Pids p = s == null ? null : s.pids();
    boolean written = false;
    if (p == null && (upTo == LIVE || built(bp, part, upTo))) {
      p = writtenPids(bp.cgroupWrites());
      written = p != null;
    }
    boolean built = upTo == LIVE ? p != null : built(bp, part, upTo);
    boolean lit = highlight.contains(part);
    if (p == null) {
      return new GaugeModel(
          "pids",
          false,
          Double.NaN,
          Double.NaN,
          "—",
          null,
          "no pids limit: a fork bomb can fill the host's process table",
          null,
          built,
          lit,
          List.of());
    }
    Long cur = p.current();
    Long max = p.max();
    long rejected = facts.rejectedForks();
    return new GaugeModel(
        "pids",
        true,
        cur != null && max != null && max > 0 ? Math.min(1, cur / (double) max) : Double.NaN,
        Double.NaN,
        cur == null ? "…" : Long.toString(cur),
        max == null ? null : Long.toString(max),
        null,
        rejected > 0 ? rejected + (rejected == 1 ? " fork refused" : " forks refused") : null,
        built,
        lit,
        written
            ? asWritten(List.of("max " + max + " — pids.max"))
            : List.of((max == null ? "no limit" : "max " + max) + " — pids.max"));
  }

  // The limits as the kernel reads them back, each named by the file the helper wrote: what a
  // student can `cat` in the cgroup's directory to see the same number.

  private static boolean v2(CgroupStats s) {
    return "v2".equals(s.version());
  }

  static List<String> cpuSettings(CgroupStats.Cpu c, boolean v2) {
    List<String> out = new ArrayList<>();
    Long period = c.periodUs();
    boolean quota = c.quotaUs() != null && period != null && period > 0;
    if (c.shares() != null) {
      out.add("shares " + c.shares() + " — cpu.shares");
    }
    if (c.weight() != null) {
      out.add("weight " + c.weight() + " — cpu.weight");
    }
    if (quota) {
      String cores = Units.cores(c.quotaUs() / (double) period);
      // A quota bites harder than a weight: it comes first (the compact gauge shows only that).
      out.add(
          0,
          v2
              ? "quota " + cores + " — cpu.max " + c.quotaUs() + " " + period
              : "quota "
                  + cores
                  + " — cpu.cfs_quota_us "
                  + c.quotaUs()
                  + " per cpu.cfs_period_us "
                  + period);
    } else {
      out.add(v2 ? "no quota — cpu.max max" : "no quota — cpu.cfs_quota_us -1");
    }
    return List.copyOf(out);
  }

  static List<String> memorySettings(CgroupStats.Memory m, boolean v2) {
    List<String> out = new ArrayList<>();
    String limit = m.limitBytes() == null ? "no limit" : "limit " + Units.bytes(m.limitBytes());
    out.add(limit + (v2 ? " — memory.max" : " — memory.limit_in_bytes"));
    if (m.swapLimitBytes() != null) {
      out.add(
          v2
              ? "swap " + Units.bytes(m.swapLimitBytes()) + " — memory.swap.max"
              : "memory+swap "
                  + Units.bytes(m.swapLimitBytes())
                  + " — memory.memsw.limit_in_bytes");
    }
    if (m.softLimitBytes() != null) {
      out.add(
          v2
              ? "high " + Units.bytes(m.softLimitBytes()) + " — memory.high"
              : "soft limit " + Units.bytes(m.softLimitBytes()) + " — memory.soft_limit_in_bytes");
    }
    // 60 is the kernel's default: only a value the run chose is worth a line.
    if (m.swappiness() != null && m.swappiness() != DEFAULT_SWAPPINESS) {
      out.add("swappiness " + m.swappiness() + " — memory.swappiness");
    }
    if (Boolean.TRUE.equals(m.oomKillDisabled())) {
      out.add("OOM killer off — memory.oom_control");
    }
    if (Boolean.TRUE.equals(m.oomGroup())) {
      out.add("OOM kills the whole group — memory.oom.group");
    }
    return List.copyOf(out);
  }

  // ---- network -----------------------------------------------------------------------------

  private static NetModel net(
      InspectResult r, Blueprint bp, HostModel host, List<WallModel> walls) {
    NetworkInfo n = r == null ? null : r.network();
    List<Interface> ifaces = new ArrayList<>();
    if (n != null && n.interfaces() != null) {
      for (NetworkInfo.Interface i : n.interfaces()) {
        boolean loop = i.flags() != null && i.flags().contains("LOOPBACK");
        String kind =
            loop
                ? "loopback"
                : i.name().startsWith("veth")
                        || i.name().startsWith("eth") && walls.get(NsType.NET.ordinal()).own()
                    ? "veth"
                    : "other";
        boolean up = i.flags() != null && i.flags().contains("UP");
        ifaces.add(
            new Interface(i.name(), up, i.addresses() == null ? List.of() : i.addresses(), kind));
      }
    }
    String hostname = n != null && n.hostname() != null ? n.hostname() : bp.hostname();
    return new NetModel(
        walls.get(NsType.NET.ordinal()).own(),
        ifaces,
        hostname,
        host.hostname(),
        walls.get(NsType.UTS.ordinal()).own(),
        n == null ? null : n.error(),
        n == null || n.wiring() == null ? null : wire(n.wiring()));
  }

  private static HouseModel.Wire wire(NetworkInfo.Wiring w) {
    return new HouseModel.Wire(
        w.containerEnd(),
        w.address(),
        w.hostEnd(),
        w.bridge(),
        w.bridgeAddress(),
        w.netns(),
        w.containerEndTxBytes(),
        w.containerEndRxBytes());
  }
}
