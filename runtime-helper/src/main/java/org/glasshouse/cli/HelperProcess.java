package org.glasshouse.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;

/**
 * A helper of a benchmark's own: {@code glasshouse helper} as its own JVM, with the launcher's JVM
 * options ({@link HelperJvm}), on a temporary socket and state dir, its log in a file there. The
 * benchmark reads its memory and fds from {@code /proc} as anyone watching a helper would.
 */
final class HelperProcess implements AutoCloseable {

  private final Path dir;
  private final Path socket;
  private final Process process;
  private final Path imagesDir;

  /** Whether {@link #close} deletes the dir: not once a successor ({@link #restart}) took it. */
  private boolean ownsDir = true;

  private HelperProcess(Path dir, Path socket, Process process, Path imagesDir) {
    this.dir = dir;
    this.socket = socket;
    this.process = process;
    this.imagesDir = imagesDir;
  }

  /** Starts one and waits until it answers {@code hello}. */
  static HelperProcess start(Path imagesDir) throws Exception {
    return start(imagesDir, List.of());
  }

  /** As {@link #start(Path)}, with {@code helperOptions} added to its command line. */
  static HelperProcess start(Path imagesDir, List<String> helperOptions) throws Exception {
    return launch(Files.createTempDirectory("glasshouse-bench-"), imagesDir, helperOptions);
  }

  /**
   * A new helper on this stopped one's socket and state dir (its log appended to the same file), as
   * a helper started again after a crash or a failed shutdown: its start-up sweep finds what this
   * one left. The new one owns the dir from then on.
   */
  HelperProcess restart(List<String> helperOptions) throws Exception {
    if (process.isAlive()) {
      throw new IllegalStateException("the helper " + pid() + " still runs: stop it first");
    }
    HelperProcess next = launch(dir, imagesDir, helperOptions);
    ownsDir = false;
    return next;
  }

  private static HelperProcess launch(Path dir, Path imagesDir, List<String> helperOptions)
      throws Exception {
    Path socket = dir.resolve("run").resolve("helper.sock");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(HelperJvm.options());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(
        List.of(
            "helper",
            "--socket",
            socket.toString(),
            "--state-dir",
            dir.resolve("state").toString(),
            "--images",
            imagesDir.toString()));
    cmd.addAll(helperOptions);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("helper.log").toFile()))
            .start();
    HelperProcess h = new HelperProcess(dir, socket, p, imagesDir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (HelperClient c = HelperClient.connect(socket, "bench", e -> {})) {
        return h;
      } catch (HelperException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          h.close();
          throw new IOException(
              "the benchmark's helper did not start: see " + dir.resolve("helper.log"), e);
        }
        Thread.sleep(200); // the helper's JVM is starting; no event says when it listens
      }
    }
  }

  Path socket() {
    return socket;
  }

  long pid() {
    return process.pid();
  }

  /** Its resident memory ({@code VmRSS}), in bytes. */
  long rssBytes() throws IOException {
    return statusKib("VmRSS:") * 1024;
  }

  /** Its threads. */
  long threads() throws IOException {
    return statusKib("Threads:");
  }

  private long statusKib(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no " + field + " in /proc/" + pid() + "/status");
  }

  /** Its open fds. */
  long fds() throws IOException {
    long n = 0;
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(Path.of("/proc", Long.toString(pid()), "fd"))) {
      for (Path p : ds) {
        n++;
      }
    }
    return n;
  }

  /** Its open fds by what they are ({@code pipe}, {@code socket}, a path), most first. */
  String fdKinds() throws IOException {
    java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(Path.of("/proc", Long.toString(pid()), "fd"))) {
      for (Path p : ds) {
        try {
          String t = Files.readSymbolicLink(p).toString().replaceAll("[0-9]+", "N");
          kinds.merge(t, 1, Integer::sum);
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    List<java.util.Map.Entry<String, Integer>> sorted = new ArrayList<>(kinds.entrySet());
    sorted.sort((a, b) -> b.getValue() - a.getValue());
    StringBuilder b = new StringBuilder();
    for (var e : sorted) {
      b.append(e.getValue()).append(' ').append(e.getKey()).append("; ");
    }
    return b.toString();
  }

  /**
   * Stops it with SIGTERM (it removes its containers), SIGKILL after 60 s, and waits for its exit;
   * its directory (state, log) stays until {@link #close}.
   *
   * @return whether it exited on the SIGTERM
   */
  boolean stop() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }

  /** Its state dir ({@code --state-dir}). */
  Path stateDir() {
    return dir.resolve("state");
  }

  /** What it logged so far (the log file, kept until {@link #close}). */
  String logText() throws IOException {
    return Files.readString(log());
  }

  /** Stops it ({@link #stop}) and deletes its directory, unless a successor took it. */
  @Override
  public void close() throws IOException {
    stop();
    if (ownsDir) {
      SafeDelete.deleteTree(dir);
    }
  }

  /** Its log, for a benchmark that saw something go wrong. */
  Path log() {
    return dir.resolve("helper.log");
  }
}
