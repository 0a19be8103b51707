package org.glasshouse.app.cgroups;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.TelemetrySample;

/**
 * Ten minutes of one container's telemetry: a ring of readings (time plus one column per {@link
 * Metric#SERIES}), the latest reading, and the counters' increases as {@link CgroupEvent}s. Turns a
 * {@link TelemetrySample} into chartable numbers: CPU % into cores, the throttled-time counter into
 * milliseconds per second. Not thread-safe: the FX thread owns it.
 */
public final class ContainerHistory {
  /** Ten minutes at 10 Hz, and some slack for a helper that samples a little faster. */
  static final int CAPACITY = 6_400;

  /** How far back the history reaches. */
  public static final long SPAN_MS = 10 * 60_000L;

  private final String id;
  // Allocated with the first reading that has numbers: a container without a cgroup of its own
  // (levels 00-07) costs nothing here.
  private long[] times;
  private double[][] columns;
  private final boolean[] present = new boolean[Metric.SERIES.size()];
  private final Deque<CgroupEvent> events = new ArrayDeque<>();
  private int head;
  private int size;
  private CgroupReading latest;
  private Long lastThrottledNs;
  private long lastTimeMs;
  private Long lastOom;
  private Long lastFailcnt;
  private Long lastRejected;
  private boolean live = true;

  ContainerHistory(String id) {
    this(id, false);
  }

  /**
   * @param countsFromZero the container's cgroup was made with it while the app watched (the app
   *     ran it): its counters began at zero, so what its first reading counts happened since the
   *     start and is marked too. An OOM kill before the first 10 Hz reading (a late subscription on
   *     a loaded machine, a hog that dies at once) would otherwise be in the legend's count but
   *     never on the time axis. For a container found running (adopted), the count may be an hour
   *     old: it only sets the baseline.
   */
  ContainerHistory(String id, boolean countsFromZero) {
    this.id = id;
    if (countsFromZero) {
      lastOom = 0L;
      lastFailcnt = 0L;
      lastRejected = 0L;
    }
  }

  public String id() {
    return id;
  }

  /** The latest reading, or null before the first. */
  public CgroupReading latest() {
    return latest;
  }

  /** Whether the container still runs, as far as the samples tell. */
  public boolean live() {
    return live;
  }

  public int size() {
    return size;
  }

  /** Time of the oldest reading kept (epoch ms), or 0 before the first. */
  public long firstTimeMs() {
    return size == 0 ? 0 : times[index(0)];
  }

  /** Time of the newest reading (epoch ms), or 0 before the first. */
  public long lastTimeMs() {
    return size == 0 ? 0 : times[index(size - 1)];
  }

  /** Counter increases of the last ten minutes, oldest first. */
  public List<CgroupEvent> events() {
    return List.copyOf(events);
  }

  /** Adds a reading. A sample of a process that is gone only marks the container as not live. */
  void add(TelemetrySample s) {
    if (s.gone()) {
      live = false;
      return;
    }
    live = true;
    CgroupStats st = s.cgroup();
    long t = s.timeMs();
    if (st == null || (size > 0 && t <= lastTimeMs())) {
      return;
    }
    Map<Metric, Double> v = new EnumMap<>(Metric.class);
    double seconds =
        s.intervalMs() != null && s.intervalMs() > 0
            ? s.intervalMs() / 1000.0
            : (lastTimeMs == 0 ? 0 : (t - lastTimeMs) / 1000.0);
    CgroupStats.Cpu cpu = st.cpu();
    if (cpu != null) {
      if (s.cpuPercent() != null) {
        v.put(Metric.CPU_USED, s.cpuPercent() / 100.0);
      }
      if (cpu.throttledNs() != null) {
        if (lastThrottledNs != null && seconds > 0) {
          double ms = Math.max(0, cpu.throttledNs() - lastThrottledNs) / 1e6;
          v.put(Metric.CPU_THROTTLED, ms / seconds);
        }
        lastThrottledNs = cpu.throttledNs();
      }
      if (cpu.quotaUs() != null && cpu.periodUs() != null && cpu.periodUs() > 0) {
        v.put(Metric.CPU_QUOTA, cpu.quotaUs() / (double) cpu.periodUs());
      }
      put(v, Metric.CPU_SHARES, cpu.shares());
      put(v, Metric.CPU_WEIGHT, cpu.weight());
    }
    CgroupStats.Memory mem = st.memory();
    if (mem != null) {
      put(v, Metric.MEMORY_USED, mem.usageBytes());
      put(v, Metric.MEMORY_SWAP, mem.swapBytes());
      put(v, Metric.MEMORY_LIMIT, mem.limitBytes());
      put(v, Metric.SWAP_LIMIT, mem.swapLimitBytes());
      put(v, Metric.MEMORY_PEAK, mem.peakBytes());
      put(v, Metric.MEMORY_FAILCNT, mem.failcnt());
      put(v, Metric.OOM_KILLS, mem.oomKills());
      lastFailcnt = counter(t, Metric.MEMORY_FAILCNT, lastFailcnt, mem.failcnt());
      lastOom = counter(t, Metric.OOM_KILLS, lastOom, mem.oomKills());
    }
    CgroupStats.Pids pids = st.pids();
    if (pids != null) {
      put(v, Metric.PIDS_CURRENT, pids.current());
      put(v, Metric.PIDS_MAX, pids.max());
      put(v, Metric.PIDS_REJECTED, pids.rejected());
      lastRejected = counter(t, Metric.PIDS_REJECTED, lastRejected, pids.rejected());
    }
    Map<String, CgroupStats.Pressure> psi = st.pressure();
    if (psi != null) {
      pressure(v, Metric.PSI_CPU, psi.get("cpu"));
      pressure(v, Metric.PSI_MEMORY, psi.get("memory"));
      pressure(v, Metric.PSI_IO, psi.get("io"));
    }
    lastTimeMs = t;
    latest = new CgroupReading(id, t, st.version(), v);
    append(t, v);
  }

  /**
   * The container's process ended. When the helper says the OOM killer ended it and no reading saw
   * the kill (the group is read every 100 ms; the last reading can come before the kill), the kill
   * is marked at {@code timeMs}.
   */
  void exited(long timeMs, boolean oomKilled) {
    live = false;
    if (!oomKilled) {
      return;
    }
    for (CgroupEvent e : events) {
      if (e.counter() == Metric.OOM_KILLS && timeMs - e.timeMs() < 5_000) {
        return;
      }
    }
    long total = lastOom == null ? 1 : lastOom + 1;
    lastOom = total;
    events.addLast(
        new CgroupEvent(id, Math.max(timeMs, lastTimeMs()), Metric.OOM_KILLS, 1, total, true));
    if (latest != null) {
      // The legend's count agrees with the marker.
      Map<Metric, Double> v = new EnumMap<>(Metric.class);
      v.putAll(latest.values());
      v.put(Metric.OOM_KILLS, (double) total);
      latest = new CgroupReading(id, latest.timeMs(), latest.version(), v);
    }
  }

  /**
   * Sets a derived column of the newest reading (the share by weight is computed across
   * containers).
   */
  void setLatest(Metric m, double value) {
    if (size > 0) {
      columns[m.column()][index(size - 1)] = value;
      present[m.column()] = true;
    }
  }

  /** Whether any reading had a value of {@code m} (v1 never has pressure, for one). */
  public boolean has(Metric m) {
    int c = m.column();
    return c >= 0 && present[c];
  }

  /**
   * How many readings {@link #copy} would look at for [fromMs, toMs]: an upper bound of the points
   * it writes.
   */
  public int span(long fromMs, long toMs) {
    return upperBound(toMs) - Math.max(0, lowerBound(fromMs) - 1);
  }

  /**
   * Copies the readings of {@code m} between {@code fromMs} and {@code toMs} (plus one before, so
   * the line enters the window from its edge) into {@code xs}/{@code ys}, x as seconds relative to
   * {@code endMs}; absent values are skipped. Returns how many points were written (at most the
   * arrays' length: the newest win).
   */
  public int copy(Metric m, long fromMs, long toMs, long endMs, double[] xs, double[] ys) {
    int col = m.column();
    int first = Math.max(0, lowerBound(fromMs) - 1);
    int last = upperBound(toMs);
    int n = 0;
    int skip = Math.max(0, (last - first) - xs.length);
    for (int i = first + skip; i < last; i++) {
      int k = index(i);
      double y = columns[col][k];
      if (Double.isNaN(y)) {
        continue;
      }
      xs[n] = (times[k] - endMs) / 1000.0;
      ys[n] = y;
      n++;
    }
    return n;
  }

  /** Mean of {@code m} over readings in [fromMs, toMs], NaN when there are none. */
  public double mean(Metric m, long fromMs, long toMs) {
    int col = m.column();
    double sum = 0;
    int n = 0;
    for (int i = lowerBound(fromMs); i < upperBound(toMs); i++) {
      double y = columns[col][index(i)];
      if (!Double.isNaN(y)) {
        sum += y;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** The largest value of {@code m} in [fromMs, toMs], NaN when there is none. */
  public double max(Metric m, long fromMs, long toMs) {
    int col = m.column();
    double max = Double.NaN;
    for (int i = Math.max(0, lowerBound(fromMs) - 1); i < upperBound(toMs); i++) {
      double y = columns[col][index(i)];
      if (!Double.isNaN(y) && !(y <= max)) {
        max = y;
      }
    }
    return max;
  }

  private Long counter(long t, Metric m, Long before, Long now) {
    if (now == null) {
      return before;
    }
    if (before != null && now > before) {
      events.addLast(new CgroupEvent(id, t, m, now - before, now, false));
      while (!events.isEmpty() && t - events.peekFirst().timeMs() > SPAN_MS) {
        events.removeFirst();
      }
    }
    return before == null ? now : Math.max(before, now);
  }

  private void append(long t, Map<Metric, Double> v) {
    if (times == null) {
      times = new long[CAPACITY];
      columns = new double[Metric.SERIES.size()][CAPACITY];
    }
    int k;
    if (size == CAPACITY) {
      // Full: the oldest reading makes room.
      k = head;
      head = (head + 1) % CAPACITY;
    } else {
      k = (head + size) % CAPACITY;
      size++;
    }
    times[k] = t;
    for (int c = 0; c < columns.length; c++) {
      Double y = v.get(Metric.SERIES.get(c));
      columns[c][k] = y == null ? Double.NaN : y;
      present[c] |= y != null;
    }
  }

  private int index(int i) {
    return (head + i) % CAPACITY;
  }

  /** The first logical index whose time is ≥ t. */
  private int lowerBound(long t) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (times[index(mid)] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first logical index whose time is > t. */
  private int upperBound(long t) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (times[index(mid)] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static void put(Map<Metric, Double> v, Metric m, Long value) {
    if (value != null) {
      v.put(m, value.doubleValue());
    }
  }

  private static void pressure(Map<Metric, Double> v, Metric m, CgroupStats.Pressure p) {
    if (p != null && p.some() != null) {
      v.put(m, p.some().avg10());
    }
  }

  /** For tests: the values of {@code m} in the history, oldest first, absent ones skipped. */
  double[] values(Metric m) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      double y = columns[m.column()][index(i)];
      if (!Double.isNaN(y)) {
        out.add(y);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Override
  public String toString() {
    return id + " " + size + " readings, events " + Arrays.toString(events.toArray());
  }
}
