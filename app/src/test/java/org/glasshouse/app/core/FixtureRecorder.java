package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.glasshouse.app.RealHelper;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.JsonLines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Records the fixtures of {@code fixtures/} from a REAL helper: starts {@code
 * org.glasshouse.cli.Main helper} from the test class path on a temporary socket and state
 * directory, runs one scenario per file on a connection of its own, and writes every line it sent
 * and received, in order. Not part of the suite (its name is not a test's): run it on purpose, as
 * root, with the busybox image —
 *
 * <pre>
 * ./mvnw -B -pl runtime-helper,app -am verify -Dtest=FixtureRecorder \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true
 * </pre>
 *
 * It writes into {@code app/src/test/resources/org/glasshouse/app/fixtures/} (or {@code
 * -Dglasshouse.fixtures=DIR}); {@code FixturesTest} then checks every file replays into typed
 * events.
 */
@Tag("root")
class FixtureRecorder {
  private static final Map<String, String> ENV = Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin");

  /**
   * A memory hog: a shell variable grows by 1 MiB every 0.2 s (the shell briefly holds the old and
   * the new string), so usage ramps to the limit over a few seconds, then the OOM killer ends it.
   */
  private static final String HOG =
      "x=$(head -c 1m /dev/zero | tr '\\0' x); y=$x; while :; do y=\"$y$x\"; sleep 0.2; done";

  /**
   * A fork flood that leaves the container alive: the inner shell starts sleeps until fork fails
   * (and dies of it, as a non-interactive ash does); the sleeps it started keep pids at the limit
   * while PID 1 waits without forking ({@code exec}).
   */
  private static final String FLOOD =
      "sh -c 'for i in $(seq 1 40); do sleep 4 & done; wait'; echo the flood hit the limit;"
          + " exec sleep 5";

  private static RealHelper helper;
  private static Path socket;
  private static Path out;

  @BeforeAll
  static void startHelper() throws Exception {
    helper = RealHelper.start("FixtureRecorder");
    socket = helper.socket();
    out =
        Path.of(
            System.getProperty(
                "glasshouse.fixtures", "src/test/resources/org/glasshouse/app/fixtures"));
    Files.createDirectories(out);
    helper.awaitSocket(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopHelper() throws Exception {
    if (helper != null) {
      helper.close();
    }
  }

  /**
   * Records every scenario. Below level 06 the long-lived commands {@code exec} their sleep:
   * without a PID namespace (or, below 08, a cgroup) removing a container kills its first process
   * only, so a child sleep would outlive the removal, and the helper then sends {@code removed}
   * before {@code exited}.
   */
  @Test
  void record() throws Exception {
    simple(
        "level-00",
        "level 00: a command on the host, every namespace the host's, no cgroup of its own",
        spec(0, "sh", "-c", "echo hello from level 00; exec sleep 30"),
        250,
        false);
    try (Transcript t = scenario("level-01", "level 01: chroot; its mounts leak into the host's")) {
      t.subscribeInspection(250);
      String id = t.run(spec(1, "sleep", "30"));
      t.pause(500);
      t.mounts(id, true);
      t.mounts("host", false);
      t.inspect(id, false);
      t.stop(id);
    }
    simple(
        "level-04",
        "level 04: overlay; a new file and a whiteout in the upper directory",
        spec(4, "sh", "-c", "echo x > /new; rm /bin/ls; exec sleep 30"),
        250,
        true);
    simple(
        "level-05",
        "level 05: own UTS namespace, hostname = container id",
        spec(5, "sh", "-c", "hostname; exec sleep 30"),
        250,
        false);
    simple(
        "level-06",
        "level 06: own PID namespace, the shell is PID 1",
        spec(6, "sh", "-c", "sleep 30 & wait"),
        250,
        false);
    try (Transcript t =
        scenario(
            "level-06-exec",
            "level 06 and an exec into it: the exec'd process joins the same namespaces, then"
                + " leaves")) {
      t.subscribeInspection(250);
      String id = t.run(spec(6, "sleep", "30"));
      t.pause(800);
      ObjectNode exec = Json.object().put("container", id).put("attach", true);
      exec.set("spec", Json.tree(Map.of("argv", List.of("sh", "-c", "sleep 1.2"), "env", ENV)));
      String execId = t.call("exec", exec).path("container").asText();
      t.await("the exec exited", e -> isEvent(e, "exited", execId), 10_000);
      t.pause(600);
      t.inspect(id, false);
      t.stop(id);
    }
    try (Transcript t =
        scenario(
            "level-09-oom",
            "level 09: a memory hog under a 32 MiB limit (no swap) climbs to it and is"
                + " OOM-killed")) {
      t.subscribeInspection(100);
      ObjectNode spec = spec(9, "sh", "-c", HOG);
      spec.set("limits", Json.tree(Map.of("memoryBytes", 32L << 20, "memorySwapBytes", 32L << 20)));
      String id = t.run(spec);
      t.pause(300);
      t.inspect(id, false);
      t.await("the OOM kill", e -> isEvent(e, "exited", id), 30_000);
      t.finish(id);
    }
    try (Transcript t =
        scenario(
            "level-12-forkflood",
            "level 12: a fork flood under pids.max 16: forks are refused, the container lives on")) {
      t.subscribeInspection(100);
      ObjectNode spec = spec(12, "sh", "-c", FLOOD);
      spec.set("limits", Json.tree(Map.of("pidsMax", 16)));
      String id = t.run(spec);
      t.pause(500);
      t.inspect(id, false);
      t.call("stats", Json.object());
      t.await("the flood ended", e -> isEvent(e, "exited", id), 30_000);
      t.finish(id);
    }
  }

  /**
   * The cgroup charts' scenarios ({@code CgroupChartsViewModelTest}): level 08's contention pair,
   * an awk memory hog whose OOM kill comes after its last sample, and an awk fork flood. Recorded
   * on their own ({@code -Dtest=FixtureRecorder#recordCharts}): they take half a minute.
   */
  @Test
  void recordCharts() throws Exception {
    String loop =
        "end=$(($(date +%s)+90)); while [ $(date +%s) -lt $end ]; do i=0;"
            + " while [ $i -lt 20000 ]; do i=$((i+1)); done; done";
    try (Transcript t =
        scenario(
            "level-08-contention",
            "level 08: two busy loops pinned to CPU 0, cpu.shares 512 and 1024, 15 s")) {
      t.subscribeInspection(100);
      List<String> ids = new ArrayList<>();
      for (int shares : new int[] {512, 1024}) {
        ObjectNode spec = spec(8, "taskset", "-c", "0", "sh", "-c", loop);
        spec.set("limits", Json.tree(Map.of("cpuShares", shares)));
        ids.add(t.run(spec));
      }
      t.pause(15_000);
      t.inspect(ids.get(0), false);
      for (String id : ids) {
        t.stop(id);
      }
    }
    try (Transcript t =
        scenario(
            "level-09-awk-oom",
            "level 09: an awk array growing 1 MiB every 0.2 s under memory and mem+swap 32 MiB;"
                + " the OOM kill often lands between two samples (then only the exit says so)")) {
      t.subscribeInspection(100);
      ObjectNode spec =
          spec(
              9,
              "awk",
              "BEGIN { s = sprintf(\"%1048576s\", \"\"); for (i = 0; i < 64; i++) { a[i] = s i;"
                  + " system(\"usleep 200000\") } }");
      spec.set("limits", Json.tree(Map.of("memoryBytes", 32L << 20, "memorySwapBytes", 32L << 20)));
      String id = t.run(spec);
      t.pause(300);
      t.inspect(id, false);
      t.finish(id);
    }
    try (Transcript t =
        scenario(
            "level-12-awk-flood",
            "level 12: awk forks 'sleep 30 &' for ever under pids.max 16 (a refused fork is -1,"
                + " not the end), 6 s")) {
      t.subscribeInspection(100);
      ObjectNode spec = spec(12, "awk", "BEGIN { while (1) system(\"sleep 30 &\") }");
      spec.set("limits", Json.tree(Map.of("pidsMax", 16)));
      String id = t.run(spec);
      t.pause(6000);
      t.inspect(id, false);
      t.stop(id);
    }
  }

  /** A container of one level watched from start to exit, inspected once while it runs. */
  private static void simple(
      String name, String description, ObjectNode spec, int intervalMs, boolean upper)
      throws Exception {
    try (Transcript t = scenario(name, description)) {
      t.subscribeInspection(intervalMs);
      String id = t.run(spec);
      t.pause(500);
      t.mounts(id, true);
      t.inspect(id, upper);
      t.inspect("host", false);
      t.stop(id);
    }
  }

  private static ObjectNode spec(int level, String... argv) {
    ObjectNode s = Json.object().put("image", "busybox").put("level", level);
    s.set("argv", Json.tree(List.of(argv)));
    s.set("env", Json.tree(ENV));
    return s;
  }

  private static boolean isEvent(JsonNode n, String type, String container) {
    return type.equals(n.path("event").asText()) && container.equals(n.path("container").asText());
  }

  private static Transcript scenario(String name, String description) throws Exception {
    return new Transcript(name, description);
  }

  /**
   * One connection and its file: every line sent and received goes to the file in order, the
   * received ones exactly as they came.
   */
  private static final class Transcript implements AutoCloseable {
    private final Path file;
    private final SocketChannel channel;
    private final List<String> lines = new ArrayList<>();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Thread reader;
    private final ObjectNode header = Json.object();
    private int nextId = 1;

    Transcript(String name, String description) throws Exception {
      file = out.resolve(name + ".jsonl");
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      reader = new Thread(this::read, "fixture-recorder-" + name);
      reader.setDaemon(true);
      reader.start();
      header
          .put("scenario", name)
          .put("description", description)
          .put("recordedAt", Instant.now().toString())
          .put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
      JsonNode hello =
          call("hello", Json.object().put("version", 1).put("client", "fixture-recorder"));
      header.put("helper", hello.path("server").asText());
      header.put("cgroup", hello.path("cgroup").path("mode").asText());
    }

    private void read() {
      JsonLines.LineReader in = new JsonLines.LineReader(channel);
      try {
        while (true) {
          JsonLines.Line line = in.next();
          if (!(line instanceof JsonLines.Line.Text t)) {
            return;
          }
          JsonNode n = Json.MAPPER.readTree(t.text());
          synchronized (lines) {
            lines.add(t.text());
          }
          received.add(n);
          if (n.has("ok")) {
            CompletableFuture<JsonNode> f = pending.remove(n.path("id").asText());
            if (f != null) {
              f.complete(n);
            }
          }
        }
      } catch (IOException e) {
        // The connection closed at the end of the scenario.
      }
    }

    /** Sends a request and waits for its reply's result; a failed reply fails the recording. */
    JsonNode call(String op, ObjectNode fields) throws Exception {
      ObjectNode req = Json.object().put("id", nextId++).put("op", op);
      req.setAll(fields);
      CompletableFuture<JsonNode> f = new CompletableFuture<>();
      pending.put(req.get("id").asText(), f);
      String text = Json.write(req);
      synchronized (lines) {
        lines.add(text);
      }
      ByteBuffer b = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        channel.write(b);
      }
      JsonNode reply = f.get(60, TimeUnit.SECONDS);
      assertTrue(reply.path("ok").asBoolean(), op + " failed: " + reply);
      return reply.path("result");
    }

    void subscribeInspection(int intervalMs) throws Exception {
      header.put("intervalMs", intervalMs);
      ObjectNode f = Json.object().put("intervalMs", intervalMs);
      f.set("topics", Json.tree(List.of("telemetry", "mounts", "namespaces")));
      call("subscribe", f);
    }

    /** Runs a container attached; the header names the first one's spec. */
    String run(ObjectNode spec) throws Exception {
      if (!header.has("spec")) {
        header.set("spec", spec);
      }
      ObjectNode f = Json.object().put("attach", true);
      f.set("spec", spec);
      return call("run", f).path("container").asText();
    }

    void inspect(String target, boolean upper) throws Exception {
      ObjectNode f = Json.object().put("container", target);
      if (upper) {
        f.put("upper", true);
      }
      call("inspect", f);
    }

    void mounts(String target, boolean diffWithHost) throws Exception {
      ObjectNode f = Json.object().put("container", target);
      if (diffWithHost) {
        f.put("diff", "host");
      }
      call("mounts", f);
    }

    void await(String what, Predicate<JsonNode> event, long timeoutMs) throws Exception {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      while (received.stream().noneMatch(event)) {
        assertTrue(System.nanoTime() < until, "no " + what + " within " + timeoutMs + " ms");
        // Events arrive on the reader thread.
        Thread.sleep(20);
      }
    }

    /** Lets the helper's samplers run for a while (the recording's point is what they send). */
    void pause(long ms) throws InterruptedException {
      Thread.sleep(ms);
    }

    /**
     * Lets the samplers run a second more, then removes the still running container (the helper
     * kills it: {@code exited} by signal 9, then {@code removed}). Commands here sleep long so that
     * a loaded machine cannot end them before the recorder has asked what it wanted.
     */
    void stop(String id) throws Exception {
      pause(1000);
      call("remove", Json.object().put("container", id).put("force", true));
      await("the removal of " + id, e -> isEvent(e, "removed", id), 20_000);
    }

    /** Waits for the container to exit by itself, removes it and waits for the removal. */
    void finish(String id) throws Exception {
      await("the exit of " + id, e -> isEvent(e, "exited", id), 30_000);
      call("remove", Json.object().put("container", id).put("force", true));
      await("the removal of " + id, e -> isEvent(e, "removed", id), 10_000);
    }

    @Override
    public void close() throws IOException {
      channel.close();
      try {
        reader.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<String> all = new ArrayList<>();
      ObjectNode h = Json.object();
      h.set("recording", header);
      all.add(Json.write(h));
      synchronized (lines) {
        all.addAll(lines);
      }
      assertFalse(all.size() < 4, "nothing recorded for " + file);
      try {
        Files.write(file, all, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      System.out.println("FixtureRecorder: wrote " + file + " (" + Files.size(file) + " bytes)");
    }
  }
}
