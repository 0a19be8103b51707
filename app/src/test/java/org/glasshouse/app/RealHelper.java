package org.glasshouse.app;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.glasshouse.app.core.HelperStarter;

/**
 * A real helper for UI tests: {@code org.glasshouse.cli.Main helper} as a child process, from the
 * test class path, on a socket and state directory under a fresh {@code glasshouse-test-app-*} dir,
 * making real containers from the busybox image. Skips the test (with the reason printed) without
 * root or the image. {@link #close} stops it — it removes its containers on SIGTERM — and deletes
 * the dir. Public: the feature packages' real-helper tests ({@code cgroups}) use it too.
 */
public final class RealHelper implements AutoCloseable {
  private final Path dir;
  private final Path images;
  private Process process;

  private RealHelper(Path dir, Path images) {
    this.dir = dir;
    this.images = images;
  }

  /** Starts one, or skips the calling test class with the reason. */
  public static RealHelper start(String testName) throws IOException {
    skipUnless(testName, HelperStarter.isRoot(), "needs root: the helper makes real namespaces");
    Path images = imagesDir();
    skipUnless(
        testName,
        Files.isRegularFile(images.resolve("busybox.tar")),
        "needs the busybox image at " + images + " (./glasshouse images build busybox)");
    RealHelper h = new RealHelper(Files.createTempDirectory("glasshouse-test-app-"), images);
    h.launch();
    return h;
  }

  public Path socket() {
    return dir.resolve("helper.sock");
  }

  public Path dir() {
    return dir;
  }

  private void launch() throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
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
            images.toString());
    pb.environment().put("GLASSHOUSE_IMAGES", images.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("helper.log").toFile()));
    process = pb.start();
  }

  @Override
  public void close() throws IOException {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // The helper removed its containers on SIGTERM; what is left are plain files.
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void skipUnless(String test, boolean condition, String reason) {
    if (!condition) {
      System.out.println("SKIPPED " + test + ": " + reason);
    }
    assumeTrue(condition, reason);
  }

  private static Path imagesDir() {
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
