package org.glasshouse.helper.inspect;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.cgroups.CgroupMounts;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.TelemetrySample;

/**
 * Samples containers' cgroups repeatedly. The only stateful reader: it remembers, per container,
 * where its cgroups are (resolved once from {@code /proc/PID/cgroup}) and the previous CPU usage,
 * so a tick reads just the cgroup files and computes CPU % over the interval. It keeps each
 * container's cgroup files open between ticks ({@link OpenFileCache}); {@link #forget}, {@link
 * #retainOnly} and {@link #close} release them. Thread-safe for different keys; one key is sampled
 * by one thread at a time.
 */
public final class TelemetrySampler implements AutoCloseable {

  private final HostFs fs;
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private volatile CgroupMounts cgroupMounts;
  private volatile CgroupLocation helperCgroups;

  /** Limits and PSI change rarely (or, for PSI, average over 10 s): re-read them once a second. */
  private static final long FULL_READ_EVERY_NS = 1_000_000_000L;

  /** How long after an event counter moved they are all read every tick. */
  private static final long EVENTS_HOT_NS = 1_000_000_000L;

  private final LongSupplier nanoTime;

  /**
   * @param last the previous tick's reading (the event counters it did not read carried over)
   * @param eventsMoved when an event counter last changed
   */
  private record State(
      long pid,
      CgroupLocation location,
      OpenFileCache files,
      Long usageNs,
      long nanos,
      CgroupStats full,
      long fullNanos,
      CgroupStats last,
      long eventsMoved) {}

  /**
   * @param fs where /proc and the host's cgroup mounts are
   */
  public TelemetrySampler(HostFs fs) {
    this(fs, System::nanoTime);
  }

  /** As {@link #TelemetrySampler(HostFs)} with another clock (tests). */
  TelemetrySampler(HostFs fs, LongSupplier nanoTime) {
    this.fs = fs;
    this.nanoTime = nanoTime;
  }

  /**
   * Reads one sample of the container {@code key} whose first process is {@code pid}. Never throws:
   * a vanished process gives a sample with {@code gone} set.
   */
  public synchronized TelemetrySample sample(String key, long pid) {
    long now = nanoTime.getAsLong();
    long wall = System.currentTimeMillis();
    State prev = states.get(key);
    CgroupLocation loc;
    OpenFileCache files;
    if (prev != null && prev.pid == pid) {
      loc = prev.location;
      files = prev.files;
    } else {
      forget(key);
      try {
        loc = locateOwn(pid);
      } catch (ProcessGoneException e) {
        return new TelemetrySample(wall, pid, true, null, null, null);
      }
      files = new OpenFileCache();
    }
    boolean same = prev != null && prev.pid == pid;
    boolean fullRead = !same || prev.full == null || now - prev.fullNanos >= FULL_READ_EVERY_NS;
    CgroupReader.Skip skip =
        fullRead ? CgroupReader.Skip.NONE : skip(prev.full, prev.last, now - prev.eventsMoved);
    CgroupStats stats = CgroupReader.read(loc, false, !fullRead, skip, files);
    CgroupStats full = fullRead ? stats : prev.full;
    if (!fullRead) {
      stats = withSlowParts(stats, full);
    }
    if (skip.any()) {
      stats = withEventsKept(stats, prev.last);
    }
    // A new container starts from its full reading, not as if its counters had just moved.
    long eventsMoved =
        !same ? now - EVENTS_HOT_NS : eventsMoved(prev.last, stats) ? now : prev.eventsMoved;
    Long usage = stats.cpu() == null ? null : stats.cpu().usageNs();
    Long intervalMs = null;
    Double pct = null;
    if (same) {
      long dt = now - prev.nanos;
      intervalMs = dt / 1_000_000;
      if (usage != null && prev.usageNs != null && dt > 0) {
        pct = Math.max(0, usage - prev.usageNs) * 100.0 / dt;
        pct = Math.round(pct * 100) / 100.0;
      }
    }
    states.put(
        key,
        new State(
            pid,
            loc,
            files,
            usage,
            now,
            full,
            fullRead ? now : prev.fullNanos,
            stats,
            eventsMoved));
    return new TelemetrySample(wall, pid, false, intervalMs, pct, stats);
  }

  /**
   * Which event counters a tick between full readings leaves out. An event counter moves only at a
   * limit: {@code failcnt}, a v1 OOM and {@code under_oom} at the memory limit, v2's {@code high}
   * above {@code memory.high}, {@code pids.events} at {@code pids.max}, v1's throttling only under
   * a CPU quota. So they are read every tick while the previous tick's usage is within a tenth of
   * its limit, under a quota, or for a second after one of them moved; otherwise once a second with
   * the limits (five files of a v1 group's ten). What that misses until the next full reading (at
   * most a second): a spike from far below the limit to it and back within a tick, and an OOM kill
   * of the machine's own OOM killer (no limit of the group's) in a group far from its limit.
   */
  static CgroupReader.Skip skip(CgroupStats full, CgroupStats last, long sinceEventsMoved) {
    if (sinceEventsMoved < EVENTS_HOT_NS || last == null) {
      return CgroupReader.Skip.NONE;
    }
    boolean throttling = full.cpu() == null || full.cpu().quotaUs() == null;
    CgroupStats.Memory m = last.memory();
    boolean memory =
        m == null
            || !(near(m.usageBytes(), m.limitBytes())
                || (m.highEvents() != null && near(m.usageBytes(), m.softLimitBytes())));
    CgroupStats.Pids p = last.pids();
    boolean pids = p == null || !near(p.current(), p.max());
    return new CgroupReader.Skip(throttling, memory, pids);
  }

  private static boolean near(Long value, Long limit) {
    return value != null && limit != null && value >= limit - limit / 10;
  }

  /** Whether an event counter differs between two readings of one group. */
  private static boolean eventsMoved(CgroupStats before, CgroupStats now) {
    if (before == null) {
      return true;
    }
    CgroupStats.Memory a = before.memory();
    CgroupStats.Memory b = now.memory();
    if ((a == null) != (b == null)) {
      return true;
    }
    if (a != null
        && !(Objects.equals(a.failcnt(), b.failcnt())
            && Objects.equals(a.oomKills(), b.oomKills())
            && Objects.equals(a.oomEvents(), b.oomEvents())
            && Objects.equals(a.underOom(), b.underOom())
            && Objects.equals(a.highEvents(), b.highEvents()))) {
      return true;
    }
    CgroupStats.Pids p = before.pids();
    CgroupStats.Pids q = now.pids();
    return (p == null) != (q == null) || (p != null && !Objects.equals(p.rejected(), q.rejected()));
  }

  /** A tick's reading with the event counters it left out (null) taken from the previous one. */
  static CgroupStats withEventsKept(CgroupStats tick, CgroupStats last) {
    CgroupStats.Cpu c = tick.cpu();
    CgroupStats.Cpu lc = last.cpu();
    if (c != null && lc != null && c.periods() == null && c.throttledPeriods() == null) {
      c =
          new CgroupStats.Cpu(
              c.usageNs(),
              c.userNs(),
              c.systemNs(),
              lc.periods(),
              lc.throttledPeriods(),
              lc.throttledNs(),
              c.quotaUs(),
              c.periodUs(),
              c.shares(),
              c.weight());
    }
    CgroupStats.Memory m = tick.memory();
    CgroupStats.Memory lm = last.memory();
    if (m != null && lm != null) {
      m =
          new CgroupStats.Memory(
              m.usageBytes(),
              m.limitBytes(),
              m.peakBytes(),
              m.swapBytes(),
              m.swapLimitBytes(),
              or(m.failcnt(), lm.failcnt()),
              or(m.oomKills(), lm.oomKills()),
              or(m.oomEvents(), lm.oomEvents()),
              m.softLimitBytes(),
              m.swappiness(),
              or(m.oomKillDisabled(), lm.oomKillDisabled()),
              or(m.underOom(), lm.underOom()),
              m.oomGroup(),
              or(m.highEvents(), lm.highEvents()),
              m.kernelBytes());
    }
    CgroupStats.Pids p = tick.pids();
    CgroupStats.Pids lp = last.pids();
    if (p != null && lp != null) {
      p = new CgroupStats.Pids(p.current(), p.max(), or(p.rejected(), lp.rejected()));
    }
    return new CgroupStats(tick.version(), c, m, p, tick.pressure());
  }

  private static <T> T or(T value, T kept) {
    return value != null ? value : kept;
  }

  /** A usage-only reading completed with the limits, weights and PSI of the last full one. */
  static CgroupStats withSlowParts(CgroupStats tick, CgroupStats full) {
    CgroupStats.Cpu c = tick.cpu();
    CgroupStats.Cpu fc = full.cpu();
    if (c != null && fc != null) {
      c =
          new CgroupStats.Cpu(
              c.usageNs(),
              fc.userNs(),
              fc.systemNs(),
              c.periods(),
              c.throttledPeriods(),
              c.throttledNs(),
              fc.quotaUs(),
              fc.periodUs(),
              fc.shares(),
              fc.weight());
    }
    CgroupStats.Memory m = tick.memory();
    CgroupStats.Memory fm = full.memory();
    if (m != null && fm != null) {
      m =
          new CgroupStats.Memory(
              m.usageBytes(),
              fm.limitBytes(),
              m.peakBytes(),
              m.swapBytes(),
              fm.swapLimitBytes(),
              m.failcnt(),
              m.oomKills(),
              m.oomEvents(),
              fm.softLimitBytes(),
              fm.swappiness(),
              m.oomKillDisabled(),
              m.underOom(),
              fm.oomGroup(),
              m.highEvents(),
              m.kernelBytes() != null ? m.kernelBytes() : fm.kernelBytes());
    }
    CgroupStats.Pids p = tick.pids();
    CgroupStats.Pids fp = full.pids();
    if (p != null && fp != null) {
      p = new CgroupStats.Pids(p.current(), fp.max(), p.rejected());
    }
    return new CgroupStats(full.version(), c, m, p, full.pressure());
  }

  /** Forgets a container (removed): its remembered location and usage. */
  public synchronized void forget(String key) {
    State s = states.remove(key);
    if (s != null) {
      s.files.close();
    }
  }

  /** Forgets every container not in {@code keys} (those removed since the last tick). */
  public synchronized void retainOnly(java.util.Collection<String> keys) {
    for (String k : List.copyOf(states.keySet())) {
      if (!keys.contains(k)) {
        forget(k);
      }
    }
  }

  /** Releases every held descriptor. */
  @Override
  public void close() {
    retainOnly(List.of());
  }

  /**
   * The cgroups that are a container's own: {@link #locate} without the groups it merely shares
   * with the helper, and without its tracking cgroup ({@link CgroupDriver#track}). A container
   * started without a cgroup level (00–07) stays in the helper's groups — often a hierarchy's root,
   * i.e. the whole machine — and reporting those as its usage would be false; such a container has
   * no cgroup figures at all.
   */
  public CgroupLocation locateOwn(long pid) throws ProcessGoneException {
    return own(locate(pid));
  }

  /** The part of {@code loc} (a process's {@link #locate}) that {@link #locateOwn} keeps. */
  public CgroupLocation own(CgroupLocation loc) {
    CgroupLocation helper = helperCgroups;
    if (helper == null) {
      try {
        helper = locate(fs.selfPid());
      } catch (ProcessGoneException e) {
        helper = new CgroupLocation(Map.of(), null, null);
      }
      helperCgroups = helper;
    }
    Map<String, java.nio.file.Path> own = new java.util.LinkedHashMap<>();
    for (var e : loc.v1().entrySet()) {
      if (!e.getValue().equals(helper.v1().get(e.getKey()))) {
        own.put(e.getKey(), e.getValue());
      }
    }
    // A tracking cgroup (levels 00–05: it only lets removal find every process) is not the
    // container's own either: no controller, no limit, and its figures would show a level the
    // isolation it does not have.
    boolean notOwnV2 =
        loc.v2() != null && (loc.v2().equals(helper.v2()) || CgroupDriver.isTracking(loc.v2Path()));
    return new CgroupLocation(own, notOwnV2 ? null : loc.v2(), notOwnV2 ? null : loc.v2Path());
  }

  /** Where the cgroups of {@code pid} are, from its {@code /proc/PID/cgroup}. */
  public CgroupLocation locate(long pid) throws ProcessGoneException {
    List<CgroupMembership> m = CgroupMembership.parse(fs.readPidFile(pid, "cgroup"));
    CgroupMounts mounts = cgroupMounts;
    if (mounts == null) {
      // The hierarchies are mounted once at boot; reading the helper's own table once is enough.
      mounts = CgroupMounts.parse(fs.readProcFile("self/mountinfo").orElse(""));
      cgroupMounts = mounts;
    }
    return CgroupLocation.resolve(fs, m, mounts);
  }
}
