package org.glasshouse.helper.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.glasshouse.helper.cgroups.CgroupMounts;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.protocol.Privilege;

/**
 * Idle {@code sleep} processes, each in a cgroup of its own under a uniquely named parent ({@code
 * glasshouse-bench-<random>}) in every hierarchy that has cpu, cpuacct, memory or pids (or the
 * unified one on a pure v2 host), for the inspection benchmark. Everything is removed on {@link
 * #close()}. Without root the processes stay in the benchmark's own cgroup.
 */
final class BenchCgroups implements AutoCloseable {

  private final List<Path> parents = new ArrayList<>();
  private final List<Path> groups = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<Long> targets = new ArrayList<>();
  private final boolean ownCgroups;

  BenchCgroups(int count) throws IOException {
    this(count, false);
  }

  /**
   * @param pidNamespaces each sleep is PID 1 of a pid namespace of its own ({@code unshare --pid
   *     --fork}), as a container's first process is from level 03 on; {@link #pids()} are the
   *     sleeps' host pids
   */
  BenchCgroups(int count, boolean pidNamespaces) throws IOException {
    String name = "glasshouse-bench-" + Long.toHexString(System.nanoTime() & 0xffffffffL);
    List<Path> hierarchies = hierarchies();
    boolean own = Privilege.runningAsRoot() && !hierarchies.isEmpty();
    try {
      if (own) {
        for (Path h : hierarchies) {
          parents.add(Files.createDirectory(h.resolve(name)));
        }
      }
      for (int i = 0; i < count; i++) {
        Process p =
            new ProcessBuilder(
                    pidNamespaces && own
                        ? List.of("unshare", "--pid", "--fork", "--kill-child", "sleep", "600")
                        : List.of("sleep", "600"))
                .redirectErrorStream(true)
                .start();
        processes.add(p);
        long first = p.pid();
        if (pidNamespaces && own) {
          first = firstChild(p);
        }
        targets.add(first);
        if (own) {
          for (Path parent : parents) {
            Path g = Files.createDirectory(parent.resolve("c" + i));
            groups.add(g);
            Files.writeString(g.resolve("cgroup.procs"), Long.toString(p.pid()));
            if (first != p.pid()) {
              Files.writeString(g.resolve("cgroup.procs"), Long.toString(first));
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    this.ownCgroups = own;
  }

  /** Host pids of the sleeps. */
  List<Long> pids() {
    return List.copyOf(targets);
  }

  /** The child unshare forked (it execs sleep), waited for up to 5 s. */
  private static long firstChild(Process p) throws IOException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> c = p.toHandle().children().findFirst();
      if (c.isPresent() && c.get().info().command().orElse("").endsWith("sleep")) {
        return c.get().pid();
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IOException("unshare --pid --fork sleep: no sleep after 5 s");
  }

  /** Whether each process got a cgroup of its own. */
  boolean ownCgroups() {
    return ownCgroups;
  }

  @Override
  public void close() {
    List<ProcessHandle> sleeps = new ArrayList<>();
    for (Process p : processes) {
      p.children().forEach(sleeps::add);
      p.destroyForcibly();
    }
    for (ProcessHandle h : sleeps) {
      h.destroyForcibly();
      try {
        h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        // Gone or stuck: the cgroup removal below says which.
      }
    }
    for (Process p : processes) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Children first: a cgroup directory can only be removed once it is empty of groups and tasks.
    for (Path g : groups) {
      removeDir(g);
    }
    for (Path p : parents) {
      removeDir(p);
    }
  }

  private static void removeDir(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      System.err.println("bench: could not remove cgroup " + dir + ": " + e.getMessage());
    }
  }

  /** Mount points of the hierarchies to create groups in. */
  private static List<Path> hierarchies() {
    List<Path> out = new ArrayList<>();
    Optional<String> mi = HostFs.readOptional(Path.of("/proc/self/mountinfo"));
    CgroupMounts mounts = CgroupMounts.parse(mi.orElse(""));
    for (MountEntry e : mounts.v1()) {
      for (String c : List.of("cpu", "cpuacct", "memory", "pids")) {
        if (CgroupMounts.controllers(e).contains(c)) {
          out.add(Path.of(e.mountPoint()));
          break;
        }
      }
    }
    if (out.isEmpty() && !mounts.v2().isEmpty()) {
      out.add(Path.of(mounts.v2().get(0).mountPoint()));
    }
    return out;
  }
}
