package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.glasshouse.helper.text.Bytes;

/** Absolute units for people: bytes in KiB/MiB/GiB, nanoseconds in µs/ms/s. */
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
      return String.format("%.1f µs", ns / 1e3);
    }
    if (ns < 1_000_000_000) {
      return String.format("%.1f ms", ns / 1e6);
    }
    return String.format("%.2f s", ns / 1e9);
  }

  static String num(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? "-" : n.asText();
  }

  /** A limit: "max" when absent (no limit). */
  static String limitBytes(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? "max" : bytes(n.asLong());
  }
}
