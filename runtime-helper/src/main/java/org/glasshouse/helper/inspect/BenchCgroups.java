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
  private final boolean ownCgroups;

  BenchCgroups(int count) throws IOException {
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
        Process p = new ProcessBuilder("sleep", "600").redirectErrorStream(true).start();
        processes.add(p);
        if (own) {
          for (Path parent : parents) {
            Path g = Files.createDirectory(parent.resolve("c" + i));
            groups.add(g);
            Files.writeString(g.resolve("cgroup.procs"), Long.toString(p.pid()));
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
    return processes.stream().map(Process::pid).toList();
  }

  /** Whether each process got a cgroup of its own. */
  boolean ownCgroups() {
    return ownCgroups;
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroyForcibly();
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
