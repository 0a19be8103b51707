package org.glasshouse.app.cgroups;

/**
 * The unit a number is kept in. The model keeps absolute units (bytes, cores, tasks); only the view
 * turns them into text ({@link org.glasshouse.app.core.Units}, through {@link AxisScale}).
 */
public enum Unit {
  /** CPU time per wall time: 1.0 = one core busy. */
  CORES,
  /** Milliseconds throttled per second of wall time. */
  MS_PER_S,
  BYTES,
  TASKS,
  /** A relative weight without dimension (cpu.shares, cpu.weight). */
  WEIGHT,
  /** Share of wall time, 0–100. */
  PERCENT,
  /** How many times something happened since the cgroup was made. */
  COUNT
}
