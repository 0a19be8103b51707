package org.glasshouse.app.levels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.glasshouse.app.core.Inspections;
import org.glasshouse.app.core.Units;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.InspectResult.NamespaceView;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.ProcessInfo;
import org.glasshouse.protocol.inspect.UpperDirEntry;

/**
 * Each level's facts about the student's own container. A fact is read from the kernel through the
 * helper's typed inspection (never from what the command printed), so a container of the level
 * below fails on the one fact that level lacks, and says what it found instead.
 */
final class LevelChecks {
  private LevelChecks() {}

  static LevelCheck forkExec() {
    return new LevelCheck(
        "your container is an ordinary host process: the host's root and every namespace the host's",
        (e, f) -> {
          if (!running(e, f)) {
            return;
          }
          String root = e.inside().mounts() == null ? null : e.inside().mounts().root();
          f.require(
              "/".equals(root),
              () -> "its root is the host's /: it sees the host's files",
              () -> "its root is " + root + ", not the host's /: that is chroot (level 01's step)");
          List<String> own = ownNamespaces(e.inside());
          f.require(
              own.isEmpty(),
              () -> "every namespace is the host's (" + String.join(", ", types(e)) + ")",
              () ->
                  "its "
                      + String.join(", ", own)
                      + (own.size() == 1 ? " namespace differs" : " namespaces differ")
                      + " from the host's: level 00 isolates nothing");
        });
  }

  static LevelCheck chroot() {
    return new LevelCheck(
        "your container's root is the image and its /proc mount shows in the host's mount table",
        (e, f) -> {
          if (!running(e, f)) {
            return;
          }
          String root = e.inside().mounts() == null ? null : e.inside().mounts().root();
          f.require(
              root != null && !root.equals("/"),
              () -> "its root is the image's directory " + root + " (chroot)",
              () -> "its root is the host's /: it sees the host's files (nothing chrooted it)");
          Optional<MountsResult.Mount> leak =
              hostMountsOf(e).stream().filter(m -> "proc".equals(m.fsType())).findFirst();
          f.require(
              leak.isPresent(),
              () ->
                  "the host's mount table holds its proc at "
                      + leak.get().mountPoint()
                      + ": the mounts made for it leaked to the host",
              () ->
                  "the host's mount table shows none of its mounts: they stay in a mount namespace"
                      + " of its own (that is level 02)");
        });
  }

  static LevelCheck mountNs() {
    return new LevelCheck(
        "your container has its own mount namespace and its mounts are absent from the host's table",
        (e, f) -> {
          if (!running(e, f) || !own(e, f, "mnt", "mount")) {
            return;
          }
          List<MountsResult.Mount> leaked = hostMountsOf(e);
          List<String> inside = mountPoints(e);
          f.require(
              leaked.isEmpty() && inside.contains("/proc"),
              () ->
                  "its mounts ("
                      + String.join(", ", inside)
                      + ") are in its own table only: the host's shows none of them",
              () ->
                  leaked.isEmpty()
                      ? "it has no /proc mounted inside (its mounts: " + inside + ")"
                      : "the host's mount table shows its mount at "
                          + leaked.get(0).mountPoint()
                          + ": it leaked");
        });
  }

  static LevelCheck pivotRoot() {
    return new LevelCheck(
        "your container's mount tree is rooted at the image and the host's old root is gone from it",
        (e, f) -> {
          if (!running(e, f) || !own(e, f, "mnt", "mount")) {
            return;
          }
          String root = e.inside().mounts() == null ? null : e.inside().mounts().root();
          f.require(
              "/".equals(root),
              () -> "its root is the root of its own mount tree (pivot_root)",
              () ->
                  "its root is "
                      + root
                      + ", a directory of the host's tree reached by chroot: the host's root is"
                      + " still in its mount namespace (level 02)");
          MountsResult.Mount mine = visibleAt(e.mounts(), "/");
          MountsResult.Mount hosts = visibleAt(e.hostMounts(), "/");
          f.require(
              mine != null && !sameFs(mine, hosts),
              () -> "the mount at its / is the image: " + describe(mine),
              () ->
                  mine == null
                      ? "its mount table has no mount at /"
                      : "the mount at its / is the host's own root " + describe(mine));
          List<MountsResult.Mount> old =
              entries(e.mounts()).stream().filter(m -> m != mine && sameFs(m, hosts)).toList();
          f.require(
              old.isEmpty(),
              () ->
                  "the old root is gone: its mount tree holds only "
                      + String.join(", ", mountPoints(e)),
              () ->
                  "the host's root is still mounted at "
                      + old.get(0).mountPoint()
                      + " in its mount tree: the old root was not detached");
        });
  }

  static LevelCheck overlay() {
    return new LevelCheck(
        "a file written inside your container is in its upper directory, not in the image",
        (e, f) -> {
          if (!running(e, f)) {
            return;
          }
          var o = e.inside().overlay();
          var m = e.inside().mounts();
          f.require(
              o != null && o.upper() != null,
              () ->
                  "its root is an overlay: the image "
                      + String.join(":", o.lower())
                      + " below, read-only; its own upper "
                      + o.upper(),
              () ->
                  "its root is not an overlay but "
                      + (m == null ? "unknown" : m.rootFsType() + " " + m.rootSource())
                      + ": a write would change the shared image");
          List<UpperDirEntry> written =
              Optional.ofNullable(e.inside().upperDir()).orElse(List.of()).stream()
                  .filter(u -> !"dir".equals(u.kind()))
                  .toList();
          f.require(
              !written.isEmpty(),
              () ->
                  "written inside, found in its upper directory only: "
                      + String.join(
                          ", ", written.stream().limit(5).map(LevelChecks::describe).toList()),
              () ->
                  "its upper directory holds no file yet: nothing was written inside this"
                      + " container");
        });
  }

  static LevelCheck uts() {
    return new LevelCheck(
        "your container has its own UTS namespace and a hostname that is not the host's",
        (e, f) -> {
          if (!running(e, f) || !own(e, f, "uts", "UTS")) {
            return;
          }
          String mine = Inspections.hostname(e.inside());
          String hosts = Inspections.hostname(e.host());
          f.require(
              mine != null && !mine.equals(hosts),
              () -> "its hostname is " + mine + "; the host's is still " + hosts,
              () -> "its hostname is the host's (" + hosts + ")");
        });
  }

  static LevelCheck pidNs() {
    return new LevelCheck(
        "your command is PID 1 in a PID namespace of its own, where no host process is visible",
        (e, f) -> {
          if (!running(e, f) || !own(e, f, "pid", "PID")) {
            return;
          }
          Optional<ProcessInfo> one = Inspections.pid1(e.inside());
          f.require(
              one.isPresent() && one.get().pid() == e.inside().pid(),
              () ->
                  "PID 1 inside is its command \""
                      + Inspections.command(one.get())
                      + "\" (host pid "
                      + one.get().pid()
                      + ")",
              () -> "its command is not PID 1 of its namespace");
          int n = e.inside().processes() == null ? 0 : e.inside().processes().size();
          NamespaceView pid = ns(e.inside(), "pid");
          f.require(
              pid.sharers() <= n,
              () ->
                  (n == 1
                          ? "its PID namespace holds its own process only"
                          : "its PID namespace holds only its own " + n + " processes")
                      + ": no host process is visible",
              () ->
                  "its PID namespace holds "
                      + Units.counted(pid.sharers(), "process", "processes")
                      + ", not only its own");
        });
  }

  static LevelCheck netNs() {
    return new LevelCheck(
        "your container has its own network namespace with only lo (and the bridge's veth end)",
        (e, f) -> {
          if (!running(e, f) || !own(e, f, "net", "network")) {
            return;
          }
          NetworkInfo n = e.inside().network();
          List<String> names =
              n == null || n.interfaces() == null
                  ? List.of()
                  : n.interfaces().stream().map(NetworkInfo.Interface::name).toList();
          // With Bridge on (the level's bonus, which Try it 07-bridge ticks and the next run
          // keeps) the helper adds one veth end: put there by the helper, not seen through from
          // the host, so the namespace is still the container's own with nothing of the host's.
          NetworkInfo.Wiring w = n == null ? null : n.wiring();
          if (w != null && w.containerEnd() != null) {
            f.require(
                names.equals(List.of("lo", w.containerEnd())),
                () ->
                    "its interfaces are lo and "
                        + w.containerEnd()
                        + ", its end of the veth pair to the bridge",
                () -> "its interfaces are " + names);
            return;
          }
          f.require(
              names.equals(List.of("lo")),
              () -> "its only interface is lo",
              () -> "its interfaces are " + names);
        });
  }

  static LevelCheck cpu() {
    return new LevelCheck(
        "your container has its own CPU cgroup holding the shares you set",
        (e, f) -> {
          if (!running(e, f) || !ownCgroup(e, f, "cpu")) {
            return;
          }
          Integer set = limits(e).cpuShares();
          CgroupStats.Cpu cpu = Inspections.stats(e.inside()).map(CgroupStats::cpu).orElse(null);
          Long weight = set == null ? null : 1 + ((set - 2L) * 9999) / 262142;
          boolean holds =
              set != null
                  && cpu != null
                  && (cpu.shares() != null
                      ? cpu.shares().longValue() == set
                      : Objects.equals(cpu.weight(), weight));
          f.require(
              holds,
              () ->
                  cpu.shares() != null
                      ? "its cgroup holds cpu.shares " + cpu.shares() + ", as set"
                      : "its cgroup holds cpu.weight " + cpu.weight() + " (shares " + set + ")",
              () ->
                  set == null
                      ? "no CPU shares were set for it: it runs at the default weight"
                      : "its cgroup holds "
                          + (cpu == null ? "no CPU figures" : "shares " + cpu.shares())
                          + ", not the "
                          + set
                          + " set");
        });
  }

  static LevelCheck memory() {
    return new LevelCheck(
        "your container runs under a memory limit and the OOM killer struck in it",
        (e, f) -> {
          Long set = limits(e).memoryBytes();
          if (!e.live() && e.oomKilled()) {
            Optional<StepEntry> w =
                e.steps().stream()
                    .filter(s -> s.ok() && "write".equals(s.call()))
                    .filter(s -> s.args() != null && s.args().contains("memory."))
                    .findFirst();
            f.require(
                w.isPresent(),
                () ->
                    "its memory limit was written: " + w.get().call() + "(" + w.get().args() + ")",
                () -> "its step log holds no memory limit");
            f.require(
                true,
                () -> "the OOM killer killed it (the helper saw the kill in its memory cgroup)",
                () -> "");
            return;
          }
          if (!e.live()) {
            f.require(
                false,
                () -> "",
                () ->
                    "it ended ("
                        + (e.exitCode() == null ? "killed" : "exit " + e.exitCode())
                        + ") and no OOM kill was seen in it");
            return;
          }
          if (!running(e, f) || !ownCgroup(e, f, "memory")) {
            return;
          }
          CgroupStats.Memory mem =
              Inspections.stats(e.inside()).map(CgroupStats::memory).orElse(null);
          f.require(
              set != null && mem != null && set.equals(mem.limitBytes()),
              () -> "its memory limit is " + Units.bytes(mem.limitBytes()) + ", as set",
              () ->
                  set == null
                      ? "no memory limit was set for it"
                      : "its cgroup holds no limit of " + Units.bytes(set));
          f.require(
              mem != null && mem.oomKills() != null && mem.oomKills() > 0,
              () ->
                  "the OOM killer killed "
                      + Units.counted(mem.oomKills(), "process", "processes")
                      + " in it",
              () -> "its memory cgroup has seen no OOM kill yet");
        });
  }

  static LevelCheck setuid() {
    return new LevelCheck(
        "your container's process runs with the uid and gid you chose",
        (e, f) -> {
          if (!running(e, f)) {
            return;
          }
          String user = e.spec().user();
          f.require(
              user != null && !user.isBlank(),
              () -> "it was asked to run as " + user,
              () -> "no user was chosen for it: it runs as root");
          if (f.failed()) {
            return;
          }
          String[] ug = user.split(":");
          long uid = Long.parseLong(ug[0]);
          long gid = ug.length > 1 ? Long.parseLong(ug[1]) : uid;
          ProcessInfo p = main(e);
          f.require(
              p != null
                  && p.uids() != null
                  && p.uids().stream().allMatch(u -> u == uid)
                  && p.gids() != null
                  && p.gids().stream().allMatch(g -> g == gid),
              () -> "its process runs as uid " + uid + ", gid " + gid + " (real, effective, saved)",
              () ->
                  p == null
                      ? "its process could not be read"
                      : "its process runs as uid " + p.uids() + ", gid " + p.gids());
        });
  }

  static LevelCheck capabilities() {
    return new LevelCheck(
        "your container's bounding and effective sets lack what was dropped",
        (e, f) -> {
          if (!running(e, f)) {
            return;
          }
          ProcessInfo p = main(e);
          Map<String, List<String>> caps =
              p == null || p.capabilities() == null ? Map.of() : p.capabilities();
          List<String> bounding = caps.getOrDefault("bounding", List.of());
          List<String> effective = caps.getOrDefault("effective", List.of());
          List<String> dropped = new ArrayList<>(List.of("sys_admin"));
          Optional.ofNullable(e.spec().capDrop()).orElse(List.of()).stream()
              .map(LevelChecks::capName)
              .forEach(dropped::add);
          List<String> kept = dropped.stream().filter(bounding::contains).toList();
          f.require(
              !bounding.isEmpty() && kept.isEmpty(),
              () ->
                  "its bounding set ("
                      + bounding.size()
                      + " capabilities) lacks "
                      + String.join(", ", dropped)
                      + "; its effective set has "
                      + effective.size(),
              () ->
                  bounding.isEmpty()
                      ? "its capability sets could not be read"
                      : "its bounding set still holds " + String.join(", ", kept));
          List<String> added =
              Optional.ofNullable(e.spec().capAdd()).orElse(List.of()).stream()
                  .map(LevelChecks::capName)
                  .filter(c -> !effective.contains(c) && !bounding.contains(c))
                  .toList();
          f.require(
              added.isEmpty(),
              () -> "every capability added back is in its sets",
              () -> "the capabilities added back are missing: " + added);
        });
  }

  static LevelCheck pids() {
    return new LevelCheck(
        "your container hit its pids limit: forks were refused",
        (e, f) -> {
          if (!running(e, f) || !ownCgroup(e, f, "pids")) {
            return;
          }
          Integer set = limits(e).pidsMax();
          CgroupStats.Pids p = Inspections.stats(e.inside()).map(CgroupStats::pids).orElse(null);
          f.require(
              set != null && p != null && p.max() != null && p.max().longValue() == set,
              () -> "its pids.max is " + p.max() + ", as set",
              () -> set == null ? "no pids limit was set for it" : "its cgroup holds no pids.max");
          f.require(
              p != null && p.rejected() != null && p.rejected() > 0,
              () ->
                  "the limit was reached: "
                      + Units.counted(p.rejected(), "fork", "forks")
                      + " refused, "
                      + tasks(p)
                      + " now",
              () -> "no fork has been refused in it yet (" + tasks(p) + ")");
        });
  }

  static LevelCheck seccomp() {
    return new LevelCheck(
        "a seccomp filter is active on your container's process",
        (e, f) -> {
          if (!running(e, f)) {
            return;
          }
          ProcessInfo p = main(e);
          f.require(
              p != null && p.seccomp() == 2,
              () ->
                  "its process is in seccomp mode 2 (filter) with "
                      + (p.seccompFilters() == null
                          ? "its filters"
                          : Units.counted(p.seccompFilters(), "filter", "filters"))
                      + " attached",
              () ->
                  "its process has no seccomp filter (Seccomp: "
                      + (p == null ? "?" : p.seccomp())
                      + ")");
        });
  }

  // --- the facts every level builds on -------------------------------------------------------

  private static boolean running(Evidence e, Facts f) {
    return f.require(
        e.readable(),
        () -> "it runs at level " + String.format("%02d", e.level()) + ": " + argv(e),
        () ->
            e.live()
                ? "the helper could not read it (it ended while being read)"
                : "it has ended ("
                    + ended(e)
                    + "), and a check reads the kernel's facts from a running container: Run the"
                    + " level first (the Run button), then check again");
  }

  /** How a container that is not running ended, in words: "exit 0", "OOM-killed", "killed". */
  private static String ended(Evidence e) {
    if (e.oomKilled()) {
      return "OOM-killed";
    }
    return e.exitCode() == null ? "killed or lost" : "exit " + e.exitCode();
  }

  private static boolean own(Evidence e, Facts f, String type, String word) {
    NamespaceView v = ns(e.inside(), type);
    return f.require(
        v != null && !v.sameAsHost(),
        () ->
            "it has a "
                + word
                + " namespace of its own: "
                + type
                + ":["
                + v.inode()
                + "], the host's is "
                + type
                + ":["
                + v.hostInode()
                + "]",
        () ->
            v == null
                ? "its " + type + " namespace could not be read"
                : "this container has no "
                    + word
                    + " namespace of its own: it shares the host's ("
                    + type
                    + ":["
                    + v.hostInode()
                    + "])");
  }

  private static boolean ownCgroup(Evidence e, Facts f, String controller) {
    InspectResult.CgroupView c = e.inside().cgroup();
    String dir =
        c == null
            ? null
            : c.v1() != null && c.v1().containsKey(controller) ? c.v1().get(controller) : c.v2();
    return f.require(
        dir != null && dir.contains(e.container()),
        () -> "it has a " + controller + " cgroup of its own: " + dir,
        () ->
            "it has no "
                + controller
                + " cgroup of its own: it runs in "
                + (dir == null ? "the host's" : dir));
  }

  /** "1 task", "16 tasks": the pids cgroup's count now ("—" unread). */
  private static String tasks(CgroupStats.Pids p) {
    return Units.tasks(p == null || p.current() == null ? Double.NaN : p.current());
  }

  private static NamespaceView ns(InspectResult r, String type) {
    return r == null || r.namespaces() == null ? null : r.namespaces().get(type);
  }

  private static List<String> types(Evidence e) {
    return new ArrayList<>(e.inside().namespaces().keySet());
  }

  private static List<String> ownNamespaces(InspectResult r) {
    if (r.namespaces() == null) {
      return List.of("(unreadable)");
    }
    return r.namespaces().entrySet().stream()
        .filter(x -> !x.getValue().sameAsHost())
        .map(Map.Entry::getKey)
        .toList();
  }

  private static ProcessInfo main(Evidence e) {
    if (e.inside().processes() == null) {
      return null;
    }
    return e.inside().processes().stream()
        .filter(p -> p.pid() == e.inside().pid())
        .findFirst()
        .orElse(e.inside().processes().isEmpty() ? null : e.inside().processes().get(0));
  }

  private static Limits limits(Evidence e) {
    Limits l = e.spec() == null ? null : e.spec().limits();
    return l == null ? new Limits(null, null, null, null, null) : l;
  }

  private static String argv(Evidence e) {
    return e.spec() == null || e.spec().argv() == null ? "?" : String.join(" ", e.spec().argv());
  }

  private static String capName(String c) {
    String s = c.strip().toLowerCase(Locale.ROOT);
    return s.startsWith("cap_") ? s.substring(4) : s;
  }

  /** The host's mounts that the helper marks as lying under this container's root. */
  private static List<MountsResult.Mount> hostMountsOf(Evidence e) {
    return entries(e.hostMounts()).stream()
        .filter(m -> e.container().equals(m.leakedFrom()))
        .toList();
  }

  private static List<MountsResult.Mount> entries(MountsResult r) {
    return r == null || r.entries() == null ? List.of() : r.entries();
  }

  private static List<String> mountPoints(Evidence e) {
    return entries(e.mounts()).stream().map(MountsResult.Mount::mountPoint).toList();
  }

  /** The mount one sees at {@code point}: the last one there that nothing covers. */
  private static MountsResult.Mount visibleAt(MountsResult r, String point) {
    MountsResult.Mount found = null;
    for (MountsResult.Mount m : entries(r)) {
      if (point.equals(m.mountPoint()) && !m.overmounted()) {
        found = m;
      }
    }
    return found;
  }

  /** The same directory of the same file system: the same device and the same root in it. */
  private static boolean sameFs(MountsResult.Mount a, MountsResult.Mount b) {
    return a != null
        && b != null
        && Objects.equals(a.device(), b.device())
        && Objects.equals(a.root(), b.root());
  }

  private static String describe(MountsResult.Mount m) {
    return m.fsType() + " " + m.source() + ("/".equals(m.root()) ? "" : "[" + m.root() + "]");
  }

  private static String describe(UpperDirEntry u) {
    return u.path() + ("whiteout".equals(u.kind()) ? " (whiteout)" : " (" + u.kind() + ")");
  }
}
