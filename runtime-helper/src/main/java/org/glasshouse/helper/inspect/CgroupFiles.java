package org.glasshouse.helper.inspect;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.glasshouse.protocol.inspect.CgroupStats;

/**
 * Small stateless helpers shared by the v1 and v2 readers: read a file, parse a number, a {@code
 * key value} file, a PSI file. Every one is total: absent or malformed gives null / empty.
 */
final class CgroupFiles {

  /** v1 writes "unlimited" as the largest page-aligned long; anything this big means no limit. */
  static final long V1_UNLIMITED = 1L << 62;

  private CgroupFiles() {}

  static Optional<String> read(FileSource src, Path dir, String name) {
    return dir == null ? Optional.empty() : src.read(dir, name);
  }

  /** A single-number file; "max" and absence give null. */
  static Long number(FileSource src, Path dir, String name) {
    return read(src, dir, name).map(CgroupFiles::parseLong).orElse(null);
  }

  static Long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A v1 limit: absent, negative (-1) or the unlimited value give null. */
  static Long v1Limit(FileSource src, Path dir, String name) {
    Long v = number(src, dir, name);
    return v == null || v < 0 || v >= V1_UNLIMITED ? null : v;
  }

  /** A flat keyed file ({@code cpu.stat}, {@code memory.events}); empty when absent. */
  static Map<String, Long> keyed(FileSource src, Path dir, String name) {
    Map<String, Long> out = new HashMap<>();
    read(src, dir, name).ifPresent(t -> parseKeyed(t, out));
    return out;
  }

  static void parseKeyed(String text, Map<String, Long> out) {
    // By index rather than split (a regex-free split still makes an array and a string per line):
    // the telemetry tick parses a few of these per container ten times a second.
    int from = 0;
    int n = text.length();
    while (from < n) {
      int end = text.indexOf('\n', from);
      if (end < 0) {
        end = n;
      }
      int sp = text.indexOf(' ', from);
      if (sp > from && sp < end) {
        Long v = parseLong(text.substring(sp + 1, end));
        if (v != null) {
          out.put(text.substring(from, sp), v);
        }
      }
      from = end + 1;
    }
  }

  /**
   * PSI files of a directory ({@code cpu.pressure}, {@code memory.pressure}, {@code io.pressure}).
   */
  static Map<String, CgroupStats.Pressure> pressure(FileSource src, Path dir) {
    Map<String, CgroupStats.Pressure> out = new LinkedHashMap<>();
    for (String res : new String[] {"cpu", "memory", "io"}) {
      read(src, dir, res + ".pressure")
          .map(CgroupFiles::parsePressure)
          .ifPresent(p -> out.put(res, p));
    }
    return out;
  }

  /** {@code some avg10=1.50 avg60=0.80 avg300=0.20 total=1234567} and the {@code full} line. */
  static CgroupStats.Pressure parsePressure(String text) {
    CgroupStats.Line some = null;
    CgroupStats.Line full = null;
    for (String line : text.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 5) {
        continue;
      }
      try {
        CgroupStats.Line l =
            new CgroupStats.Line(
                Double.parseDouble(value(f[1])),
                Double.parseDouble(value(f[2])),
                Double.parseDouble(value(f[3])),
                Long.parseLong(value(f[4])));
        if (f[0].equals("some")) {
          some = l;
        } else if (f[0].equals("full")) {
          full = l;
        }
      } catch (NumberFormatException e) {
        // A malformed line contributes nothing; the other line may still be good.
      }
    }
    return some == null && full == null ? null : new CgroupStats.Pressure(some, full);
  }

  private static String value(String kv) {
    int eq = kv.indexOf('=');
    return eq < 0 ? kv : kv.substring(eq + 1);
  }

  static Long times(Long v, long factor) {
    return v == null ? null : v * factor;
  }

  static Long minus(Long a, Long b) {
    return a == null || b == null ? null : Math.max(0, a - b);
  }
}
