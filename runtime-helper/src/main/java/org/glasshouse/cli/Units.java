package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.glasshouse.protocol.text.Bytes;

/**
 * Absolute units for people, from the helper's JSON: bytes through the protocol's one formatter
 * ({@link Bytes#iec}), nanoseconds in µs/ms/s, always with a decimal point.
 */
final class Units {

  private Units() {}

  static String bytes(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? "-" : bytes(n.asLong());
  }

  static String bytes(long b) {
    return Bytes.iec(b);
  }

  static String nanos(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return "-";
    }
    long ns = n.asLong();
    if (ns < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
    }
    if (ns < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
  }

  static String num(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? "-" : n.asText();
  }

  /** A limit: "max" when absent (no limit). */
  static String limitBytes(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? "max" : bytes(n.asLong());
  }
}
