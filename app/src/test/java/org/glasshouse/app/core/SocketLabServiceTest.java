package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.glasshouse.app.TestSpecs;
import org.glasshouse.app.core.ConnectionStatus.State;
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
}
