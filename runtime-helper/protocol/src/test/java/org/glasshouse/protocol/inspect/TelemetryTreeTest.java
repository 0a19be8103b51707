package org.glasshouse.protocol.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.JsonText;
import org.junit.jupiter.api.Test;

/** {@link TelemetryTree} gives the tree and the text Jackson's data binding gives. */
class TelemetryTreeTest {

  private static void same(TelemetrySample s) {
    var mapper = Json.tree(s);
    var byHand = TelemetryTree.of(s);
    assertEquals(JsonText.write(mapper), JsonText.write(byHand));
    assertEquals(mapper, byHand);
    // And inside the event body the helper publishes.
    assertEquals(Json.tree(new TelemetryEvent(s)).get("sample"), byHand);
  }

  @Test
  void examples() {
    for (TelemetrySample s : TelemetrySamples.examples()) {
      same(s);
    }
  }

  @Test
  void randomSamples() {
    Random r = new Random(18);
    for (int i = 0; i < 2000; i++) {
      same(TelemetrySamples.random(r));
    }
  }
}
