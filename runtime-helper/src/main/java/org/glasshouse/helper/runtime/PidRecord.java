package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;

/**
 * {@code <containerDir>/init.pid}: the host pid and start time of a container's first process. A
 * container that pivoted into its own mount namespace and has no cgroup is tied to its helper by
 * nothing else the kernel shows, so a helper restarted after a {@code kill -9} reads these before
 * the janitor's sweep and kills what is still running. The start time (field 22 of {@code
 * /proc/PID/stat}) guards against a recycled pid.
 */
final class PidRecord {
  private PidRecord() {}

  static final String FILE = "init.pid";

  /**
   * Records {@code pid} for the container in {@code dir}, its start time read from {@code proc}.
   */
  static void write(Path dir, Path proc, long pid) throws IOException {
    String start = startTime(proc, pid);
    if (start != null) {
      Files.writeString(dir.resolve(FILE), pid + " " + start + "\n", StandardCharsets.US_ASCII);
    }
  }

  /** Kills every recorded process that is still the one recorded; returns what it did. */
  static List<String> killRecorded(Path stateDir, Path proc, Syscalls sys) {
    List<String> done = new ArrayList<>();
    Path containers = stateDir.resolve("containers");
    if (!Files.isDirectory(containers, LinkOption.NOFOLLOW_LINKS)) {
      return done;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(containers)) {
      for (Path d : dirs) {
        Path f = d.resolve(FILE);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String[] parts = Files.readString(f, StandardCharsets.US_ASCII).trim().split(" ");
        if (parts.length != 2) {
          continue;
        }
        long pid = Long.parseLong(parts[0]);
        if (parts[1].equals(startTime(proc, pid))) {
          try {
            sys.kill(pid, 9);
            done.add("kill -9 " + pid + " (first process of " + d.getFileName() + ")");
          } catch (SyscallException e) {
            // ESRCH: it ended meanwhile.
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      done.add("could not read every " + FILE + ": " + e.getMessage());
    }
    return done;
  }

  /** Field 22 of /proc/PID/stat (after the command's closing parenthesis), or null if gone. */
  static String startTime(Path proc, long pid) {
    try {
      String stat = Files.readString(proc.resolve(pid + "/stat"), StandardCharsets.US_ASCII);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return f[19];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
