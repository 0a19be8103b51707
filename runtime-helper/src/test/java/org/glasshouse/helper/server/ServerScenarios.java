package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a helper on a temporary socket must do whatever runtime it drives: {@link HelperServerTest}
 * runs these against a level-00 process fake, {@link HelperServerRootTest} against the real
 * runtime.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class ServerScenarios {

  TestHelper helper;

  /** A fresh runtime keeping its state under {@code stateDir}. */
  abstract ContainerRuntime newRuntime(Path stateDir) throws Exception;

  @BeforeEach
  void start() throws Exception {
    helper = new TestHelper(this::newRuntime, ServerConfig.DEFAULT_OUTBOX_BYTES);
  }

  @AfterEach
  void stop() throws Exception {
    helper.close();
  }

  HelperClient client(Collector c) throws HelperException {
    return HelperClient.connect(helper.socket(), "test", c);
  }

  static ObjectNode run(ObjectNode spec, boolean attach) {
    ObjectNode f = Json.object().put("attach", attach);
    f.set("spec", spec);
    return f;
  }

  @Test
  void helloDescribesTheHelper() throws Exception {
    try (HelperClient c = client(new Collector())) {
      JsonNode h = c.helloResult();
      assertEquals(1, h.get("version").asInt());
      assertTrue(h.get("server").asText().startsWith("glasshouse-helper/"));
      List<String> ops = new ArrayList<>();
      h.get("ops").forEach(o -> ops.add(o.asText()));
      assertTrue(ops.containsAll(List.of("hello", "run", "ps", "subscribe")), ops.toString());
      assertFalse(ops.contains("inspect"), "inspection is not installed in this test");
      assertTrue(List.of("v1", "v2", "hybrid").contains(h.at("/cgroup/mode").asText()));
      assertEquals(
          Long.parseLong(
              new String(
                      new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                      StandardCharsets.US_ASCII)
                  .trim()),
          h.get("uid").asLong());
    }
  }

  @Test
  void attachedRunStreamsOutputAndReportsTheExitCode() throws Exception {
    Collector events = new Collector();
    try (HelperClient c = client(events)) {
      JsonNode r = c.call(Op.RUN, run(TestHelper.spec("/bin/sh", "-c", "echo hi; exit 7"), true));
      assertTrue(Validation.ID.matcher(r.get("container").asText()).matches(), r.toString());
      JsonNode exit = events.awaitExit();
      assertEquals(7, exit.get("code").asInt());
      assertTrue(exit.get("signal").isNull());
      assertEquals("hi\n", events.out());
      assertEquals("step", events.events.get(0), "steps come first: " + events.events);
      assertTrue(events.events.indexOf("started") < events.events.indexOf("exited"));
    }
  }

  @Test
  void envIsExactlyWhatWasAsked() throws Exception {
    Collector events = new Collector();
    try (HelperClient c = client(events)) {
      ObjectNode spec = TestHelper.spec("/usr/bin/env");
      spec.set("env", Json.tree(Map.of("GREETING", "hello world", "EMPTY", "")));
      c.call(Op.RUN, run(spec, true));
      events.awaitExit();
      List<String> lines = List.of(events.out().split("\n"));
      assertEquals(2, lines.size(), events.out());
      assertTrue(lines.containsAll(List.of("GREETING=hello world", "EMPTY=")), lines.toString());
    }
  }

  @Test
  void stdinEchoesThroughCat() throws Exception {
    Collector events = new Collector();
    try (HelperClient c = client(events)) {
      String id = c.call(Op.RUN, run(TestHelper.spec("cat"), true)).get("container").asText();
      byte[] data = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
      c.call(
          Op.STDIN,
          Json.object().put("container", id).put("data", Messages.encode(data, 0, data.length)));
      c.call(Op.STDIN, Json.object().put("container", id).put("eof", true));
      assertEquals(0, events.awaitExit().get("code").asInt());
      assertEquals("line one\nline two\n", events.out());
    }
  }

  @Test
  void tenMegabytesThroughCatArriveIntact() throws Exception {
    Collector events = new Collector();
    byte[] data = new byte[10 * 1024 * 1024];
    new Random(42).nextBytes(data);
    try (HelperClient c = client(events)) {
      String id = c.call(Op.RUN, run(TestHelper.spec("cat"), true)).get("container").asText();
      int chunk = 256 * 1024;
      List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
      for (int off = 0; off < data.length; off += chunk) {
        acks.add(
            c.request(
                Op.STDIN,
                Json.object()
                    .put("container", id)
                    .put("data", Messages.encode(data, off, Math.min(chunk, data.length - off)))));
      }
      for (CompletableFuture<JsonNode> a : acks) {
        a.get(60, TimeUnit.SECONDS);
      }
      c.call(Op.STDIN, Json.object().put("container", id).put("eof", true));
      events.awaitExit();
      byte[] got;
      synchronized (events.stdout) {
        got = events.stdout.toByteArray();
      }
      assertEquals(data.length, got.length);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      assertArrayEquals(sha.digest(data), MessageDigest.getInstance("SHA-256").digest(got));
    }
  }

  @Test
  void failedStartRepliesStepFailedWithTheStep() throws Exception {
    try (HelperClient c = client(new Collector())) {
      HelperException e =
          assertThrows(
              HelperException.class,
              () -> c.call(Op.RUN, run(TestHelper.spec("/nonexistent/glasshouse-cmd"), false)));
      assertEquals(ErrorCode.STEP_FAILED, e.code());
      assertFalse(e.step().ok(), e.step().toString());
      assertEquals(0, c.call(Op.PS, Json.object().put("all", true)).get("containers").size());
    }
  }

  @Test
  void psRemoveAndSteps() throws Exception {
    try (HelperClient c = client(new Collector())) {
      ObjectNode spec = TestHelper.spec("sleep", "60");
      spec.put("name", "sleeper");
      String id = c.call(Op.RUN, run(spec, false)).get("container").asText();
      JsonNode ps = c.call(Op.PS, Json.object());
      assertEquals(1, ps.get("containers").size());
      JsonNode row = ps.get("containers").get(0);
      assertEquals(id, row.get("id").asText());
      assertEquals("sleeper", row.get("name").asText());
      assertEquals("running", row.get("state").asText());
      assertEquals(0, row.get("level").asInt());
      assertFalse(row.get("createdAt").isNull());
      assertTrue(
          c.call(Op.STEPS, Json.object().put("container", "sleeper")).get("steps").size() > 0);

      HelperException dup =
          assertThrows(HelperException.class, () -> c.call(Op.RUN, run(spec, false)));
      assertEquals(ErrorCode.CONFLICT, dup.code());
      HelperException running =
          assertThrows(
              HelperException.class, () -> c.call(Op.REMOVE, Json.object().put("container", id)));
      assertEquals(ErrorCode.CONFLICT, running.code());
      c.call(Op.REMOVE, Json.object().put("container", "sleeper").put("force", true));
      assertEquals(0, c.call(Op.PS, Json.object().put("all", true)).get("containers").size());
      HelperException gone =
          assertThrows(
              HelperException.class, () -> c.call(Op.STEPS, Json.object().put("container", id)));
      assertEquals(ErrorCode.NOT_FOUND, gone.code());
    }
  }

  @Test
  void signalKillsAndRmRemovesAfterExit() throws Exception {
    Collector events = new Collector();
    try (HelperClient c = client(events)) {
      ObjectNode spec = TestHelper.spec("sleep", "60");
      spec.put("rm", true);
      String id = c.call(Op.RUN, run(spec, true)).get("container").asText();
      c.call(Op.SIGNAL, Json.object().put("container", id).put("signal", "KILL"));
      assertEquals(9, events.awaitExit().get("signal").asInt());
      assertTrue(events.removed.await(30, TimeUnit.SECONDS), events.events.toString());
      assertEquals(0, c.call(Op.PS, Json.object().put("all", true)).get("containers").size());
    }
  }

  @Test
  void disconnectKillsAttachedButNotDetachedContainers() throws Exception {
    String attached;
    String detached;
    try (HelperClient c = client(new Collector())) {
      attached =
          c.call(Op.RUN, run(TestHelper.spec("sleep", "60"), true)).get("container").asText();
      detached =
          c.call(Op.RUN, run(TestHelper.spec("sleep", "60"), false)).get("container").asText();
    }
    helper.awaitLog(l -> l.contains("removed container " + attached), "for the attached one");
    try (HelperClient c = client(new Collector())) {
      JsonNode ps = c.call(Op.PS, Json.object().put("all", true)).get("containers");
      assertEquals(1, ps.size(), ps.toString());
      assertEquals(detached, ps.get(0).get("id").asText());
      assertEquals("running", ps.get(0).get("state").asText());
    }
  }

  @Test
  void subscriptionsDeliverOtherConnectionsContainers() throws Exception {
    Collector watcher = new Collector();
    try (HelperClient w = client(watcher);
        HelperClient c = client(new Collector())) {
      long sub =
          w.call(
                  Op.SUBSCRIBE,
                  Json.object().set("topics", Json.tree(List.of("lifecycle", "output"))))
              .get("subscription")
              .asLong();
      c.call(Op.RUN, run(TestHelper.spec("echo", "seen"), false));
      watcher.awaitExit();
      assertEquals("seen\n", watcher.out());
      assertFalse(watcher.events.contains("step"), "steps were not asked for");
      w.call(Op.UNSUBSCRIBE, Json.object().put("subscription", sub));
      HelperException again =
          assertThrows(
              HelperException.class,
              () -> w.call(Op.UNSUBSCRIBE, Json.object().put("subscription", sub)));
      assertEquals(ErrorCode.NOT_FOUND, again.code());
      HelperException telemetry =
          assertThrows(
              HelperException.class,
              () ->
                  w.call(
                      Op.SUBSCRIBE, Json.object().set("topics", Json.tree(List.of("telemetry")))));
      assertEquals(ErrorCode.BAD_REQUEST, telemetry.code());
    }
  }

  @Test
  void malformedAndInvalidRequestsAreAnsweredAndTheConnectionKept() throws Exception {
    try (TestHelper.Raw raw = new TestHelper.Raw(helper.socket())) {
      raw.send("{\"id\":1,\"op\":\"ps\"}");
      JsonNode first = raw.reply();
      assertEquals("bad_request", first.at("/error/code").asText());
      assertTrue(first.at("/error/message").asText().contains("hello"));
      assertTrue(raw.hello().get("ok").asBoolean());
      raw.send("this is not json");
      JsonNode bad = raw.reply();
      assertTrue(bad.get("id").isNull());
      assertEquals("malformed_json", bad.at("/error/code").asText());
      raw.sendRaw(new byte[] {(byte) 0xff, '\n'});
      assertEquals("malformed_json", raw.reply().at("/error/code").asText());
      raw.send("{\"id\":2,\"op\":\"launch-rockets\"}");
      JsonNode unknown = raw.reply();
      assertEquals(2, unknown.get("id").asInt());
      assertEquals("unknown_op", unknown.at("/error/code").asText());
      raw.send("{\"id\":3,\"op\":\"inspect\",\"container\":\"host\"}");
      assertEquals("unknown_op", raw.reply().at("/error/code").asText());
      raw.send("{\"id\":4,\"op\":\"run\",\"spec\":{\"argv\":[]}}");
      assertEquals(
          "field 'spec.argv' must name a command (non-empty)",
          raw.reply().at("/error/message").asText());
      raw.send(
          "{\"id\":5,\"op\":\"run\",\"spec\":{\"argv\":[\"x\"],\"image\":\"../etc\",\"level\":1}}");
      assertTrue(raw.reply().at("/error/message").asText().startsWith("field 'spec.image'"));
      raw.send("{\"id\":6,\"op\":\"signal\",\"container\":\"../x\",\"signal\":\"TERM\"}");
      assertTrue(raw.reply().at("/error/message").asText().startsWith("field 'container'"));
      raw.send("{\"id\":7,\"op\":\"hello\",\"version\":2}");
      assertEquals("unsupported_version", raw.reply().at("/error/code").asText());
      raw.send("");
      raw.send("{\"id\":\"last\",\"op\":\"ps\"}");
      JsonNode ps = raw.reply();
      assertEquals("last", ps.get("id").asText());
      assertTrue(ps.get("ok").asBoolean());
    }
  }

  @Test
  void overlongLineIsRefusedAndClosesOnlyThatConnection() throws Exception {
    try (HelperClient other = client(new Collector());
        TestHelper.Raw raw = new TestHelper.Raw(helper.socket())) {
      raw.hello();
      byte[] huge = new byte[JsonLines.MAX_LINE_BYTES + 10];
      java.util.Arrays.fill(huge, (byte) 'x');
      huge[huge.length - 1] = '\n';
      Thread writer =
          new Thread(
              () -> {
                try {
                  raw.sendRaw(huge);
                } catch (java.io.IOException e) {
                  // The helper may close before taking it all: that is the point.
                }
              });
      writer.start();
      JsonNode reply = raw.reply();
      assertEquals("line_too_long", reply.at("/error/code").asText());
      assertNull(raw.next(), "the connection is closed after line_too_long");
      writer.join();
      assertTrue(other.call(Op.PS, Json.object()).has("containers"), "others keep working");
    }
  }

  @Test
  void aClientThatStopsReadingIsDroppedAndItsContainerKeepsRunning() throws Exception {
    helper.close();
    helper = new TestHelper(this::newRuntime, 256 * 1024);
    String id;
    try (TestHelper.Raw lazy = new TestHelper.Raw(helper.socket())) {
      lazy.hello();
      lazy.send(
          "{\"id\":1,\"op\":\"run\",\"attach\":true,\"spec\":{\"argv\":[\"yes\",\"glasshouse\"]}}");
      helper.awaitLog(l -> l.contains("fell behind"), "about the slow client");
      try (HelperClient c = client(new Collector())) {
        JsonNode ps = c.call(Op.PS, Json.object()).get("containers");
        assertEquals(1, ps.size(), ps.toString());
        assertEquals("running", ps.get(0).get("state").asText());
        id = ps.get(0).get("id").asText();
        c.call(Op.REMOVE, Json.object().put("container", id).put("force", true));
      }
    }
  }

  @Test
  void fiftyConcurrentClientsEachRunAContainer() throws Exception {
    int n = 50;
    // All 50 connect and ask at once; the runtime may be given fewer starts at a time.
    java.util.concurrent.Semaphore starts = new java.util.concurrent.Semaphore(concurrentStarts());
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        results.add(
            CompletableFuture.supplyAsync(
                () -> {
                  Collector events = new Collector();
                  try (HelperClient c = client(events)) {
                    starts.acquire();
                    try {
                      c.call(
                          Op.RUN,
                          run(
                              TestHelper.spec(
                                  "/bin/sh", "-c", "echo client " + k + "; exit " + k % 7),
                              true));
                    } finally {
                      starts.release();
                    }
                    JsonNode exit = events.awaitExit();
                    return events.out().trim() + " exit " + exit.get("code").asInt();
                  } catch (Exception e) {
                    return "client " + k + " failed: " + e;
                  }
                },
                pool));
      }
      for (int i = 0; i < n; i++) {
        assertEquals("client " + i + " exit " + i % 7, results.get(i).get(170, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** How many container starts the 50-client test lets run at once. */
  int concurrentStarts() {
    return 50;
  }

  @Test
  void closeRemovesContainersAndTheSocket() throws Exception {
    try (HelperClient c = client(new Collector())) {
      c.call(Op.RUN, run(TestHelper.spec("sleep", "60"), false));
      helper.server.close();
      assertFalse(Files.exists(helper.socket()));
      assertTrue(helper.server.runtime().list().isEmpty());
    }
  }

  @Test
  void halfClosedClientStillGetsItsReplies() throws Exception {
    try (TestHelper.Raw raw = new TestHelper.Raw(helper.socket())) {
      raw.send("{\"id\":1,\"op\":\"hello\",\"version\":1}");
      raw.send("{\"id\":2,\"op\":\"ps\"}");
      raw.ch.shutdownOutput();
      assertEquals(1, raw.reply().get("id").asInt());
      assertEquals(2, raw.reply().get("id").asInt());
      assertNull(raw.next());
    }
  }

  @Test
  void staleSocketIsReplacedButALiveOneIsNot() throws Exception {
    java.nio.file.Path sock = helper.dir.resolve("run").resolve("other.sock");
    int gid = (Integer) Files.getAttribute(helper.dir, "unix:gid");
    try (var stale =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      stale.bind(java.net.UnixDomainSocketAddress.of(sock));
    }
    assertTrue(Files.exists(sock), "closing a bound channel leaves its file: a stale socket");
    assertEquals(
        "rwxr-x---",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(helper.socket().getParent())),
        "the directory the helper made for its socket");
    try (var s = SocketFile.bind(sock, gid, helper.log::add)) {
      assertEquals(
          "rw-rw----",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(sock)));
      java.io.IOException e =
          assertThrows(
              java.io.IOException.class,
              () -> SocketFile.bind(helper.socket(), gid, helper.log::add));
      assertTrue(e.getMessage().contains("already listening"), e.getMessage());
    }
    Files.deleteIfExists(sock);
  }

  @Test
  void execRunsAnotherCommandBesideARunningContainer() throws Exception {
    Collector events = new Collector();
    try (HelperClient c = client(events)) {
      String id =
          c.call(Op.RUN, run(TestHelper.spec("sleep", "60"), false)).get("container").asText();
      ObjectNode exec = run(TestHelper.spec("/bin/sh", "-c", "echo inside; exit 3"), true);
      exec.put("container", id);
      String execId = c.call(Op.EXEC, exec).get("container").asText();
      assertTrue(Validation.ID.matcher(execId).matches(), execId);
      assertFalse(execId.equals(id));
      assertEquals(3, events.awaitExit().get("code").asInt());
      assertEquals("inside\n", events.out());
      c.call(Op.REMOVE, Json.object().put("container", id).put("force", true));
      HelperException notRunning = assertThrows(HelperException.class, () -> c.call(Op.EXEC, exec));
      assertEquals(ErrorCode.NOT_FOUND, notRunning.code());
    }
  }
}
