package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The CLI's columns of figures: bytes through the protocol's one formatter, "max" for no limit. */
class UnitsTest {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Test
  void bytesAtTheUnitBoundaries() {
    assertEquals("0 B", Units.bytes(0));
    assertEquals("1023 B", Units.bytes(1023));
    assertEquals("1.00 KiB", Units.bytes(1024));
    assertEquals("1.00 MiB", Units.bytes((1L << 20) - 1));
    assertEquals("64.0 MiB", Units.bytes(JSON.numberNode(64L << 20)));
    assertEquals("1.00 GiB", Units.bytes(JSON.numberNode(1L << 30)));
  }

  @Test
  void anAbsentLimitIsMaxAnAbsentReadingADash() {
    assertEquals("max", Units.limitBytes(null));
    assertEquals("max", Units.limitBytes(NullNode.getInstance()));
    assertEquals("max", Units.limitBytes(MissingNode.getInstance()));
    assertEquals("32.0 MiB", Units.limitBytes(JSON.numberNode(32L << 20)));
    assertEquals("-", Units.bytes(MissingNode.getInstance()));
    assertEquals("-", Units.nanos(NullNode.getInstance()));
  }

  /** A decimal point is a point whatever the user's locale (it was a comma under de_DE). */
  @Test
  void durationsUseAPointInEveryLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertEquals("850.0 µs", Units.nanos(JSON.numberNode(850_000)));
      assertEquals("12.3 ms", Units.nanos(JSON.numberNode(12_300_000)));
      assertEquals("1.25 s", Units.nanos(JSON.numberNode(1_250_000_000L)));
    } finally {
      Locale.setDefault(saved);
    }
  }
}
