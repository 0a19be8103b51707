package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A cgroup's usage and limits in absolute units, the same model for v1 and v2. A null field means
 * the kernel does not provide it here (controller not mounted, file absent); a null limit means no
 * limit ({@code max}, or v1's huge "unlimited" number).
 *
 * @param version which hierarchy supplied the controllers: "v1", "v2" or "hybrid" (v1 controllers,
 *     pressure from the unified hierarchy)
 * @param cpu CPU usage and throttling
 * @param memory memory usage and limits
 * @param pids task count and limit
 * @param pressure PSI per resource ("cpu", "memory", "io") where the kernel provides it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CgroupStats(
    String version, Cpu cpu, Memory memory, Pids pids, Map<String, Pressure> pressure) {

  /**
   * CPU accounting.
   *
   * @param usageNs total CPU time used
   * @param userNs of which in user mode
   * @param systemNs of which in kernel mode
   * @param periods enforcement periods elapsed (nr_periods)
   * @param throttledPeriods periods in which the group was throttled (nr_throttled)
   * @param throttledNs total time throttled
   * @param quotaUs CFS quota per period, null when unlimited
   * @param periodUs CFS period
   * @param shares v1 cpu.shares
   * @param weight v2 cpu.weight
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Cpu(
      Long usageNs,
      Long userNs,
      Long systemNs,
      Long periods,
      Long throttledPeriods,
      Long throttledNs,
      Long quotaUs,
      Long periodUs,
      Long shares,
      Long weight) {}

  /**
   * Memory accounting.
   *
   * @param usageBytes current usage
   * @param limitBytes hard limit, null when unlimited
   * @param peakBytes highest usage seen (v1 max_usage_in_bytes, v2 memory.peak)
   * @param swapBytes swap in use (v1 memsw − usage, v2 memory.swap.current)
   * @param swapLimitBytes v1: the memory+swap limit; v2: the swap-only limit; null when unlimited
   * @param failcnt times the limit was hit (v1 failcnt, v2 memory.events max)
   * @param oomKills processes killed by the OOM killer in this group
   * @param oomEvents times the group hit OOM (v2 memory.events oom; v1 under_oom is a state, not a
   *     count, so null there)
   * @param softLimitBytes v1 memory.soft_limit_in_bytes, v2 memory.high; null when unlimited
   * @param swappiness v1 memory.swappiness (v2: null)
   * @param oomKillDisabled v1 memory.oom_control oom_kill_disable (v2: null)
   * @param underOom v1 memory.oom_control under_oom: the group is at its limit with the OOM killer
   *     off, its processes waiting for memory (v2: null)
   * @param oomGroup v2 memory.oom.group (v1: null)
   * @param highEvents v2 memory.events high: times the group went above memory.high (v1: null)
   * @param kernelBytes kernel memory charged to the group (v1 memory.kmem.usage_in_bytes, v2
   *     memory.stat kernel)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Memory(
      Long usageBytes,
      Long limitBytes,
      Long peakBytes,
      Long swapBytes,
      Long swapLimitBytes,
      Long failcnt,
      Long oomKills,
      Long oomEvents,
      Long softLimitBytes,
      Long swappiness,
      Boolean oomKillDisabled,
      Boolean underOom,
      Boolean oomGroup,
      Long highEvents,
      Long kernelBytes) {

    /** The level 09 figures without the bonus controls' (the other fields null). */
    public Memory(
        Long usageBytes,
        Long limitBytes,
        Long peakBytes,
        Long swapBytes,
        Long swapLimitBytes,
        Long failcnt,
        Long oomKills,
        Long oomEvents) {
      this(
          usageBytes,
          limitBytes,
          peakBytes,
          swapBytes,
          swapLimitBytes,
          failcnt,
          oomKills,
          oomEvents,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }
  }

  /**
   * Task accounting.
   *
   * @param current tasks now
   * @param max the limit, null when unlimited
   * @param rejected forks refused because of the limit (pids.events max)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Pids(Long current, Long max, Long rejected) {}

  /**
   * Pressure stall information of one resource.
   *
   * @param some some tasks stalled
   * @param full all non-idle tasks stalled (null for cpu on old kernels)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Pressure(Line some, Line full) {}

  /**
   * One PSI line.
   *
   * @param avg10 percentage of time stalled over 10 s
   * @param avg60 over 60 s
   * @param avg300 over 300 s
   * @param totalUs total stall time
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Line(double avg10, double avg60, double avg300, long totalUs) {}
}
