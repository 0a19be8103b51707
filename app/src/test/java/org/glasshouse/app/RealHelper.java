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
 * A REAL helper for UI tests: a child process {@code org.glasshouse.cli.Main helper} on a temporary
 * socket and state directory ({@code glasshouse-test-*}), making real containers from the busybox
 * image. Needs root and the image; {@link #start} skips the test with the reason otherwise.
 */
public final class RealHelper implements AutoCloseable {
  private final Path dir;
  private final Path images;
  private final Process process;

  private RealHelper(Path dir, Path images, Process process) {
    this.dir = dir;
    this.images = images;
    this.process = process;
  }

  /** Starts a helper, or skips the calling test (printing why) when it cannot run here. */
  public static RealHelper start(String test) throws IOException {
    skipUnless(test, HelperStarter.isRoot(), "needs root: the helper makes real namespaces");
    Path images = imagesDir();
    skipUnless(
        test,
        Files.isRegularFile(images.resolve("busybox.tar")),
        "needs the busybox image at " + images + " (./glasshouse images build busybox)");
    Path dir = Files.createTempDirectory("glasshouse-test-app-");
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "org.glasshouse.cli.Main",
            "helper",
            "--socket",
            dir.resolve("helper.sock").toString(),
            "--state-dir",
            dir.resolve("state").toString(),
            "--images",
            images.toString());
    pb.environment().put("GLASSHOUSE_IMAGES", images.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("helper.log").toFile()));
    return new RealHelper(dir, images, pb.start());
  }

  public Path socket() {
    return dir.resolve("helper.sock");
  }

  /** A scratch directory that goes with the helper. */
  public Path dir() {
    return dir;
  }

  public Path images() {
    return images;
  }

  /** Stops the helper (it kills and removes its containers on SIGTERM) and deletes its files. */
  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
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
