package org.glasshouse.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.glasshouse.protocol.inspect.TelemetryTree;

/**
 * A {@code telemetry} event written straight to the bytes of its line: exactly {@code
 * JsonLines.encode} of the tree {@code Messages.event(TELEMETRY, container)} plus {@code "sample":}
 * {@link TelemetryTree#of(TelemetrySample)} gives, without building that tree (an object node per
 * part, a hash map per node) and walking it again. The telemetry topic writes 20 containers × 10
 * events a second, and the tree and its walk were ~30 µs an event, a third of the topic's CPU
 * (issue 16). {@code TelemetryTextTest} holds it to the tree's line for every field filled, empty
 * and absent, and for random samples. A sample holding a double JSON has no number for (NaN, an
 * infinity: never a reading's) goes through the tree, which writes what Jackson writes for it.
 */
public final class TelemetryText {

  private static final String PREFIX =
      "{\"event\":\"" + EventType.TELEMETRY.wireName() + "\",\"container\":";

  private TelemetryText() {}

  /** The line (newline included) of the {@code telemetry} event of {@code container}. */
  public static byte[] eventLine(String container, TelemetrySample s) {
    StringBuilder b = new StringBuilder(640);
    b.append(PREFIX);
    JsonText.appendString(container, b);
    b.append(",\"sample\":");
    if (!sample(s, b)) {
      var e = Messages.event(EventType.TELEMETRY, container);
      e.set("sample", TelemetryTree.of(s));
      return JsonLines.encode(e);
    }
    b.append('}');
    int length = b.length();
    if (length > JsonLines.MAX_LINE_BYTES) {
      // Not reachable for a sample (a few hundred bytes); the framing's own error says it.
      return JsonLines.frame(b.toString().getBytes(StandardCharsets.UTF_8));
    }
    b.append('\n');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static boolean sample(TelemetrySample s, StringBuilder b) {
    b.append("{\"timeMs\":").append(s.timeMs());
    b.append(",\"pid\":").append(s.pid());
    b.append(",\"gone\":").append(s.gone());
    if (s.intervalMs() != null) {
      b.append(",\"intervalMs\":").append(s.intervalMs().longValue());
    }
    if (s.cpuPercent() != null && !dbl(b.append(",\"cpuPercent\":"), s.cpuPercent())) {
      return false;
    }
    if (s.cgroup() != null) {
      b.append(",\"cgroup\":");
      if (!stats(s.cgroup(), b)) {
        return false;
      }
    }
    b.append('}');
    return true;
  }

  private static boolean stats(CgroupStats c, StringBuilder b) {
    b.append('{');
    Fields f = new Fields(b);
    if (c.version() != null) {
      f.name("version");
      JsonText.appendString(c.version(), b);
    }
    if (c.cpu() != null) {
      CgroupStats.Cpu u = c.cpu();
      f.name("cpu");
      Fields n = new Fields(b.append('{'));
      n.put("usageNs", u.usageNs());
      n.put("userNs", u.userNs());
      n.put("systemNs", u.systemNs());
      n.put("periods", u.periods());
      n.put("throttledPeriods", u.throttledPeriods());
      n.put("throttledNs", u.throttledNs());
      n.put("quotaUs", u.quotaUs());
      n.put("periodUs", u.periodUs());
      n.put("shares", u.shares());
      n.put("weight", u.weight());
      b.append('}');
    }
    if (c.memory() != null) {
      CgroupStats.Memory m = c.memory();
      f.name("memory");
      Fields n = new Fields(b.append('{'));
      n.put("usageBytes", m.usageBytes());
      n.put("limitBytes", m.limitBytes());
      n.put("peakBytes", m.peakBytes());
      n.put("swapBytes", m.swapBytes());
      n.put("swapLimitBytes", m.swapLimitBytes());
      n.put("failcnt", m.failcnt());
      n.put("oomKills", m.oomKills());
      n.put("oomEvents", m.oomEvents());
      n.put("softLimitBytes", m.softLimitBytes());
      n.put("swappiness", m.swappiness());
      n.put("oomKillDisabled", m.oomKillDisabled());
      n.put("underOom", m.underOom());
      n.put("oomGroup", m.oomGroup());
      n.put("highEvents", m.highEvents());
      n.put("kernelBytes", m.kernelBytes());
      b.append('}');
    }
    if (c.pids() != null) {
      CgroupStats.Pids p = c.pids();
      f.name("pids");
      Fields n = new Fields(b.append('{'));
      n.put("current", p.current());
      n.put("max", p.max());
      n.put("rejected", p.rejected());
      b.append('}');
    }
    if (c.pressure() != null) {
      f.name("pressure");
      Fields n = new Fields(b.append('{'));
      for (Map.Entry<String, CgroupStats.Pressure> e : c.pressure().entrySet()) {
        CgroupStats.Pressure p = e.getValue();
        if (p == null) {
          continue; // as Jackson's NON_NULL leaves a map's null value out
        }
        // The tree's object node keeps one value per name, the last put (a map has one anyway).
        n.name(e.getKey());
        Fields pn = new Fields(b.append('{'));
        if (!line(pn, "some", p.some()) || !line(pn, "full", p.full())) {
          return false;
        }
        b.append('}');
      }
      b.append('}');
    }
    b.append('}');
    return true;
  }

  private static boolean line(Fields o, String name, CgroupStats.Line l) {
    if (l == null) {
      return true;
    }
    StringBuilder b = o.b;
    o.name(name);
    b.append("{\"avg10\":");
    if (!dbl(b, l.avg10())) {
      return false;
    }
    b.append(",\"avg60\":");
    if (!dbl(b, l.avg60())) {
      return false;
    }
    b.append(",\"avg300\":");
    if (!dbl(b, l.avg300())) {
      return false;
    }
    b.append(",\"totalUs\":").append(l.totalUs()).append('}');
    return true;
  }

  /** A double as JsonText writes a double node; false for what it leaves to the mapper. */
  private static boolean dbl(StringBuilder b, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return false;
    }
    b.append(Double.toString(d));
    return true;
  }

  /** The members of one object: a comma before each but the first. */
  private static final class Fields {
    final StringBuilder b;
    boolean first = true;

    Fields(StringBuilder b) {
      this.b = b;
    }

    void name(String name) {
      if (!first) {
        b.append(',');
      }
      first = false;
      JsonText.appendString(name, b);
      b.append(':');
    }

    void put(String name, Long v) {
      if (v != null) {
        name(name);
        b.append(v.longValue());
      }
    }

    void put(String name, Boolean v) {
      if (v != null) {
        name(name);
        b.append(v.booleanValue());
      }
    }
  }
}
