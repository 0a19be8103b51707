package org.glasshouse.helper.cgroups;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * cgroupfs in a temp dir, behaving as the kernel does where the drivers can tell: mkdir creates the
 * hierarchy's control files, writes to cgroup.procs add a pid, dead pids vanish from cgroup.procs,
 * cgroup.kill empties it, rmdir of a cgroup with processes is EBUSY. Every write is recorded in
 * order.
 */
class FakeCgroupFs extends CgroupFs {
  private final Map<Path, List<String>> filesByMount;
  final List<String> writes = new ArrayList<>();
  final List<String> bpf = new ArrayList<>();

  /**
   * @param filesByMount for each hierarchy mount point, the control files a new cgroup gets
   */
  FakeCgroupFs(Map<Path, List<String>> filesByMount) {
    this.filesByMount = filesByMount;
  }

  @Override
  public void mkdir(Path dir) throws IOException {
    Files.createDirectory(dir);
    for (Map.Entry<Path, List<String>> e : filesByMount.entrySet()) {
      if (dir.startsWith(e.getKey())) {
        for (String f : e.getValue()) {
          Files.writeString(dir.resolve(f), f.equals("cgroup.controllers") ? controllers(dir) : "");
        }
      }
    }
  }

  private static String controllers(Path dir) throws IOException {
    Path parent = dir.getParent().resolve("cgroup.subtree_control");
    if (!Files.exists(parent)) {
      return "";
    }
    return Stream.of(Files.readString(parent).trim().split("\\s+"))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.joining(" "));
  }

  @Override
  public void write(Path file, String value) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    writes.add(file + " ← " + value);
    String name = file.getFileName().toString();
    switch (name) {
      case "cgroup.procs" -> Files.writeString(file, read(file) + value + "\n");
      case "cgroup.kill" -> {
        // The whole subtree, as the kernel does.
        try (Stream<Path> tree = Files.walk(file.getParent())) {
          for (Path procs : tree.filter(p -> p.endsWith("cgroup.procs")).toList()) {
            for (String pid : read(procs).split("\n")) {
              if (!pid.isBlank() && ours(Long.parseLong(pid))) {
                if (Long.parseLong(pid) == ProcessHandle.current().pid()) {
                  throw new AssertionError("a fake cgroup.kill would kill the test's own JVM");
                }
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
              }
            }
            Files.writeString(procs, "");
          }
        }
      }
      case "cgroup.subtree_control" -> {
        List<String> on = new ArrayList<>(List.of(read(file).trim().split("\\s+")));
        on.remove("");
        for (String c : value.split(" ")) {
          if (c.startsWith("+") && !on.contains(c.substring(1))) {
            on.add(c.substring(1));
          }
        }
        Files.writeString(file, String.join(" ", on));
      }
      default -> Files.writeString(file, value);
    }
  }

  @Override
  public String read(Path file) throws IOException {
    String s = Files.readString(file);
    if (file.getFileName().toString().equals("cgroup.procs")) {
      // The kernel lists live tasks only; this fake's tasks are the test's (see ours).
      return Stream.of(s.split("\n"))
          .filter(p -> !p.isBlank())
          .filter(p -> ours(Long.parseLong(p)))
          .map(p -> p + "\n")
          .collect(Collectors.joining());
    }
    return s;
  }

  /**
   * Whether this fake's "kernel" has {@code pid}: alive, and this JVM or a process it started. A
   * pid a test makes up (4242) can be a real process of the machine's: listed, the driver's destroy
   * killed it (SIGKILL, for real) — in one CI run pid 4242 was the test JVM itself, and the build
   * died with exit code 137 in CgroupDelegationTest.
   */
  static boolean ours(long pid) {
    ProcessHandle self = ProcessHandle.current();
    return pid == self.pid() || self.descendants().anyMatch(h -> h.pid() == pid && h.isAlive());
  }

  @Override
  public void rmdir(Path dir) throws IOException {
    Path procs = dir.resolve("cgroup.procs");
    if (Files.exists(procs) && !read(procs).isBlank()) {
      throw new FileSystemException(dir.toString(), null, "Device or resource busy");
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (Files.isDirectory(p)) {
          throw new FileSystemException(dir.toString(), null, "Device or resource busy");
        }
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** Creates a hierarchy's root (a mount point) with its control files. */
  void root(Path mount, String... extra) throws IOException {
    Files.createDirectories(mount);
    for (String f : filesByMount.get(mount)) {
      Files.writeString(mount.resolve(f), "");
    }
    for (int i = 0; i + 1 < extra.length; i += 2) {
      Files.writeString(mount.resolve(extra[i]), extra[i + 1]);
    }
  }

  @Override
  public org.glasshouse.helper.linux.Fd openCgroup(Path dir) {
    bpf.add("open " + dir);
    return new org.glasshouse.helper.linux.Fd(7, dir.toString());
  }

  @Override
  public int loadDeviceFilter(DeviceFilter filter) {
    bpf.add("load " + filter.instructions().size() + " insns");
    return 8;
  }

  @Override
  public void attachDeviceFilter(org.glasshouse.helper.linux.Fd cgroup, int progFd) {
    bpf.add("attach " + progFd + " to " + cgroup.path());
  }

  @Override
  public void close(int fd) {
    bpf.add("close " + fd);
  }
}
