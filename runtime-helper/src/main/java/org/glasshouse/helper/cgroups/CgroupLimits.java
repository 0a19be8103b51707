package org.glasshouse.helper.cgroups;

import org.glasshouse.protocol.Limits;

/** Validation of {@link Limits} and the v1 ↔ v2 conversions, as runc and crun do them. */
public final class CgroupLimits {

  /** The CFS period used with a CPU quota, in microseconds (docker's default). */
  public static final long CPU_PERIOD_US = 100_000;

  private CgroupLimits() {}

  /**
   * Checks every field; the message names the field and the allowed range.
   *
   * @throws IllegalArgumentException for a value no kernel would take
   */
  public static Limits validate(Limits l) {
    if (l == null) {
      return Limits.NONE;
    }
    if (l.memoryBytes() != null && l.memoryBytes() < 4L * 1024 * 1024) {
      throw new IllegalArgumentException(
          "memory limit " + l.memoryBytes() + " bytes is too small: at least 4m");
    }
    if (l.memorySwapBytes() != null) {
      if (l.memoryBytes() == null) {
        throw new IllegalArgumentException("a memory+swap limit needs a memory limit too");
      }
      if (l.memorySwapBytes() < l.memoryBytes()) {
        throw new IllegalArgumentException(
            "memory+swap limit "
                + l.memorySwapBytes()
                + " must be at least the memory limit "
                + l.memoryBytes());
      }
    }
    if (l.cpuShares() != null && (l.cpuShares() < 2 || l.cpuShares() > 262_144)) {
      throw new IllegalArgumentException(
          "cpu shares " + l.cpuShares() + " out of range: 2..262144 (default 1024)");
    }
    if (l.cpus() != null && !(l.cpus() >= 0.01 && l.cpus() <= 1024)) {
      throw new IllegalArgumentException("cpus " + l.cpus() + " out of range: 0.01..1024");
    }
    if (l.pidsMax() != null && l.pidsMax() < 1) {
      throw new IllegalArgumentException("pids limit " + l.pidsMax() + " must be at least 1");
    }
    if (l.memorySoftBytes() != null
        && l.memoryBytes() != null
        && l.memorySoftBytes() > l.memoryBytes()) {
      throw new IllegalArgumentException(
          "soft limit "
              + l.memorySoftBytes()
              + " is above the memory limit "
              + l.memoryBytes()
              + ": the hard limit would always act first");
    }
    if (l.memorySwappiness() != null && (l.memorySwappiness() < 0 || l.memorySwappiness() > 100)) {
      throw new IllegalArgumentException(
          "swappiness " + l.memorySwappiness() + " out of range: 0..100");
    }
    if (Boolean.TRUE.equals(l.oomKillDisable()) && l.memoryBytes() == null) {
      throw new IllegalArgumentException(
          "disabling the OOM killer needs a memory limit: without one the group never reaches it");
    }
    if (l.kernelMemoryBytes() != null && l.kernelMemoryBytes() < 4L * 1024 * 1024) {
      throw new IllegalArgumentException(
          "kernel memory limit " + l.kernelMemoryBytes() + " bytes is too small: at least 4m");
    }
    return l;
  }

  /** v2 {@code cpu.weight} from v1 shares: {@code 1 + ((shares − 2) × 9999) / 262142}. */
  public static long sharesToWeight(long shares) {
    return 1 + ((shares - 2) * 9999) / 262142;
  }

  /** CFS quota in microseconds per {@link #CPU_PERIOD_US} for a number of CPUs. */
  public static long quotaMicros(double cpus) {
    return Math.max(1000, Math.round(cpus * CPU_PERIOD_US));
  }
}
