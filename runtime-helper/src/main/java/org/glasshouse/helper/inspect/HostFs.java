package org.glasshouse.helper.inspect;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the kernel's files are: the proc root and the host root that absolute paths (cgroup mount
 * points from mountinfo, overlay directories) are resolved against. Production uses {@code /proc}
 * and {@code /}; tests point both at a fixture directory.
 *
 * @param proc the proc root ({@code /proc})
 * @param root the host root ({@code /})
 */
public record HostFs(Path proc, Path root) {

  /** The real machine. */
  public static HostFs real() {
    return new HostFs(Path.of("/proc"), Path.of("/"));
  }

  /** {@code /proc/PID}. */
  public Path pidDir(long pid) {
    return proc.resolve(Long.toString(pid));
  }

  /** An absolute host path ({@code /sys/fs/cgroup/memory}) resolved against {@link #root}. */
  public Path host(String absolute) {
    String rel = absolute.startsWith("/") ? absolute.substring(1) : absolute;
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  /**
   * Reads a file of a process ({@code /proc/PID/name}). Bytes that are not UTF-8 are replaced
   * rather than rejected (command lines are arbitrary bytes).
   *
   * @throws ProcessGoneException when the process no longer exists
   */
  public String readPidFile(long pid, String name) throws ProcessGoneException {
    Path p = pidDir(pid).resolve(name);
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw gone(pid, e);
    }
  }

  /** Reads a file under the proc root that is not a process's ({@code self/mountinfo}). */
  public Optional<String> readProcFile(String rel) {
    return readOptional(proc.resolve(rel));
  }

  /** Target of a link of a process ({@code /proc/PID/ns/mnt}), empty when the link is absent. */
  public Optional<String> readPidLink(long pid, String name) throws ProcessGoneException {
    Path p = pidDir(pid).resolve(name);
    try {
      return Optional.of(Files.readSymbolicLink(p).toString());
    } catch (NoSuchFileException e) {
      if (!Files.isDirectory(pidDir(pid))) {
        throw new ProcessGoneException(pid);
      }
      return Optional.empty();
    } catch (IOException | UnsupportedOperationException e) {
      if (!Files.isDirectory(pidDir(pid))) {
        throw new ProcessGoneException(pid);
      }
      return Optional.empty();
    }
  }

  /** The pid {@code self} names under the proc root; this JVM's when that cannot be read. */
  public long selfPid() {
    try {
      return Long.parseLong(Files.readSymbolicLink(proc.resolve("self")).toString());
    } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
      return ProcessHandle.current().pid();
    }
  }

  /** Whether the process exists. */
  public boolean alive(long pid) {
    return Files.isDirectory(pidDir(pid));
  }

  /** Reads a file outside /proc (cgroupfs); empty when absent or unreadable. */
  public static Optional<String> readOptional(Path p) {
    // The telemetry tick reads a dozen tiny cgroupfs files per container: a plain read into a
    // per-thread buffer costs a fraction of Files.readAllBytes (no size probe, no growing copy).
    byte[] buf = BUFFER.get();
    try (FileInputStream in = new FileInputStream(p.toString())) {
      int n = 0;
      int r;
      while ((r = in.read(buf, n, buf.length - n)) > 0) {
        n += r;
        if (n == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
          BUFFER.set(buf);
        }
      }
      return Optional.of(new String(buf, 0, n, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[8192]);

  private ProcessGoneException gone(long pid, IOException e) {
    // ENOENT/ESRCH mean the process exited; anything else on a /proc/PID file (EACCES on a
    // process that changed credentials) is equally unreadable for a client, so it is reported the
    // same way with the cause kept for the log.
    return new ProcessGoneException(pid, e);
  }
}
