package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.glasshouse.client.HelperClient;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.Messages;

/** Collects what a client is pushed: output per stream, the event sequence, exit and removal. */
final class Collector implements HelperClient.Listener {
  final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  final List<String> events = new CopyOnWriteArrayList<>();
  final CountDownLatch exited = new CountDownLatch(1);
  final CountDownLatch removed = new CountDownLatch(1);
  final CountDownLatch closed = new CountDownLatch(1);
  volatile JsonNode exitEvent;
  volatile String closedReason;

  @Override
  public void event(Incoming.Event e) {
    events.add(e.type());
    switch (e.type()) {
      case "output" -> {
        byte[] d = Messages.decode(e.body().get("data").asText());
        ByteArrayOutputStream s =
            "stderr".equals(e.body().get("stream").asText()) ? stderr : stdout;
        synchronized (s) {
          s.write(d, 0, d.length);
        }
      }
      case "exited" -> {
        exitEvent = e.body();
        exited.countDown();
      }
      case "removed" -> removed.countDown();
      default -> {}
    }
  }

  @Override
  public void closed(String reason) {
    closedReason = reason;
    closed.countDown();
  }

  JsonNode awaitExit() throws InterruptedException {
    assertTrue(exited.await(60, TimeUnit.SECONDS), "no exited event; events: " + events);
    return exitEvent;
  }

  String out() {
    synchronized (stdout) {
      return stdout.toString(StandardCharsets.UTF_8);
    }
  }
}
