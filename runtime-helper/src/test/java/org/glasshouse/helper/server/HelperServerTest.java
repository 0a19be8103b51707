package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.junit.jupiter.api.Test;

/** The server's scenarios against the level-00 process fake: no root needed. */
class HelperServerTest extends ServerScenarios {

  @Override
  ContainerRuntime newRuntime(Path stateDir) {
    return new ProcessRuntime();
  }

  @Test
  void connectionsBeyondTheBoundAreTurnedAway() throws Exception {
    try (TestHelper small = new TestHelper(state -> new ProcessRuntime(), 1 << 20, 2);
        TestHelper.Raw a = new TestHelper.Raw(small.socket());
        TestHelper.Raw b = new TestHelper.Raw(small.socket())) {
      assertTrue(a.hello().get("ok").asBoolean());
      assertTrue(b.hello().get("ok").asBoolean());
      try (TestHelper.Raw c = new TestHelper.Raw(small.socket())) {
        JsonNode refused = c.next();
        assertEquals("limit", refused.at("/error/code").asText());
        assertTrue(refused.get("id").isNull());
        assertTrue(
            refused.at("/error/message").asText().contains("serves 2 connections"),
            refused.toString());
        assertNull(c.next());
      }
      small.awaitLog(l -> l.contains("serves 2 connections already"), "about the bound");
      assertTrue(a.hello().get("ok").asBoolean(), "the others keep working");
    }
  }

  @Test
  void aConnectionWithoutHelloIsClosedAfterTheHelloTimeout() throws Exception {
    try (TestHelper quick =
            new TestHelper(
                state -> new ProcessRuntime(), 1 << 20, 8, c -> c.withTimeouts(1500, 60_000));
        TestHelper.Raw silent = new TestHelper.Raw(quick.socket())) {
      long t0 = System.nanoTime();
      JsonNode line = silent.next();
      long waited = (System.nanoTime() - t0) / 1_000_000;
      assertEquals("limit", line.at("/error/code").asText(), line.toString());
      assertTrue(line.at("/error/message").asText().startsWith("no hello within"), line.toString());
      assertNull(silent.next(), "closed after the line");
      assertTrue(waited >= 1400, "closed after " + waited + " ms");
    }
  }

  @Test
  void anIdleConnectionIsClosedButOneWaitingForEventsIsNot() throws Exception {
    try (TestHelper quick =
            new TestHelper(
                state -> new ProcessRuntime(), 1 << 20, 8, c -> c.withTimeouts(60_000, 1500));
        TestHelper.Raw idle = new TestHelper.Raw(quick.socket());
        TestHelper.Raw listening = new TestHelper.Raw(quick.socket())) {
      idle.hello();
      listening.hello();
      listening.send("{\"id\":1,\"op\":\"subscribe\",\"topics\":[\"lifecycle\"]}");
      assertTrue(listening.reply().get("ok").asBoolean());
      JsonNode line = idle.next();
      assertEquals("limit", line.at("/error/code").asText(), line.toString());
      assertTrue(line.at("/error/message").asText().startsWith("idle for"), line.toString());
      assertNull(idle.next());
      // Long past the idle timeout, the subscriber is still served.
      Thread.sleep(2000); // past the 1.5 s idle timeout
      listening.send("{\"id\":2,\"op\":\"ps\"}");
      assertTrue(listening.reply().get("ok").asBoolean());
    }
  }

  @Test
  void theFlowModeIsChosenOnceByTheFirstHello() throws Exception {
    try (TestHelper.Raw r = new TestHelper.Raw(helper.socket())) {
      r.send("{\"id\":1,\"op\":\"hello\",\"version\":1,\"flow\":\"credit\"}");
      assertEquals("credit", r.reply().at("/result/flow").asText());
      r.send("{\"id\":2,\"op\":\"hello\",\"version\":1}");
      assertEquals("credit", r.reply().at("/result/flow").asText(), "kept without 'flow'");
      r.send("{\"id\":3,\"op\":\"hello\",\"version\":1,\"flow\":\"socket\"}");
      JsonNode changed = r.reply();
      assertEquals("bad_request", changed.at("/error/code").asText(), changed.toString());
      r.send("{\"id\":4,\"op\":\"hello\",\"version\":1,\"flow\":\"fast\"}");
      assertEquals("bad_request", r.reply().at("/error/code").asText());
    }
  }
}
