package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A {@link TelemetrySample} as a JSON tree built field by field: the tree {@code Json.tree(sample)}
 * gives (the same names in the same order, nulls left out, the same node types), without Jackson's
 * data binding. The telemetry topic turns 20 containers × 10 samples a second into events, and
 * {@code valueToTree} (serializers looked up, a token buffer written and read back per sample) was
 * a quarter of a tick's CPU (issue 16). {@code TelemetryTreeTest} holds it to the mapper's tree for
 * every field filled, empty and absent.
 */
public final class TelemetryTree {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TelemetryTree() {}

  /** {@code sample} as {@code Json.tree(sample)} gives it. */
  public static ObjectNode of(TelemetrySample s) {
    ObjectNode o = NODES.objectNode();
    o.put("timeMs", s.timeMs());
    o.put("pid", s.pid());
    o.put("gone", s.gone());
    put(o, "intervalMs", s.intervalMs());
    if (s.cpuPercent() != null) {
      o.put("cpuPercent", s.cpuPercent().doubleValue());
    }
    if (s.cgroup() != null) {
      o.set("cgroup", of(s.cgroup()));
    }
    return o;
  }

  /** {@code stats} as {@code Json.tree(stats)} gives it. */
  public static ObjectNode of(CgroupStats c) {
    ObjectNode o = NODES.objectNode();
    if (c.version() != null) {
      o.put("version", c.version());
    }
    if (c.cpu() != null) {
      CgroupStats.Cpu u = c.cpu();
      ObjectNode n = o.putObject("cpu");
      put(n, "usageNs", u.usageNs());
      put(n, "userNs", u.userNs());
      put(n, "systemNs", u.systemNs());
      put(n, "periods", u.periods());
      put(n, "throttledPeriods", u.throttledPeriods());
      put(n, "throttledNs", u.throttledNs());
      put(n, "quotaUs", u.quotaUs());
      put(n, "periodUs", u.periodUs());
      put(n, "shares", u.shares());
      put(n, "weight", u.weight());
    }
    if (c.memory() != null) {
      CgroupStats.Memory m = c.memory();
      ObjectNode n = o.putObject("memory");
      put(n, "usageBytes", m.usageBytes());
      put(n, "limitBytes", m.limitBytes());
      put(n, "peakBytes", m.peakBytes());
      put(n, "swapBytes", m.swapBytes());
      put(n, "swapLimitBytes", m.swapLimitBytes());
      put(n, "failcnt", m.failcnt());
      put(n, "oomKills", m.oomKills());
      put(n, "oomEvents", m.oomEvents());
      put(n, "softLimitBytes", m.softLimitBytes());
      put(n, "swappiness", m.swappiness());
      put(n, "oomKillDisabled", m.oomKillDisabled());
      put(n, "underOom", m.underOom());
      put(n, "oomGroup", m.oomGroup());
      put(n, "highEvents", m.highEvents());
      put(n, "kernelBytes", m.kernelBytes());
    }
    if (c.pids() != null) {
      CgroupStats.Pids p = c.pids();
      ObjectNode n = o.putObject("pids");
      put(n, "current", p.current());
      put(n, "max", p.max());
      put(n, "rejected", p.rejected());
    }
    if (c.pressure() != null) {
      ObjectNode n = o.putObject("pressure");
      for (Map.Entry<String, CgroupStats.Pressure> e : c.pressure().entrySet()) {
        CgroupStats.Pressure p = e.getValue();
        if (p == null) {
          continue; // as Jackson's NON_NULL leaves a map's null value out
        }
        ObjectNode pn = n.putObject(e.getKey());
        line(pn, "some", p.some());
        line(pn, "full", p.full());
      }
    }
    return o;
  }

  private static void line(ObjectNode o, String name, CgroupStats.Line l) {
    if (l != null) {
      ObjectNode n = o.putObject(name);
      n.put("avg10", l.avg10());
      n.put("avg60", l.avg60());
      n.put("avg300", l.avg300());
      n.put("totalUs", l.totalUs());
    }
  }

  private static void put(ObjectNode o, String name, Long v) {
    if (v != null) {
      o.put(name, v.longValue());
    }
  }

  private static void put(ObjectNode o, String name, Boolean v) {
    if (v != null) {
      o.put(name, v.booleanValue());
    }
  }
}
