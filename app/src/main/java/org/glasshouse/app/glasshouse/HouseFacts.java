package org.glasshouse.app.glasshouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsEvent;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.NamespacesEvent;
import org.glasshouse.protocol.inspect.TelemetrySample;

/**
 * What the kernel said about one container so far: the last full {@code inspect}, the members and
 * namespaces of its processes as {@code namespaces} events push them (which come sooner than an
 * inspect), its telemetry and its mount table. Kept after the container exits, so a finished
 * container can still be drawn and replayed. Used on one thread (the FX thread).
 */
public final class HouseFacts {
  private InspectResult inspection;
  private final Map<Long, Map<String, NamespacesEvent.Namespace>> members = new TreeMap<>();
  private boolean membersKnown;
  private TelemetrySample telemetry;
  private final Map<Integer, MountsResult.Mount> mounts = new LinkedHashMap<>();
  private double memoryPeak = Double.NaN;
  private long rejectedForks;
  private long oomKills;
  private boolean throttling;
  private Long lastThrottled;

  /** Takes a fresh {@code inspect} result; a {@code gone} one keeps the last good facts. */
  public void inspected(InspectResult r) {
    if (r == null || r.gone()) {
      return;
    }
    inspection = r;
    if (!membersKnown && r.processes() != null && r.namespaces() != null) {
      // Until the first namespaces event, the inspect's process list is the membership.
      r.processes().forEach(p -> members.putIfAbsent(p.pid(), Map.of()));
    }
    stats(r.cgroup() == null ? null : r.cgroup().stats());
  }

  /** A {@code namespaces} event: the members now and their namespaces. */
  public void namespaces(NamespacesEvent e) {
    members.clear();
    membersKnown = true;
    if (e.processes() != null) {
      for (NamespacesEvent.Member m : e.processes()) {
        members.put(m.pid(), m.namespaces() == null ? Map.of() : m.namespaces());
      }
    }
  }

  /** A telemetry sample. */
  public void telemetry(TelemetrySample s) {
    if (s == null || s.gone()) {
      return;
    }
    telemetry = s;
    stats(s.cgroup());
  }

  private void stats(CgroupStats s) {
    if (s == null) {
      return;
    }
    CgroupStats.Memory m = s.memory();
    if (m != null && m.usageBytes() != null && m.limitBytes() != null && m.limitBytes() > 0) {
      double f = m.usageBytes() / (double) m.limitBytes();
      memoryPeak = Double.isNaN(memoryPeak) ? f : Math.max(memoryPeak, f);
    }
    if (m != null && m.oomKills() != null) {
      oomKills = Math.max(oomKills, m.oomKills());
    }
    if (s.pids() != null && s.pids().rejected() != null) {
      rejectedForks = Math.max(rejectedForks, s.pids().rejected());
    }
    if (s.cpu() != null && s.cpu().throttledPeriods() != null) {
      Long before = lastThrottled;
      lastThrottled = s.cpu().throttledPeriods();
      throttling = before != null && lastThrottled > before;
    }
  }

  /** A {@code mounts} event: its table, kept current by the diffs. */
  public void mounts(MountsEvent e) {
    if (e.diff() == null) {
      return;
    }
    if ("none".equals(e.diff().against())) {
      mounts.clear();
    }
    if (e.diff().removed() != null) {
      e.diff().removed().forEach(m -> mounts.remove(m.id()));
    }
    if (e.diff().added() != null) {
      e.diff().added().forEach(m -> mounts.put(m.id(), m));
    }
    if (e.diff().changed() != null) {
      e.diff().changed().forEach(c -> mounts.put(c.after().id(), c.after()));
    }
  }

  /** The last full inspection, or null. */
  public InspectResult inspection() {
    return inspection;
  }

  /** The pids of its processes now (host pids, ascending), with their namespaces when known. */
  public Map<Long, Map<String, NamespacesEvent.Namespace>> members() {
    return members;
  }

  /** The latest telemetry sample, or null. */
  public TelemetrySample telemetry() {
    return telemetry;
  }

  /** Its mount table as the {@code mounts} events have it (empty until the first). */
  public List<MountsResult.Mount> mountTable() {
    return new ArrayList<>(mounts.values());
  }

  /** The highest memory usage / limit seen, NaN when it has no limit or no reading yet. */
  public double memoryPeak() {
    return memoryPeak;
  }

  /** Forks refused by its pids limit, the most seen. */
  public long rejectedForks() {
    return rejectedForks;
  }

  /** Processes the OOM killer killed in its group, the most seen. */
  public long oomKills() {
    return oomKills;
  }

  /** Whether its CPU quota throttled it between the last two readings. */
  public boolean throttling() {
    return throttling;
  }
}
