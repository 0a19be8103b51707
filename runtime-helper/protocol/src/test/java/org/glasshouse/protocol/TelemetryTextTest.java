package org.glasshouse.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.glasshouse.protocol.inspect.TelemetrySamples;
import org.glasshouse.protocol.inspect.TelemetryTree;
import org.junit.jupiter.api.Test;

/** {@link TelemetryText} writes the line the event's tree gives ({@link TelemetryTree}). */
class TelemetryTextTest {

  private static void same(String container, TelemetrySample s) {
    var e = Messages.event(EventType.TELEMETRY, container);
    e.set("sample", TelemetryTree.of(s));
    byte[] tree = JsonLines.encode(e);
    byte[] text = TelemetryText.eventLine(container, s);
    assertEquals(
        new String(tree, StandardCharsets.UTF_8), new String(text, StandardCharsets.UTF_8));
    assertArrayEquals(tree, text);
  }

  @Test
  void examples() {
    for (TelemetrySample s : TelemetrySamples.examples()) {
      same("3f9a0c1d2e4b", s);
    }
  }

  @Test
  void aContainerNameThatNeedsCare() {
    // A container name is the client's text: quotes, backslashes, control characters, non-ASCII.
    same("we\"ird\\na\tme\u0001é€😀", new TelemetrySample(0L, 1, false, null, null, null));
  }

  @Test
  void randomSamples() {
    Random r = new Random(16);
    for (int i = 0; i < 5000; i++) {
      same(Long.toHexString(r.nextLong()), TelemetrySamples.random(r));
    }
  }
}
