package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
import org.glasshouse.cli.PlacedHelper.Placement;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.JsonLines;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Records the cgroup charts' v2 fixtures (the app's {@code fixtures/v2-*.jsonl}) from a real helper
 * on a pure cgroup v2 kernel: the QEMU guest of {@code ./glasshouse test-v2}, the one such kernel
 * the project has. Each scenario is the hybrid recording's of the same name (the app's {@code
 * FixtureRecorder}), on a connection of its own, every line sent and received written in order, the
 * received ones exactly as they came — the app's fixture format ({@code fixtures/README.md}).
 *
 * <p>Not part of any run (its name is not a test's, so neither surefire nor the guest's class-path
 * scan picks it): run on purpose, its files land in the guest's out share —
 *
 * <pre>
 * GLASSHOUSE_V2_TESTS="--select-class org.glasshouse.cli.V2ChartsRecorder" ./glasshouse test-v2
 * cp build/vm/run/out/fixtures/v2-*.jsonl app/src/test/resources/org/glasshouse/app/fixtures/
 * </pre>
 *
 * The guest is emulated (TCG): a start takes seconds, the sampler may fall behind its 100 ms, and
 * the figures are what that kernel measured, no more regular than that.
 */
@Tag("v2-guest")
class V2ChartsRecorder {
  private static final Map<String, String> ENV = Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin");

  /** The guest's writable share ({@code build/vm/run/out} on the host). */
  private static final Path OUT = Path.of("/run/out");

  /** How long any one wait may take in an emulated guest. */
  private static final long PATIENT_MS = TimeUnit.MINUTES.toMillis(5);

  /** The hybrid recording's memory hog: a shell variable growing 1 MiB every 0.2 s. */
  private static final String HOG =
      "x=$(head -c 1m /dev/zero | tr '\\0' x); y=$x; while :; do y=\"$y$x\"; sleep 0.2; done";

  /** The hybrid recording's fork flood: an inner shell's sleeps hold pids at the limit. */
  private static final String FLOOD =
      "sh -c 'for i in $(seq 1 40); do sleep 8 & done; wait'; echo the flood hit the limit;"
          + " exec sleep 10";

  /** A busy loop for 3 minutes (removed long before). */
  private static final String LOOP =
      "end=$(($(date +%s)+180)); while [ $(date +%s) -lt $end ]; do i=0;"
          + " while [ $i -lt 20000 ]; do i=$((i+1)); done; done";

  @Test
  void recordCharts() throws Exception {
    CgroupLayout layout = CgroupLayout.detect(Path.of("/"));
    TestSupport.require(
        layout.mode() == CgroupLayout.Mode.V2
            && List.of("cpu", "memory", "pids").stream().noneMatch(layout::isV1),
        "the v2 recordings need a pure cgroup v2 host (./glasshouse test-v2 boots one); this one"
            + " is "
            + layout.mode().wireName());
    TestSupport.require(
        Files.isDirectory(OUT), OUT + " is missing: the recorder writes into the guest's share");
    Path dir = OUT.resolve("fixtures");
    Files.createDirectories(dir);
    try (PlacedHelper helper = PlacedHelper.start(Placement.ROOT)) {
      try (Transcript t =
          new Transcript(
              dir,
              helper.socket(),
              "v2-level-08-contention",
              "level 08 on cgroup v2: two busy loops pinned to CPU 0, cpu.shares 512 and 1024"
                  + " (cpu.weight 20 and 39), 20 s")) {
        t.subscribeInspection(100);
        List<String> ids = new ArrayList<>();
        for (int shares : new int[] {512, 1024}) {
          ObjectNode spec = spec(8, "taskset", "-c", "0", "sh", "-c", LOOP);
          spec.set("limits", Json.tree(Map.of("cpuShares", shares)));
          ids.add(t.run(spec));
        }
        t.pause(20_000);
        t.inspect(ids.get(0));
        for (String id : ids) {
          t.stop(id);
        }
      }
      try (Transcript t =
          new Transcript(
              dir,
              helper.socket(),
              "v2-level-09-oom",
              "level 09 on cgroup v2: a memory hog under memory.max and memory.swap.max 32 MiB"
                  + " climbs to it and is OOM-killed (memory.events oom_kill)")) {
        t.subscribeInspection(100);
        ObjectNode spec = spec(9, "sh", "-c", HOG);
        spec.set(
            "limits", Json.tree(Map.of("memoryBytes", 32L << 20, "memorySwapBytes", 32L << 20)));
        String id = t.run(spec);
        t.pause(300);
        t.inspect(id);
        t.finish(id);
      }
      try (Transcript t =
          new Transcript(
              dir,
              helper.socket(),
              "v2-level-12-forkflood",
              "level 12 on cgroup v2: a fork flood under pids.max 16: forks are refused"
                  + " (pids.events max), the container lives on")) {
        t.subscribeInspection(100);
        ObjectNode spec = spec(12, "sh", "-c", FLOOD);
        spec.set("limits", Json.tree(Map.of("pidsMax", 16)));
        String id = t.run(spec);
        t.pause(1000);
        t.inspect(id);
        t.call("stats", Json.object());
        t.finish(id);
      }
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

  /**
   * One connection and its file: every line sent and received, in order, the received ones exactly
   * as they came; the header first (the app's {@code Recording} reads it).
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

    Transcript(Path dir, Path socket, String name, String description) throws Exception {
      file = dir.resolve(name + ".jsonl");
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      reader = new Thread(this::read, "v2-recorder-" + name);
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
      assertTrue("v2".equals(header.path("cgroup").asText()), "the helper's cgroups: " + hello);
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
      JsonNode reply = f.get(PATIENT_MS, TimeUnit.MILLISECONDS);
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

    void inspect(String target) throws Exception {
      call("inspect", Json.object().put("container", target));
    }

    void await(String what, Predicate<JsonNode> event) throws Exception {
      // Events arrive on the reader thread.
      PlacedHelper.await(
          what, Duration.ofMillis(PATIENT_MS), () -> received.stream().anyMatch(event));
    }

    /** Lets the helper's samplers run (what they send is the recording's point). */
    void pause(long ms) throws InterruptedException {
      Thread.sleep(ms);
    }

    /**
     * A second more of samples, then {@code remove} with force: {@code exited}, {@code removed}.
     */
    void stop(String id) throws Exception {
      pause(1000);
      call("remove", Json.object().put("container", id).put("force", true));
      await("the removal of " + id, e -> isEvent(e, "removed", id));
    }

    /** Waits for the container's own exit, then removes it. */
    void finish(String id) throws Exception {
      await("the exit of " + id, e -> isEvent(e, "exited", id));
      call("remove", Json.object().put("container", id).put("force", true));
      await("the removal of " + id, e -> isEvent(e, "removed", id));
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
      Files.write(file, all, StandardCharsets.UTF_8);
      System.out.println("V2ChartsRecorder: wrote " + file + " (" + Files.size(file) + " bytes)");
    }
  }
}
