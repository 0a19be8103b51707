package org.glasshouse.app.cgroups;

import java.util.List;

/**
 * Every number the charts show, with the cgroup files it comes from on each cgroup version, so a
 * student can learn both (v1 spreads a group over one directory per controller, v2 has one
 * directory and other file names). The file names are the kernel's, not ours.
 */
public enum Metric {
  CPU_USED(
      Resource.CPU,
      Kind.SERIES,
      Unit.CORES,
      "CPU used",
      "cpuacct.usage (ns, per second of wall time; the chart draws the mean of each second)",
      "cpu.stat usage_usec (per second of wall time; the chart draws the mean of each second)"),
  CPU_THROTTLED(
      Resource.CPU,
      Kind.SERIES,
      Unit.MS_PER_S,
      "throttled",
      "cpu.stat throttled_time (ns, per second)",
      "cpu.stat throttled_usec (per second)"),
  CPU_FAIR_SHARE(
      Resource.CPU,
      Kind.SERIES,
      Unit.CORES,
      "share by weight",
      "cpu.shares ÷ the sum over the busy containers × their CPU used",
      "cpu.weight ÷ the sum over the busy containers × their CPU used"),
  CPU_QUOTA(
      Resource.CPU,
      Kind.LIMIT,
      Unit.CORES,
      "quota",
      "cpu.cfs_quota_us ÷ cpu.cfs_period_us",
      "cpu.max (quota period)"),
  CPU_SHARES(Resource.CPU, Kind.LIMIT, Unit.WEIGHT, "shares", "cpu.shares", null),
  CPU_WEIGHT(Resource.CPU, Kind.LIMIT, Unit.WEIGHT, "weight", null, "cpu.weight"),
  MEMORY_USED(
      Resource.MEMORY,
      Kind.SERIES,
      Unit.BYTES,
      "memory used",
      "memory.usage_in_bytes",
      "memory.current"),
  MEMORY_SWAP(
      Resource.MEMORY,
      Kind.SERIES,
      Unit.BYTES,
      "swap used",
      "memory.memsw.usage_in_bytes − memory.usage_in_bytes",
      "memory.swap.current"),
  MEMORY_LIMIT(
      Resource.MEMORY,
      Kind.LIMIT,
      Unit.BYTES,
      "memory limit",
      "memory.limit_in_bytes",
      "memory.max"),
  SWAP_LIMIT(
      Resource.MEMORY,
      Kind.LIMIT,
      Unit.BYTES,
      "swap limit",
      "memory.memsw.limit_in_bytes (memory + swap together)",
      "memory.swap.max (swap alone)",
      "mem+swap limit"),
  MEMORY_PEAK(
      Resource.MEMORY,
      Kind.COUNTER,
      Unit.BYTES,
      "peak",
      "memory.max_usage_in_bytes",
      "memory.peak"),
  MEMORY_FAILCNT(
      Resource.MEMORY,
      Kind.COUNTER,
      Unit.COUNT,
      "limit hit",
      "memory.failcnt",
      "memory.events max"),
  OOM_KILLS(
      Resource.MEMORY,
      Kind.COUNTER,
      Unit.COUNT,
      "OOM kills",
      "memory.oom_control oom_kill",
      "memory.events oom_kill"),
  PIDS_CURRENT(Resource.PIDS, Kind.SERIES, Unit.TASKS, "tasks", "pids.current", "pids.current"),
  PIDS_MAX(Resource.PIDS, Kind.LIMIT, Unit.TASKS, "pids max", "pids.max", "pids.max"),
  PIDS_REJECTED(
      Resource.PIDS,
      Kind.COUNTER,
      Unit.COUNT,
      "forks rejected",
      "pids.events max",
      "pids.events max"),
  PSI_CPU(
      Resource.PRESSURE,
      Kind.SERIES,
      Unit.PERCENT,
      "CPU pressure",
      null,
      "cpu.pressure some avg10"),
  PSI_MEMORY(
      Resource.PRESSURE,
      Kind.SERIES,
      Unit.PERCENT,
      "memory pressure",
      null,
      "memory.pressure some avg10"),
  PSI_IO(
      Resource.PRESSURE, Kind.SERIES, Unit.PERCENT, "IO pressure", null, "io.pressure some avg10");

  /** How a metric is shown. */
  public enum Kind {
    /** A line over time. */
    SERIES,
    /** A reference line: a limit or a weight, set when the container started. */
    LIMIT,
    /** A number that only grows; its increases become markers on the time axis. */
    COUNTER
  }

  private final Resource resource;
  private final Kind kind;
  private final Unit unit;
  private final String label;
  private final String v1;
  private final String v2;
  private final String v1Label;

  Metric(Resource resource, Kind kind, Unit unit, String label, String v1, String v2) {
    this(resource, kind, unit, label, v1, v2, label);
  }

  /**
   * As above; {@code v1Label}: the words where v1's file measures something else than v2's (v1's
   * memory.memsw.limit_in_bytes is memory and swap together, v2's memory.swap.max swap alone).
   */
  Metric(
      Resource resource, Kind kind, Unit unit, String label, String v1, String v2, String v1Label) {
    this.resource = resource;
    this.kind = kind;
    this.unit = unit;
    this.label = label;
    this.v1 = v1;
    this.v2 = v2;
    this.v1Label = v1Label;
  }

  public Resource resource() {
    return resource;
  }

  public Kind kind() {
    return kind;
  }

  public Unit unit() {
    return unit;
  }

  /** A few words for people ("memory used"). */
  public String label() {
    return label;
  }

  /**
   * The words for a number read from a group of this cgroup {@code version} ("v1", "v2", "hybrid";
   * null when not known): a mem+swap limit of 32 MiB on v1 is the same run's swap limit of 0 B on
   * v2, and "swap limit 32.0 MiB" on v1 told a student the container could swap 32 MiB. In a hybrid
   * hierarchy the memory controller is v1's.
   */
  public String label(String version) {
    return version == null || version.equals("v2") ? label : v1Label;
  }

  /** The file(s) behind the number on cgroup v1, or null when v1 has none. */
  public String v1File() {
    return v1;
  }

  /** The file(s) behind the number on cgroup v2, or null when v2 has none. */
  public String v2File() {
    return v2;
  }

  /** The metrics drawn as lines over time, in the order of the history's columns. */
  public static final List<Metric> SERIES =
      List.of(
          CPU_USED,
          CPU_THROTTLED,
          CPU_FAIR_SHARE,
          MEMORY_USED,
          MEMORY_SWAP,
          PIDS_CURRENT,
          PSI_CPU,
          PSI_MEMORY,
          PSI_IO);

  /** This metric's column in a history, or -1 when it is not a series. */
  int column() {
    return SERIES.indexOf(this);
  }
}
