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
        assertEquals("internal", refused.at("/error/code").asText());
        assertNull(c.next());
      }
      small.awaitLog(l -> l.contains("already 2 connections"), "about the bound");
      assertTrue(a.hello().get("ok").asBoolean(), "the others keep working");
    }
  }
}
