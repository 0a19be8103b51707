package org.glasshouse.helper.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builds a fake proc root + host root under a temp dir: ns links, status, cgroup, mountinfo. */
public final class FakeProc {

  public final Path proc;
  public final Path root;
  public final HostFs fs;

  public FakeProc(Path tmp) throws IOException {
    proc = Files.createDirectories(tmp.resolve("proc"));
    root = Files.createDirectories(tmp.resolve("root"));
    fs = new HostFs(proc, root);
  }

  /** A process with these namespace inodes (type → inode), a status and a cmdline. */
  public Path process(long pid, Map<String, Long> ns) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)).resolve("ns"));
    for (Map.Entry<String, Long> e : ns.entrySet()) {
      String base = e.getKey().replace("_for_children", "");
      Files.createSymbolicLink(dir.resolve(e.getKey()), Path.of(base + ":[" + e.getValue() + "]"));
    }
    Path p = dir.getParent();
    Files.writeString(p.resolve("status"), "Name:\tp" + pid + "\nState:\tS (sleeping)\nPPid:\t1\n");
    Files.writeString(p.resolve("cmdline"), "p" + pid + "\0");
    return p;
  }

  public static Map<String, Long> ns(long base) {
    return Map.of(
        "mnt",
        base,
        "uts",
        base + 1,
        "ipc",
        base + 2,
        "pid",
        base + 3,
        "net",
        base + 4,
        "cgroup",
        base + 5,
        "user",
        base + 6,
        "time",
        base + 7,
        "pid_for_children",
        base + 3,
        "time_for_children",
        base + 7);
  }
}
