package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.runtime.net.BridgeNetwork;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;

/**
 * Removes what a dead helper ({@code kill -9}) left behind, when a new one starts — before it
 * accepts any client, and only by the helper that owns the state dir and the cgroup parent (it
 * kills every process in the parent's cgroups).
 *
 * <p>Order matters: processes first (a process still running in a container could keep a mount busy
 * or write into a dir being deleted), then mounts under {@code <stateDir>/containers} deepest first
 * and detached, then the containers' network wiring ({@code ip netns} links that keep their
 * namespaces and veth pairs alive, then the helper's bridge), then cgroup dirs (empty once their
 * processes are gone), then container dirs (never followed into a mount: {@link SafeDelete}), then
 * unfinished image extractions. Ptys were fds of the dead helper: the kernel closed them.
 *
 * <p>A cgroup under the parent is swept only when its container's dir is in this state dir: the
 * parent ({@code glasshouse} by default) may be shared with other helpers on other state dirs,
 * whose containers are not leftovers.
 *
 * <p>Processes of containers without a PID namespace (levels 00–05) are in their tracking cgroup
 * ({@link CgroupDriver#track}) and die with it in step 3, whatever they did to get away
 * (background, setsid, double fork); they are also found by their root: a chrooted process whose
 * {@code /proc/PID/root} lies under {@code <stateDir>/containers}. A process that pivoted into its
 * own mount and PID namespace shows {@code /} there; its namespace's PID 1 is in the container's
 * {@link PidRecord}, and the kernel ends the rest of the namespace with it.
 */
public final class Janitor {

  private final Path stateDir;
  private final CgroupDriver cgroups;
  private final Syscalls sys;
  private final Path mountinfo;
  private final Path proc;
  private BridgeNetwork network;

  /**
   * @param stateDir the helper's state dir
   * @param cgroups the cgroup driver with the helper's parent
   * @param sys for {@code umount2}
   */
  public Janitor(Path stateDir, CgroupDriver cgroups, Syscalls sys) {
    this(stateDir, cgroups, sys, SafeDelete.SELF_MOUNTINFO, Path.of("/proc"));
  }

  /** With another mount table and /proc (tests). */
  public Janitor(Path stateDir, CgroupDriver cgroups, Syscalls sys, Path mountinfo, Path proc) {
    this.stateDir = stateDir;
    this.cgroups = cgroups;
    this.sys = sys;
    this.mountinfo = mountinfo;
    this.proc = proc;
  }

  /** Also sweeps the network wiring of the dead helper's containers ({@code network} bonus). */
  public Janitor network(BridgeNetwork n) {
    this.network = n;
    return this;
  }

  /**
   * What a sweep did and what it could not do, one sentence each.
   *
   * @param done actions taken ({@code umount2 /…/proc MNT_DETACH})
   * @param failures what is left and why; empty when the sweep was complete
   */
  public record Report(List<String> done, List<String> failures) {
    /** Whether nothing was left behind. */
    public boolean clean() {
      return failures.isEmpty();
    }
  }

  /** Sweeps once. Never throws: every failure is a sentence in the report. */
  public Report sweep() {
    List<String> done = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Path containers = stateDir.resolve("containers");
    StepLog log =
        new StepLog(e -> done.add(e.call() + "(" + e.args() + ")" + (e.ok() ? "" : " failed")));

    // 1. Processes: those chrooted under the container dirs, then every cgroup's (destroy kills).
    try {
      for (long pid : chrootedUnder(containers)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        done.add("kill -KILL " + pid + " (its root is under " + containers + ")");
      }
    } catch (IOException e) {
      failures.add("cannot scan " + proc + " for container processes: " + e.getMessage());
    }
    List<String> ids = new ArrayList<>();
    try {
      // Only cgroups of containers of THIS state dir: another helper (another state dir, a test)
      // may share the cgroup parent, and its containers are alive; killing them would look to its
      // users like an unexplained SIGKILL (exit 137).
      for (String id : cgroups.containers()) {
        if (Files.isDirectory(containers.resolve(id), LinkOption.NOFOLLOW_LINKS)) {
          ids.add(id);
        }
      }
    } catch (IOException e) {
      failures.add(
          "cannot list the cgroups under " + cgroups.parentPaths() + ": " + e.getMessage());
    }
    // 2. Mounts, after the processes (a detached mount goes once nobody uses it).
    unmountAll(containers, done, failures);
    // 2b. Network: the ip netns links kept the dead containers' namespaces (and so their veth
    // pairs) alive; the bridge goes too.
    if (network != null) {
      List<String> dead = new ArrayList<>();
      for (Path d : children(containers, "*", failures)) {
        dead.add(d.getFileName().toString());
      }
      network.sweep(dead, done, failures);
    }
    // 3. cgroups.
    List<String> cgroupsLeft = new ArrayList<>();
    for (String id : ids) {
      try {
        cgroups.open(id, log).destroy();
      } catch (IOException | IllegalArgumentException e) {
        failures.add("cannot remove the cgroups of " + id + ": " + e.getMessage());
        cgroupsLeft.add(id);
      }
    }
    // 4. Container dirs. One whose cgroups would not go stays: its dir is how the next sweep knows
    // them for this state dir's.
    for (Path d : children(containers, "*", failures)) {
      if (cgroupsLeft.contains(d.getFileName().toString())) {
        failures.add("kept " + d + " for the next sweep: its cgroups would not go");
        continue;
      }
      try {
        SafeDelete.deleteTree(d, mountinfo);
        done.add("rm -r " + d);
      } catch (IOException e) {
        failures.add(e.getMessage());
      }
    }
    // 5. Unfinished image extractions (the image store also removes them lazily).
    for (Path image : children(stateDir.resolve("images"), "*", failures)) {
      for (Path tmp : children(image, ".{extract,old}-*", failures)) {
        try {
          SafeDelete.deleteTree(tmp, mountinfo);
          done.add("rm -r " + tmp);
        } catch (IOException e) {
          failures.add(e.getMessage());
        }
      }
    }
    return new Report(List.copyOf(done), List.copyOf(failures));
  }

  private void unmountAll(Path containers, List<String> done, List<String> failures) {
    if (!Files.isDirectory(containers, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // Stacked mounts show one at a time: repeat until none is left or nothing changes.
    List<String> previous = null;
    for (int round = 0; round < 16; round++) {
      List<String> mounts;
      try {
        mounts = SafeDelete.mountsUnder(containers.toRealPath(), mountinfo);
      } catch (IOException e) {
        failures.add("cannot read the mount table " + mountinfo + ": " + e.getMessage());
        return;
      }
      if (mounts.isEmpty()) {
        return;
      }
      if (mounts.equals(previous)) {
        failures.add("mounts under " + containers + " would not go: " + String.join(", ", mounts));
        return;
      }
      previous = mounts;
      for (String m : mounts) {
        try {
          sys.umount2(m, Flags.MNT_DETACH);
          done.add("umount2 " + m + " MNT_DETACH");
        } catch (SyscallException e) {
          // EINVAL: already gone with a parent detached before it.
          if (!"EINVAL".equals(e.errnoName())) {
            failures.add("cannot unmount " + m + ": " + e.getMessage());
          }
        }
      }
    }
  }

  /** Pids whose root directory lies under {@code dir}. */
  private List<Long> chrootedUnder(Path dir) throws IOException {
    List<Long> out = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    Path real = dir.toRealPath();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path p : ds) {
        try {
          Path root = Files.readSymbolicLink(p.resolve("root"));
          if (root.startsWith(real)) {
            out.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
          // Gone meanwhile, or a kernel thread: not a container process.
        }
      }
    }
    return out;
  }

  private static List<Path> children(Path dir, String glob, List<String> failures) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      for (Path p : ds) {
        out.add(p);
      }
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      failures.add("cannot list " + dir + ": " + e.getMessage());
    }
    out.sort(null);
    return out;
  }
}
