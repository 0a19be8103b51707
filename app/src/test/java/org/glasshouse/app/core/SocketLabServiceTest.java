package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.glasshouse.app.TestSpecs;
import org.glasshouse.app.core.ConnectionStatus.State;
import org.glasshouse.protocol.Topic;
import org.glasshouse.protocol.inspect.InspectResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketLabServiceTest {
  @TempDir Path dir;
  private final BlockingQueue<ConnectionStatus> states = new LinkedBlockingQueue<>();
  private final List<LabEvent> events = new CopyOnWriteArrayList<>();
  private SocketLabService lab;

  private SocketLabService connect(Path socket) {
    lab = new SocketLabService(socket);
    lab.addListener(
        new LabListener() {
          @Override
          public void onEvent(LabEvent event) {
            events.add(event);
          }

          @Override
          public void onConnection(ConnectionStatus status) {
            states.add(status);
          }
        });
    lab.start();
    return lab;
  }

  private ConnectionStatus await(State wanted) throws InterruptedException {
    while (true) {
      ConnectionStatus s = states.poll(10, TimeUnit.SECONDS);
      if (s == null) {
        throw new AssertionError("no " + wanted + " within 10 s; now " + lab.status());
      }
      if (s.state() == wanted) {
        return s;
      }
    }
  }

  @AfterEach
  void close() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void noHelperIsAClearStateThatRetries() throws Exception {
    Path socket = dir.resolve("glasshouse-none.sock");
    connect(socket);
    ConnectionStatus s = await(State.UNREACHABLE);
    assertTrue(s.detail().contains("does not exist"), s.detail());
    try (ScriptedHelper helper = new ScriptedHelper(socket)) {
      lab.retryNow();
      assertTrue(await(State.CONNECTED).detail().contains("cgroup hybrid"));
    }
  }

  @Test
  void runDeliversEventsBeforeTheReplyAndErrorsKeepTheirCode() throws Exception {
    Path socket = dir.resolve("glasshouse.sock");
    try (ScriptedHelper helper = new ScriptedHelper(socket)) {
      connect(socket);
      await(State.CONNECTED);
      LabService.Started started =
          lab.run(TestSpecs.level5Tty("hostname")).get(10, TimeUnit.SECONDS);
      assertEquals(new LabService.Started("abc", 77), started);
      LabEvent.Step step = (LabEvent.Step) events.get(0);
      assertEquals("sethostname", step.entry().call());
      LabEvent.Output out = (LabEvent.Output) events.get(1);
      assertEquals("abc\r\n", new String(out.data(), StandardCharsets.UTF_8));
      CompletionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              CompletionException.class, () -> lab.remove("zzz", true).join());
      LabException le = (LabException) e.getCause();
      assertEquals("not_found", le.code());
      assertEquals("no container 'zzz'", LabException.describe(e));
      assertEquals(List.of("hello", "subscribe", "run", "remove"), helper.received);
    }
  }

  /**
   * A run whose connection closes before the helper answers fails as unanswered, not as refused:
   * the helper may have started it (its first step came), and only its ps after the reconnect can
   * say. The window shows it so instead of "start failed".
   */
  @Test
  void aRunWhoseConnectionClosesBeforeTheAnswerFailsAsUnanswered() throws Exception {
    Path socket = dir.resolve("glasshouse.sock");
    try (ScriptedHelper helper = new ScriptedHelper(socket)) {
      helper.hangUpOnRun = true;
      connect(socket);
      await(State.CONNECTED);
      CompletionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              CompletionException.class,
              () ->
                  lab.run(TestSpecs.level5Tty("hostname")).orTimeout(10, TimeUnit.SECONDS).join());
      LabException le = (LabException) e.getCause();
      assertEquals(LabException.UNANSWERED, le.code());
      assertEquals("the connection closed before the helper answered", le.getMessage());
    }
  }

  @Test
  void reconnectsWhenTheHelperRestarts() throws Exception {
    Path socket = dir.resolve("glasshouse.sock");
    ScriptedHelper first = new ScriptedHelper(socket);
    connect(socket);
    await(State.CONNECTED);
    first.close();
    await(State.LOST);
    try (ScriptedHelper second = new ScriptedHelper(socket)) {
      await(State.CONNECTED);
      lab.signal("abc", "KILL").get(10, TimeUnit.SECONDS);
      // The new connection follows every container again before it is announced.
      assertEquals(List.of("hello", "subscribe", "signal"), second.received);
    }
  }

  @Test
  void aRequestAfterCloseFailsItsFutureInsteadOfThrowing() throws Exception {
    Path socket = dir.resolve("glasshouse.sock");
    try (ScriptedHelper helper = new ScriptedHelper(socket)) {
      connect(socket);
      await(State.CONNECTED);
      lab.close();
      // A view reacting to the last events of a closing app still calls in; it must not throw.
      var f = lab.subscribe(List.of("abc"), List.of(Topic.TELEMETRY), 100);
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof LabException, e.toString());
    }
  }

  @Test
  void aSubscriptionIsRenewedAfterAReconnectAndUnsubscribesTheRenewedOne() throws Exception {
    Path socket = dir.resolve("glasshouse.sock");
    ScriptedHelper first = new ScriptedHelper(socket);
    connect(socket);
    await(State.CONNECTED);
    LabService.Subscription s =
        lab.subscribe(List.of("abc"), List.of(Topic.TELEMETRY, Topic.MOUNTS), 250)
            .get(10, TimeUnit.SECONDS);
    assertEquals(
        "{\"containers\":[\"abc\"],\"topics\":[\"telemetry\",\"mounts\"],\"intervalMs\":250}",
        fields(first.requests.get(2)));
    first.close();
    await(State.LOST);
    try (ScriptedHelper second = new ScriptedHelper(socket)) {
      await(State.CONNECTED);
      // Before "connected": the app's own follow-everything subscription (1), then ours (2).
      assertEquals(List.of("hello", "subscribe", "subscribe"), second.received);
      assertEquals(fields(first.requests.get(2)), fields(second.requests.get(2)));
      s.unsubscribe().get(10, TimeUnit.SECONDS);
      assertEquals("unsubscribe", second.received.get(3));
      assertEquals(2, second.requests.get(3).path("subscription").asInt());
    }
  }

  @Test
  void inspectionRepliesAndEventsArriveTypedAndANewerHelpersFieldsAreIgnored() throws Exception {
    Path socket = dir.resolve("glasshouse.sock");
    try (ScriptedHelper helper = new ScriptedHelper(socket)) {
      helper.inspectResult =
          "{\"target\":\"abc\",\"pid\":77,\"gone\":false,\"fromTheFuture\":[1],"
              + "\"namespaces\":{\"uts\":{\"inode\":4026532300,\"hostInode\":4026531838,"
              + "\"sameAsHost\":false,\"sharers\":1,\"sharedWith\":[77],\"colour\":\"red\"}}}";
      helper.afterInspect.add(
          "{\"event\":\"telemetry\",\"container\":\"abc\",\"sample\":{\"timeMs\":1,"
              + "\"pid\":77,\"gone\":false,\"intervalMs\":100,\"cpuPercent\":12.5,\"cgroup\":"
              + "{\"version\":\"v2\",\"memory\":{\"usageBytes\":33554432,\"limitBytes\":33554432,"
              + "\"oomKills\":1,\"hugeTlb\":0}},\"newField\":true}}");
      helper.afterInspect.add(
          "{\"event\":\"telemetry\",\"container\":\"abc\",\"sample\":[\"not\",1]}");
      helper.afterInspect.add("{\"event\":\"removed\",\"container\":\"abc\"}");
      connect(socket);
      await(State.CONNECTED);
      InspectResult r = lab.inspect("abc", true).get(10, TimeUnit.SECONDS);
      assertEquals(4026532300L, r.namespaces().get("uts").inode());
      assertEquals(true, helper.requests.get(2).path("upper").asBoolean());
      LabEvent.Telemetry t = awaitEvent(LabEvent.Telemetry.class);
      assertEquals(33_554_432L, t.sample().cgroup().memory().usageBytes());
      assertEquals(12.5, t.sample().cpuPercent());
      awaitEvent(LabEvent.Removed.class);
      assertEquals(
          1,
          events.stream().filter(e -> e instanceof LabEvent.Telemetry).count(),
          "a sample that is not an object is dropped, the connection stays");
      assertEquals(State.CONNECTED, lab.status().state());
    }
  }

  private <T extends LabEvent> T awaitEvent(Class<T> type) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      for (LabEvent e : events) {
        if (type.isInstance(e)) {
          return type.cast(e);
        }
      }
      // Events arrive on the client's reader thread; poll for them.
      Thread.sleep(10);
    }
    throw new AssertionError("no " + type.getSimpleName() + " within 10 s: " + events);
  }

  /** A request without its id and op. */
  private static String fields(com.fasterxml.jackson.databind.JsonNode request) {
    com.fasterxml.jackson.databind.node.ObjectNode o =
        ((com.fasterxml.jackson.databind.node.ObjectNode) request).deepCopy();
    o.remove("id");
    o.remove("op");
    return o.toString();
  }
}
