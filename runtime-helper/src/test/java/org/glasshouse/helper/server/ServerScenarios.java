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
      for (int off = 0; off < data.length; off += chunk) {
        sendStdin(c, id, data, off, Math.min(chunk, data.length - off));
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

  /** Sends stdin as a well-behaved client does: again a little later when the helper says limit. */
  static void sendStdin(HelperClient c, String id, byte[] data, int off, int len) throws Exception {
    ObjectNode req =
        Json.object().put("container", id).put("data", Messages.encode(data, off, len));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        c.call(Op.STDIN, req);
        return;
      } catch (HelperException e) {
        if (e.code() != ErrorCode.LIMIT || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(10); // the container is reading what waits: room comes back soon
      }
    }
  }

  @Test
  void aContainerThatDoesNotReadItsStdinGetsNoMoreThanTheBound() throws Exception {
    try (HelperClient c = client(new Collector())) {
      String id =
          c.call(Op.RUN, run(TestHelper.spec("sleep", "60"), false)).get("container").asText();
      byte[] data = new byte[64 * 1024];
      int accepted = 0;
      HelperException refused = null;
      for (int i = 0; i < 64 && refused == null; i++) {
        try {
          c.call(
              Op.STDIN,
              Json.object()
                  .put("container", id)
                  .put("data", Messages.encode(data, 0, data.length)));
          accepted++;
        } catch (HelperException e) {
          refused = e;
        }
      }
      assertTrue(refused != null, "64 x 64 KiB were all taken by a container that never reads");
      assertEquals(ErrorCode.LIMIT, refused.code());
      // A pipe takes 64 KiB (the pty or pipe buffer), the queue 512 KiB: never the whole 4 MiB.
      assertTrue(accepted <= 16, accepted + " requests of 64 KiB accepted");
      assertTrue(c.call(Op.PS, Json.object()).has("containers"), "the connection goes on");
      c.call(Op.REMOVE, Json.object().put("container", id).put("force", true));
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

  /**
   * A follower saw the failed start's steps (it follows every container's): the helper undid the
   * start, so it says the container is gone, and the starter's error names the container its steps
   * named. Without either, a window that follows every container kept another client's failed start
   * "starting" for good, and had to guess which of its items a failure was about.
   */
  @Test
  void aFailedStartNamesItsContainerAndFollowersHearItIsGone() throws Exception {
    Collector watcher = new Collector();
    java.util.Set<String> stepped = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.Set<String> gone = java.util.concurrent.ConcurrentHashMap.newKeySet();
    HelperClient.Listener follower =
        new HelperClient.Listener() {
          @Override
          public void event(org.glasshouse.protocol.Incoming.Event e) {
            if ("step".equals(e.type())) {
              stepped.add(e.container());
            } else if ("removed".equals(e.type())) {
              gone.add(e.container());
            }
            watcher.event(e);
          }

          @Override
          public void closed(String reason) {
            watcher.closed(reason);
          }
        };
    try (HelperClient w = HelperClient.connect(helper.socket(), "test", follower);
        HelperClient c = client(new Collector())) {
      w.call(Op.SUBSCRIBE, Json.object().set("topics", Json.tree(List.of("lifecycle", "steps"))));
      HelperException e =
          assertThrows(
              HelperException.class,
              () -> c.call(Op.RUN, run(TestHelper.spec("/nonexistent/glasshouse-cmd"), false)));
      assertEquals(ErrorCode.STEP_FAILED, e.code());
      assertTrue(e.container() != null, "the error names the container the start made");
      assertTrue(
          watcher.removed.await(10, TimeUnit.SECONDS),
          "no removed event for the failed start; events: " + watcher.events);
      assertEquals(java.util.Set.of(e.container()), stepped, "the steps were the error's");
      assertEquals(stepped, gone);
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

  /**
   * Issue #14: {@code ps -a} showed IMAGE {@code nosuchimage} for a level-00 container, which runs
   * on the host's root and never used an image. The helper records none for a run that makes no
   * root filesystem, so ps (the JVM's and the native glasshouse-ps, which print what the helper
   * says: {@code -}), inspect and the window name no image it did not use.
   */
  @Test
  void aLevelZeroRunRecordsNoImage() throws Exception {
    try (HelperClient c = client(new Collector())) {
      ObjectNode spec = TestHelper.spec("sleep", "60");
      spec.put("image", "nosuchimage").put("level", 0);
      String id = c.call(Op.RUN, run(spec, false)).get("container").asText();
      JsonNode row = c.call(Op.PS, Json.object().put("all", true)).get("containers").get(0);
      assertEquals(id, row.get("id").asText());
      assertTrue(row.get("image").isNull(), "no image at level 00: " + row);
      c.call(Op.REMOVE, Json.object().put("container", id).put("force", true));
    }
  }

  @Test
  void psListsTheNewestFirst() throws Exception {
    try (HelperClient c = client(new Collector())) {
      List<String> started = new ArrayList<>();
      for (String name : List.of("first", "second", "third")) {
        ObjectNode spec = TestHelper.spec("sleep", "60");
        spec.put("name", name);
        started.add(0, c.call(Op.RUN, run(spec, false)).get("container").asText());
      }
      List<String> listed = new ArrayList<>();
      c.call(Op.PS, Json.object()).get("containers").forEach(r -> listed.add(r.get("id").asText()));
      assertEquals(started, listed, "ps lists the newest first, as docker ps does");
      for (String id : started) {
        c.call(Op.REMOVE, Json.object().put("container", id).put("force", true));
      }
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

  /**
   * An attached run gets its steps unless it says {@code "steps":false} (the command line, which
   * shows none): then only its output and lifecycle, the exit included.
   */
  @Test
  void anAttachedRunMayLeaveTheStepsOut() throws Exception {
    Collector with = new Collector();
    try (HelperClient c = client(with)) {
      c.call(Op.RUN, run(TestHelper.spec("echo", "stepped"), true));
      with.awaitExit();
      assertEquals("stepped\n", with.out());
      assertTrue(with.events.contains("step"), "no step events by default: " + with.events);
    }
    Collector without = new Collector();
    try (HelperClient c = client(without)) {
      c.call(Op.RUN, run(TestHelper.spec("echo", "unstepped"), true).put("steps", false));
      without.awaitExit();
      assertEquals("unstepped\n", without.out());
      assertFalse(without.events.contains("step"), "steps were left out: " + without.events);
      HelperException bad =
          assertThrows(
              HelperException.class,
              () -> c.call(Op.RUN, run(TestHelper.spec("true"), true).put("steps", "no")));
      assertEquals(ErrorCode.BAD_REQUEST, bad.code());
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

  /** The output a container has written so far, as its log counts it. */
  long written(String id) {
    return helper.server.entry(id).log.total();
  }

  /** Waits until the container's output stops growing for a second; returns how much there was. */
  long awaitOutputSettled(String id) throws InterruptedException {
    long last = -1;
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      long now = written(id);
      if (now != last) {
        last = now;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(1)) {
        return now;
      }
      Thread.sleep(100); // polling a counter the pump thread advances; no event to wait on
    }
    throw new AssertionError("the output of " + id + " never stopped growing: " + last);
  }

  /** The one container the helper has (started by a raw client), once it runs. */
  String theContainer() throws Exception {
    try (HelperClient c = client(new Collector())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        JsonNode ps = c.call(Op.PS, Json.object()).get("containers");
        if (ps.size() == 1 && "running".equals(ps.get(0).get("state").asText())) {
          return ps.get(0).get("id").asText();
        }
        Thread.sleep(50); // the raw client's run is under way on another connection
      }
    }
    throw new AssertionError("the container did not start");
  }

  /** Reads events from a raw client until {@code bytes} of output (decoded) have come. */
  static long readOutput(TestHelper.Raw raw, long bytes) throws Exception {
    long got = 0;
    while (got < bytes) {
      JsonNode n = raw.next();
      assertTrue(n != null, "the connection ended after " + got + " bytes");
      if ("output".equals(n.path("event").asText())) {
        got += Messages.decode(n.get("data").asText()).length;
      }
    }
    return got;
  }

  @Test
  void aClientThatStopsReadingHoldsItsContainerInsteadOfBeingDropped() throws Exception {
    String id;
    try (TestHelper.Raw lazy = new TestHelper.Raw(helper.socket())) {
      lazy.hello();
      lazy.send(
          "{\"id\":1,\"op\":\"run\",\"attach\":true,\"spec\":{\"argv\":[\"yes\",\"glasshouse\"]}}");
      id = theContainer();
      // The helper stops reading `yes` once the window and the socket's buffers are full.
      long held = awaitOutputSettled(id);
      assertTrue(held < 16 << 20, "read " + held + " bytes from a container nobody read");
      try (HelperClient c = client(new Collector())) {
        JsonNode ps = c.call(Op.PS, Json.object()).get("containers");
        assertEquals("running", ps.get(0).get("state").asText(), ps.toString());
      }
      assertFalse(
          helper.log.stream().anyMatch(l -> l.contains("fell behind")), helper.log.toString());
      // Reading again lets it go on: the container was waiting, not dropped.
      readOutput(lazy, held + (4 << 20));
      assertTrue(written(id) > held + (4 << 20) - (1 << 20), "it did not resume");
    }
    helper.awaitLog(l -> l.contains("removed container " + id), "for the held container");
  }

  @Test
  void aFollowerThatStopsReadingMissesOutputButNeverSlowsTheContainer() throws Exception {
    try (TestHelper.Raw watcher = new TestHelper.Raw(helper.socket());
        HelperClient c = client(new Collector())) {
      watcher.hello();
      watcher.send("{\"id\":1,\"op\":\"subscribe\",\"topics\":[\"output\"]}");
      String id =
          c.call(Op.RUN, run(TestHelper.spec("yes", "glasshouse"), false))
              .get("container")
              .asText();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (written(id) < 64 << 20) {
        assertTrue(System.nanoTime() < deadline, "the followed container was slowed down");
        Thread.sleep(50); // the container runs on its own; we wait for it to write 64 MiB
      }
      long skipped = 0;
      while (skipped == 0) {
        JsonNode n = watcher.next();
        assertTrue(n != null, "the follower was dropped");
        skipped = n.path("skipped").asLong();
      }
      assertTrue(skipped > 0);
      c.call(Op.REMOVE, Json.object().put("container", id).put("force", true));
    }
  }

  @Test
  void logsSendsTheLogThenFollowsWithoutGapOrRepeat() throws Exception {
    Collector first = new Collector();
    Collector follower = new Collector();
    try (HelperClient c = client(first);
        HelperClient f = client(follower)) {
      String id =
          c.call(
                  Op.RUN,
                  run(
                      TestHelper.spec(
                          "/bin/sh", "-c", "echo one; echo two >&2; read x; echo \"got $x\""),
                      false))
              .get("container")
              .asText();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (written(id) < 8) {
        assertTrue(System.nanoTime() < deadline, "no output");
        Thread.sleep(20); // the container's first two lines
      }
      JsonNode r = f.call(Op.LOGS, Json.object().put("container", id).put("follow", true));
      assertEquals(8, r.get("bytes").asInt(), r.toString());
      assertEquals(0, r.get("skipped").asInt(), r.toString());
      assertTrue(r.get("subscription").isIntegralNumber(), r.toString());
      assertEquals("one\n", follower.out());
      synchronized (follower.stderr) {
        assertEquals("two\n", follower.stderr.toString(StandardCharsets.UTF_8));
      }
      byte[] x = "x\n".getBytes(StandardCharsets.UTF_8);
      c.call(Op.STDIN, Json.object().put("container", id).put("data", Messages.encode(x, 0, 2)));
      assertEquals(0, follower.awaitExit().get("code").asInt());
      assertEquals("one\ngot x\n", follower.out());
      Collector later = new Collector();
      try (HelperClient l = client(later)) {
        JsonNode again = l.call(Op.LOGS, Json.object().put("container", id));
        assertEquals(14, again.get("bytes").asInt(), again.toString());
        assertTrue(again.get("subscription").isNull(), again.toString());
        assertEquals("one\ngot x\n", later.out());
      }
      c.call(Op.REMOVE, Json.object().put("container", id));
      HelperException gone =
          assertThrows(
              HelperException.class, () -> f.call(Op.LOGS, Json.object().put("container", id)));
      assertEquals(ErrorCode.NOT_FOUND, gone.code());
    }
  }

  @Test
  void theLogKeepsTheLastHalfMebibyteAndSaysWhatItDropped() throws Exception {
    Collector events = new Collector();
    try (HelperClient c = client(events)) {
      int total = 3_000_000;
      String id =
          c.call(
                  Op.RUN,
                  run(TestHelper.spec("head", "-c", Integer.toString(total), "/dev/zero"), true))
              .get("container")
              .asText();
      events.awaitExit();
      assertEquals(total, events.stdout.size(), "the attached client got every byte");
      Collector later = new Collector();
      try (HelperClient l = client(later)) {
        JsonNode r = l.call(Op.LOGS, Json.object().put("container", id));
        long bytes = r.get("bytes").asLong();
        assertTrue(bytes > 400_000 && bytes <= Bounds.LOG_BYTES, r.toString());
        assertEquals(total, bytes + r.get("skipped").asLong(), r.toString());
        assertEquals(bytes, later.stdout.size());
      }
    }
  }

  @Test
  void inCreditFlowAContainerWithoutCreditWaitsWhileOthersAndRepliesFlow() throws Exception {
    try (TestHelper.Raw r = new TestHelper.Raw(helper.socket())) {
      r.send("{\"id\":0,\"op\":\"hello\",\"version\":1,\"flow\":\"credit\"}");
      JsonNode hello = r.reply();
      assertEquals("credit", hello.at("/result/flow").asText(), hello.toString());
      r.send("{\"id\":1,\"op\":\"run\",\"attach\":true,\"spec\":{\"argv\":[\"yes\",\"A\"]}}");
      String a = r.reply().at("/result/container").asText();
      r.send("{\"id\":2,\"op\":\"run\",\"attach\":true,\"spec\":{\"argv\":[\"cat\"]}}");
      String b = r.reply().at("/result/container").asText();
      // Nobody grants A credit: the helper reads no more than its window, though we read on.
      Thread reader =
          new Thread(
              () -> {
                try {
                  while (r.next() != null) {
                    // drain: the socket is never what holds A back
                  }
                } catch (java.io.IOException e) {
                  // closed at the end of the test
                }
              });
      long heldA;
      try (HelperClient c = client(new Collector())) {
        // Replies cannot be read by the drain thread's competitor; use a second connection for
        // the checks, and the raw one only for credit.
        reader.start();
        heldA = awaitOutputSettled(a);
        assertTrue(heldA <= Bounds.WINDOW_BYTES, "A read " + heldA + " bytes without credit");
        byte[] hi = "hi\n".getBytes(StandardCharsets.UTF_8);
        r.send(
            "{\"id\":3,\"op\":\"stdin\",\"container\":\""
                + b
                + "\",\"data\":\""
                + Messages.encode(hi, 0, hi.length)
                + "\"}");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (written(b) < 3) {
          assertTrue(System.nanoTime() < deadline, "B's output did not flow while A waited");
          Thread.sleep(20); // B echoes through cat
        }
        assertEquals(heldA, written(a), "A stays held");
        r.send("{\"id\":4,\"op\":\"credit\",\"container\":\"" + a + "\",\"bytes\":1048576}");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // The log counts a chunk once all of it is queued; the last one may wait for more credit.
        while (written(a) < heldA + (1 << 19)) {
          assertTrue(System.nanoTime() < deadline, "A did not resume after credit");
          Thread.sleep(20); // A's pump reads again
        }
        c.call(Op.REMOVE, Json.object().put("container", a).put("force", true));
        c.call(Op.REMOVE, Json.object().put("container", b).put("force", true));
      }
      r.close();
      reader.join(10_000);
    }
  }

  @Test
  void creditNeedsCreditFlow() throws Exception {
    try (HelperClient c = client(new Collector())) {
      String id =
          c.call(Op.RUN, run(TestHelper.spec("sleep", "60"), false)).get("container").asText();
      HelperException e =
          assertThrows(
              HelperException.class,
              () -> c.call(Op.CREDIT, Json.object().put("container", id).put("bytes", 4096)));
      assertEquals(ErrorCode.BAD_REQUEST, e.code());
      c.call(Op.REMOVE, Json.object().put("container", id).put("force", true));
    }
  }

  @Test
  void fiftyConcurrentClientsEachRunAContainer() throws Exception {
    int n = 50;
    // All 50 connect and ask at once, nothing held back on the client side: the helper itself must
    // cope (the real runtime queues its starts, a few at a time, each with its own init deadline).
    java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(n);
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
                    connected.countDown();
                    connected.await();
                    c.call(
                        Op.RUN,
                        run(
                            TestHelper.spec(
                                "/bin/sh", "-c", "echo client " + k + "; exit " + k % 7),
                            true));
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
    var s = SocketFile.bind(sock, gid, 8, helper.log::add);
    try {
      assertEquals(
          "rw-rw----",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(sock)));
      java.io.IOException e =
          assertThrows(
              java.io.IOException.class,
              () -> SocketFile.bind(helper.socket(), gid, 8, helper.log::add));
      assertTrue(e.getMessage().contains("already listening"), e.getMessage());
    } finally {
      s.shutdown();
      s.close();
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
      // An exited exec goes by itself: it would count against the container limit forever.
      assertTrue(events.removed.await(30, TimeUnit.SECONDS), "no removed event for the exec");
      List<String> listed = new ArrayList<>();
      c.call(Op.PS, Json.object().put("all", true))
          .get("containers")
          .forEach(row -> listed.add(row.get("id").asText()));
      assertEquals(List.of(id), listed, "the container stays, its exited exec is gone");
      c.call(Op.REMOVE, Json.object().put("container", id).put("force", true));
      HelperException notRunning = assertThrows(HelperException.class, () -> c.call(Op.EXEC, exec));
      assertEquals(ErrorCode.NOT_FOUND, notRunning.code());
    }
  }
}
