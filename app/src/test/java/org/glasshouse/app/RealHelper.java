package org.glasshouse.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.glasshouse.testsupport.Prerequisites;

/**
 * A real helper for UI tests: {@code org.glasshouse.cli.Main helper} as a child process, from the
 * test class path, on a socket and state directory under a fresh {@code glasshouse-test-app-*} dir
 * and a cgroup parent of its own, making real containers from the busybox image. Skips the test
 * (with the reason printed) without root or the image. {@link #close} stops it — it removes its
 * containers on SIGTERM — and deletes the dir. The one real-helper fixture of the app's tests: the
 * window's, the feature packages', the level checks' and the fixture recorders'.
 */
public final class RealHelper implements AutoCloseable {
  private final Path dir;
  private final Path images;
  private final String cgroupParent =
      "glasshouse-test-"
          + java.util.HexFormat.of()
              .toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextInt());
  private Process process;

  private RealHelper(Path dir, Path images) {
    this.dir = dir;
    this.images = images;
  }

  /** Starts one, or skips the calling test class with the reason. */
  public static RealHelper start(String testName) throws IOException {
    skipUnless(
        testName, Prerequisites.runningAsRoot(), "needs root: the helper makes real namespaces");
    Path images = imagesDir();
    skipUnless(
        testName,
        Files.isRegularFile(images.resolve("busybox.tar")),
        "needs the busybox image at " + images + " (./glasshouse images build busybox)");
    RealHelper h = new RealHelper(Files.createTempDirectory("glasshouse-test-app-"), images);
    h.launch();
    return h;
  }

  /**
   * A helper not started yet: {@link #startCommand} is what starts it (the app's automatic start
   * under test), {@link #close} stops whatever that started. Skips like {@link #start}.
   */
  public static RealHelper notStarted(String testName) throws IOException {
    skipUnless(
        testName, Prerequisites.runningAsRoot(), "needs root: the helper makes real namespaces");
    Path images = imagesDir();
    skipUnless(
        testName,
        Files.isRegularFile(images.resolve("busybox.tar")),
        "needs the busybox image at " + images + " (./glasshouse images build busybox)");
    return new RealHelper(Files.createTempDirectory("glasshouse-test-app-"), images);
  }

  /**
   * The command that starts this helper on its own socket and state dir, through {@code sh}, which
   * leaves its pid in the dir for {@link #close} and then becomes the helper ({@code exec}).
   */
  public java.util.List<String> startCommand() {
    java.util.List<String> cmd =
        new java.util.ArrayList<>(
            java.util.List.of(
                "/bin/sh", "-c", "echo $$ > \"$0\"; exec \"$@\"", pidFile().toString()));
    cmd.addAll(helperCommand());
    return cmd;
  }

  private Path pidFile() {
    return dir.resolve("helper.pid");
  }

  private java.util.List<String> helperCommand() {
    return java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        "org.glasshouse.cli.Main",
        "helper",
        "--socket",
        socket().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--images",
        images.toString(),
        // A parent cgroup of its own: nothing another helper leaves under the default one (or
        // this one under it) can pass for the other's.
        "--cgroup-parent",
        cgroupParent);
  }

  /** The parent cgroup of its containers' cgroups ({@code glasshouse-test-<hex>}). */
  public String cgroupParent() {
    return cgroupParent;
  }

  public Path socket() {
    return dir.resolve("helper.sock");
  }

  public Path dir() {
    return dir;
  }

  /**
   * The helper's output: this helper's alone (its own launches, and a start through {@link
   * #startCommand} by the app's starter, which logs beside the socket). {@link #close} keeps a copy
   * under {@code target/helper-logs}.
   */
  public Path log() {
    return dir.resolve("helper.log");
  }

  /** The last {@code lines} lines of {@link #log}, for a failure message (CI shows those). */
  private String logTail(int lines) {
    try {
      java.util.List<String> all = Files.readAllLines(log());
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + log() + ": " + e.getMessage() + ")";
    }
  }

  /**
   * Keeps this helper's log where a failed run can still be read after the dir is gone: {@code
   * target/helper-logs/<dir>.log} in the module (the test's working directory).
   */
  private void keepLog() throws IOException {
    if (Files.isRegularFile(log())) {
      Path kept = Path.of("target", "helper-logs").resolve(dir.getFileName() + ".log");
      Files.createDirectories(kept.getParent());
      Files.copy(log(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void launch() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(helperCommand());
    pb.environment().put("GLASSHOUSE_IMAGES", images.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    process = pb.start();
  }

  /**
   * Waits until the helper listens (its socket exists: it binds it once it has swept and warmed its
   * init pool); fails with its log's path when it does not within {@code limit}.
   */
  public void awaitSocket(Duration limit) throws InterruptedException {
    long until = System.nanoTime() + limit.toNanos();
    // The kernel says when the socket appears (bind creates it in the directory): no polling. The
    // wait is cut into slices of at most a second, each followed by a look, so a directory the
    // helper replaced (which ends this watch) costs a second, not the whole limit.
    try (WatchService watch = socket().getFileSystem().newWatchService()) {
      socket().getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      while (!Files.exists(socket())) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          break;
        }
        WatchKey key =
            watch.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot watch " + socket().getParent(), e);
    }
    if (!Files.exists(socket())) {
      throw new AssertionError(
          "the helper did not start within " + limit + "; the end of its log:\n" + logTail(40));
    }
  }

  /**
   * Stops the helper (SIGTERM: it removes its containers) and keeps the dir: see relaunch. A helper
   * {@link #startCommand} started is stopped by the pid it left.
   */
  public void stop() throws InterruptedException {
    if (process == null && Files.isRegularFile(pidFile())) {
      long pid;
      try {
        pid = Long.parseLong(Files.readString(pidFile()).strip());
        Files.delete(pidFile());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      var handle = ProcessHandle.of(pid);
      if (handle.isPresent()) {
        handle.get().destroy();
        try {
          handle.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          handle.get().destroyForcibly();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    if (process != null) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  /** Starts the helper again on the same socket and state dir (after {@link #stop}). */
  public void relaunch() throws IOException {
    launch();
  }

  @Override
  public void close() throws IOException {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    keepLog();
    // The helper removed its containers on SIGTERM; what is left are plain files.
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void skipUnless(String test, boolean condition, String reason) {
    Prerequisites.require(condition, test + ": " + reason);
  }

  /** GLASSHOUSE_IMAGES, else the checkout's build/images. */
  public static Path imagesDir() {
    String env = System.getenv("GLASSHOUSE_IMAGES");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("mvnw")) && Files.isDirectory(d.resolve("app"))) {
        return d.resolve("build/images");
      }
    }
    return Path.of("build/images");
  }
}
