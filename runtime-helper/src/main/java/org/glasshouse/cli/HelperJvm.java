package org.glasshouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glasshouse.helper.server.Bounds;

/**
 * The helper's JVM options ({@code runtime-helper/src/main/jvm/helper.args}: the launchers'
 * argument file, copied next to this class on the class path and read here by the benchmarks that
 * start a helper of their own) and the check the helper makes of its own heap limit at start.
 */
final class HelperJvm {

  /** The options file, next to this class on the class path. */
  static final String OPTIONS = "helper.args";

  private HelperJvm() {}

  /** The options, comments ({@code #} to the end of a line) removed. */
  static List<String> options() throws IOException {
    try (InputStream in = HelperJvm.class.getResourceAsStream(OPTIONS)) {
      if (in == null) {
        throw new IOException(OPTIONS + " is not on the class path");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** The options of an argument file's text. */
  static List<String> parse(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      int hash = line.indexOf('#');
      String code = hash >= 0 ? line.substring(0, hash) : line;
      for (String word : code.trim().split("\\s+")) {
        if (!word.isEmpty()) {
          out.add(word);
        }
      }
    }
    return out;
  }

  /** The bytes of a {@code -Xmx} option ({@code 512m}, {@code 1g}, {@code 65536k}); -1 if none. */
  static long maxHeap(List<String> options) {
    long max = -1;
    for (String o : options) {
      if (o.startsWith("-Xmx")) {
        max = bytes(o.substring(4));
      }
    }
    return max;
  }

  private static long bytes(String v) {
    String s = v.toLowerCase(Locale.ROOT);
    long unit =
        switch (s.charAt(s.length() - 1)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          default -> 1;
        };
    String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
    return Long.parseLong(digits) * unit;
  }

  /**
   * One log line about this JVM's heap limit against the helper's bounds: a helper started without
   * the options file (an IDE, an old script) runs with the JVM's default, a quarter of the RAM, and
   * that is said.
   */
  static String heapReport() {
    long max = Runtime.getRuntime().maxMemory();
    long need = Bounds.heapBytes();
    boolean explicit =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .anyMatch(a -> a.startsWith("-Xmx"));
    String line =
        "heap limit "
            + (max >> 20)
            + " MiB; the helper's bounds add up to "
            + (need >> 20)
            + " MiB";
    if (!explicit) {
      return line
          + " — WARNING: no -Xmx was given (start the helper with the options in "
          + OPTIONS
          + ", as the glasshouse launcher does)";
    }
    if (max < need) {
      return line + " — WARNING: the limit is below the bounds; a busy helper may run out of heap";
    }
    return line;
  }
}
