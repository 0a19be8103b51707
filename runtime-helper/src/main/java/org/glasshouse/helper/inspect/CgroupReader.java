package org.glasshouse.helper.inspect;

import java.util.Map;
import org.glasshouse.protocol.inspect.CgroupStats;

/**
 * Reads one cgroup's files. Two implementations, {@link CgroupV1Reader} and {@link CgroupV2Reader},
 * map their hierarchy's files onto the one {@link CgroupStats} model; each part is null when this
 * hierarchy does not hold that controller for the group.
 */
public interface CgroupReader {

  /** CPU usage and throttling, or null. */
  CgroupStats.Cpu cpu();

  /** Memory usage and limits, or null. */
  CgroupStats.Memory memory();

  /** Task count and limit, or null. */
  CgroupStats.Pids pids();

  /** PSI per resource; empty when the kernel provides none here. */
  Map<String, CgroupStats.Pressure> pressure();

  /**
   * Reads a process's cgroups wherever they are: v1 controllers from their hierarchies, anything
   * missing from the unified one. On a hybrid host the unified path of a container is usually the
   * root, whose pressure is the whole machine's; that is shown only when {@code host} is set, so a
   * container is never credited with the host's stalls.
   */
  static CgroupStats read(CgroupLocation loc, boolean host) {
    return read(loc, host, false, FileSource.DIRECT);
  }

  /**
   * As {@link #read(CgroupLocation, boolean)}; with {@code usageOnly} the limits, shares/weight,
   * the user/system split and PSI are left null (see {@link TelemetrySampler}).
   */
  static CgroupStats read(CgroupLocation loc, boolean host, boolean usageOnly, FileSource files) {
    return read(loc, host, usageOnly, Skip.NONE, files);
  }

  /**
   * As {@link #read(CgroupLocation, boolean, boolean, FileSource)}, leaving out the event counters
   * {@code skip} names (null in the result; see {@link TelemetrySampler}).
   */
  static CgroupStats read(
      CgroupLocation loc, boolean host, boolean usageOnly, Skip skip, FileSource files) {
    CgroupReader v1 =
        loc.v1().isEmpty()
            ? null
            : new CgroupV1Reader(
                loc.v1().get("cpu"),
                loc.v1().get("cpuacct"),
                loc.v1().get("memory"),
                loc.v1().get("pids"),
                usageOnly,
                skip,
                files);
    boolean useV2 = loc.v2() != null && (host || loc.v1().isEmpty() || !"/".equals(loc.v2Path()));
    CgroupReader v2 = useV2 ? new CgroupV2Reader(loc.v2(), usageOnly, skip, files) : null;
    boolean[] used = new boolean[2];
    CgroupStats.Cpu cpu = first(v1 == null ? null : v1.cpu(), used, 0);
    if (cpu == null && v2 != null) {
      cpu = first(v2.cpu(), used, 1);
    }
    CgroupStats.Memory mem = first(v1 == null ? null : v1.memory(), used, 0);
    if (mem == null && v2 != null) {
      mem = first(v2.memory(), used, 1);
    }
    CgroupStats.Pids pids = first(v1 == null ? null : v1.pids(), used, 0);
    if (pids == null && v2 != null) {
      pids = first(v2.pids(), used, 1);
    }
    Map<String, CgroupStats.Pressure> psi = v2 == null ? Map.of() : v2.pressure();
    if (!psi.isEmpty()) {
      used[1] = true;
    }
    String version = used[0] && used[1] ? "hybrid" : used[1] ? "v2" : "v1";
    return new CgroupStats(version, cpu, mem, pids, psi.isEmpty() ? null : psi);
  }

  /**
   * Event counters a telemetry tick may leave out, each read again when near its limit or once a
   * second ({@link TelemetrySampler}): the throttling counters of v1's {@code cpu.stat} (v2's holds
   * the usage too, so it is always read), {@code failcnt}, {@code memory.oom_control} / {@code
   * memory.events}, and {@code pids.events}.
   *
   * @param throttling v1 {@code cpu.stat} (only when {@code cpuacct.usage} gives the usage)
   * @param memoryEvents v1 {@code memory.failcnt} and {@code memory.oom_control}, v2 {@code
   *     memory.events}
   * @param pidsEvents {@code pids.events}
   */
  record Skip(boolean throttling, boolean memoryEvents, boolean pidsEvents) {
    /** Read everything. */
    static final Skip NONE = new Skip(false, false, false);

    boolean any() {
      return throttling || memoryEvents || pidsEvents;
    }
  }

  private static <T> T first(T value, boolean[] used, int which) {
    if (value != null) {
      used[which] = true;
    }
    return value;
  }
}
