package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.runtime.LinuxContainerRuntime;
import org.glasshouse.helper.runtime.RuntimeConfig;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No helper fd outlives its container: the helper's open fds (this JVM's: the test runs the helper
 * in-process) are the same before and after {@code glasshouse.fdRuns} runs of each level, each over
 * a connection of its own, attached and removed at exit — including, at the levels without a PID
 * namespace (00–05), containers whose background process still holds their stdout after they exited
 * (the 2-fd leak of issue 15: one such run in ten).
 *
 * <p>The suite runs 10 per level (140 containers at levels 00-13, about 5 minutes on the shared
 * 2-core machine under load); the 100 per level is {@code ./glasshouse test
 * -Dtest=FdLeakRootTest -Dglasshouse.fdRuns=100} (1400 containers, most of an hour there: each
 * start spawns an init JVM). A run that fails (on a loaded machine, an init that missed its connect
 * deadline) is named as it happens and the test goes on: the fds are compared after every run, the
 * failed ones included (a failed start must not leak either), and only then are the failures
 * reported — one timeout no longer costs the figures of the other 1399 runs. A line every 100 runs
 * gives the fds open at that moment.
 */
@Tag("root")
@Timeout(value = 150, unit = TimeUnit.MINUTES)
class FdLeakRootTest {

  private static final int RUNS = Integer.getInteger("glasshouse.fdRuns", 10);
  private static final int CLIENTS = 4;

  /** Open fds of this process by what they point at ({@code pipe:[N]} counted as {@code pipe}). */
  private static Map<String, Integer> fds() throws IOException {
    Map<String, Integer> kinds = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path p : ds) {
        String target;
        try {
          target = Files.readSymbolicLink(p).toString().replaceAll("\\[[0-9]+\\]", "");
        } catch (IOException e) {
          continue; // the directory stream's own fd, closed by now
        }
        kinds.merge(target, 1, Integer::sum);
      }
    }
    return kinds;
  }

  private static int total(Map<String, Integer> m) {
    return m.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static void runOne(Path socket, int level, boolean holder) throws Exception {
    java.util.concurrent.CountDownLatch exited = new java.util.concurrent.CountDownLatch(1);
    StringBuilder out = new StringBuilder();
    JsonNode[] exit = new JsonNode[1];
    try (HelperClient c =
        HelperClient.connect(
            socket,
            "fd-test",
            e -> {
              // stdout only: at level 01 the shell complains on stderr that the image has no
              // /dev/null for the background job's stdin (it still runs).
              if (e.type().equals("output") && "stdout".equals(e.body().path("stream").asText())) {
                synchronized (out) {
                  out.append(
                      new String(
                          org.glasshouse.protocol.Messages.decode(e.body().get("data").asText()),
                          java.nio.charset.StandardCharsets.UTF_8));
                }
              } else if (e.type().equals("exited")) {
                exit[0] = e.body();
                exited.countDown();
              }
            })) {
      ObjectNode spec = Json.object();
      spec.put("image", "busybox").put("level", level).put("rm", true);
      spec.set(
          "argv", Json.tree(List.of("/bin/sh", "-c", holder ? "sleep 3 & echo hi" : "echo hi")));
      spec.set("env", Json.tree(Map.of("PATH", "/bin:/usr/bin")));
      ObjectNode f = Json.object().put("attach", true);
      f.set("spec", spec);
      c.call(Op.RUN, f);
      if (!exited.await(120, TimeUnit.SECONDS)) {
        throw new AssertionError("level " + level + ": no exit");
      }
    }
    synchronized (out) {
      if (!out.toString().equals("hi\n") || exit[0].get("code").asInt() != 0) {
        throw new AssertionError("level " + level + ": " + out + " " + exit[0]);
      }
    }
  }

  @Test
  void theHelpersFdsAreTheSameBeforeAndAfterManyRunsOfEveryLevel() throws Exception {
    TestSupport.requireRootAndBusybox("the fd leak test");
    String parent = TestSupport.uniqueCgroupParent();
    try (TestHelper helper =
        new TestHelper(
            state ->
                new LinuxContainerRuntime(
                    RuntimeConfig.of(state, TestSupport.imagesDir()).withCgroupParent(parent)),
            ServerConfig.DEFAULT_OUTBOX_BYTES)) {
      LinuxContainerRuntime runtime = (LinuxContainerRuntime) helper.server.runtime();
      // Warm every level's pool first: each pooled init holds fds (its pipes, its channel) that
      // are the pool's, not a container's.
      for (int level = 0; level <= Feature.MAX_LEVEL; level++) {
        runOne(helper.socket(), level, false);
      }
      Map<String, Integer> before = settled(helper, runtime);
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      AtomicInteger done = new AtomicInteger();
      // A run that fails (on a loaded machine: an init that missed its connect deadline) is
      // counted and named, and the fds are still compared after every run: a failed start must
      // not leak either, and one timeout must not cost the figures of the other runs.
      java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
      long t0 = System.nanoTime();
      try {
        List<Future<?>> runs = new ArrayList<>();
        for (int level = 0; level <= Feature.MAX_LEVEL; level++) {
          for (int i = 0; i < RUNS; i++) {
            int l = level;
            // At the levels without a PID namespace, one run in ten leaves a background process
            // holding stdout for 3 s after the container exited.
            boolean holder = level <= 5 && i % 10 == 0;
            runs.add(
                pool.submit(
                    () -> {
                      try {
                        runOne(helper.socket(), l, holder);
                      } catch (Exception | AssertionError e) {
                        failures.add("level " + l + ": " + e.getMessage());
                        System.out.printf("fd test: a run failed: level %d: %s%n", l, e);
                      }
                      int n = done.incrementAndGet();
                      if (n % 100 == 0) {
                        System.out.printf(
                            "fd test: %d runs in %d s, %d failed, %d fds open now%n",
                            n,
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0),
                            failures.size(),
                            total(fds()));
                      }
                      return null;
                    }));
          }
        }
        for (Future<?> r : runs) {
          r.get();
        }
      } finally {
        pool.shutdownNow();
      }
      System.out.printf(
          "fd test: %d runs in %d s%n",
          done.get(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
      Map<String, Integer> after = settled(helper, runtime);
      System.out.printf(
          "fd test: %d fds before, %d after; %d of %d runs failed%n",
          total(before), total(after), failures.size(), done.get());
      assertEquals(before, after, "fds before vs after " + done.get() + " runs");
      assertEquals(List.of(), List.copyOf(failures), "runs that failed");
    }
  }

  /**
   * The fd table once things have settled: no container left, every pool refilled and connected,
   * and two readings a second apart equal (a connection may still be closing).
   */
  private static Map<String, Integer> settled(TestHelper helper, LinuxContainerRuntime runtime)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Map<String, Integer> last = null;
    while (System.nanoTime() < deadline) {
      boolean ready = helper.server.runtime().list().isEmpty();
      for (int level = 0; level <= Feature.MAX_LEVEL; level++) {
        ready &= runtime.warmPoolReady(Feature.upTo(level));
      }
      runtime.pooledPids();
      Map<String, Integer> now = fds();
      if (ready && now.equals(last)) {
        return now;
      }
      last = now;
      Thread.sleep(1000); // settling: connections closing, pools refilling
    }
    return last;
  }
}
