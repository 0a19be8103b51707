package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.runtime.LinuxContainerRuntime;
import org.glasshouse.helper.runtime.RuntimeConfig;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No output is lost through {@code glasshouse run}: a gibibyte written by a level-12 container
 * reaches the CLI's stdout whole — counted and hashed — through a real helper, as a user pipes it
 * ({@code glasshouse run … | wc -c}). The CLI runs as its own JVM, as a user runs it.
 */
@Tag("root")
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class OutputFlowRootTest {

  private static final long GIB = 1L << 30;

  private TestHelper helper;

  @BeforeEach
  void start() throws Exception {
    TestSupport.requireRootAndBusybox("the output flow tests");
    String parent = TestSupport.uniqueCgroupParent();
    helper =
        new TestHelper(
            state ->
                new LinuxContainerRuntime(
                    RuntimeConfig.of(state, TestSupport.imagesDir()).withCgroupParent(parent)),
            ServerConfig.DEFAULT_OUTBOX_BYTES);
  }

  @AfterEach
  void stop() throws Exception {
    if (helper != null) {
      helper.close();
    }
  }

  /** What a run printed: the size and SHA-256 of its stdout, its stderr, its status. */
  record Run(long bytes, String sha256, String err, int status, long millis) {}

  private Run glasshouseRun(String... argv) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.glasshouse.cli.Main");
    cmd.add("run");
    cmd.addAll(List.of(argv));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("GLASSHOUSE_SOCKET", helper.socket().toString());
    long t0 = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "<" + e + ">";
              }
            });
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long bytes = 0;
    byte[] buf = new byte[1 << 20];
    try (InputStream in = p.getInputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        bytes += n;
      }
    }
    assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the CLI did not end");
    return new Run(
        bytes,
        HexFormat.of().formatHex(sha.digest()),
        err.get(),
        p.exitValue(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  private static String sha256OfZeros(long n) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] zeros = new byte[1 << 20];
    for (long left = n; left > 0; left -= zeros.length) {
      sha.update(zeros, 0, (int) Math.min(zeros.length, left));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  @Test
  void aGibibyteOfZerosArrivesWhole() throws Exception {
    Run r =
        glasshouseRun(
            "--rm",
            "-i",
            "busybox",
            "--level",
            "12",
            "--",
            "head",
            "-c",
            Long.toString(GIB),
            "/dev/zero");
    System.out.println("1 GiB of zeros through run: " + r.millis() + " ms");
    assertEquals(0, r.status(), r.err());
    assertEquals(GIB, r.bytes(), r.err());
    assertEquals(sha256OfZeros(GIB), r.sha256());
  }

  /**
   * Random bytes, so a lost, repeated or reordered chunk cannot go unseen: the container hashes
   * what it writes (a FIFO into sha256sum, reported on stderr) and the test hashes what it got.
   */
  @Test
  void aGibibyteOfRandomBytesArrivesInOrder() throws Exception {
    Run r =
        glasshouseRun(
            "--rm",
            "-i",
            "busybox",
            "--level",
            "12",
            "--",
            "/bin/sh",
            "-c",
            "mkfifo /tmp/f; sha256sum < /tmp/f >&2 & head -c "
                + GIB
                + " /dev/urandom | tee /tmp/f; wait");
    System.out.println("1 GiB of random bytes through run: " + r.millis() + " ms");
    assertEquals(0, r.status(), r.err());
    assertEquals(GIB, r.bytes(), r.err());
    assertEquals(r.sha256() + "  -", r.err().trim(), "the container's hash of what it wrote");
  }
}
