package org.glasshouse.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Resource limits of a container, in absolute units. A null field means "no limit" (the cgroup
 * keeps the kernel default).
 *
 * @param memoryBytes memory limit (v1 {@code memory.limit_in_bytes}, v2 {@code memory.max})
 * @param memorySwapBytes memory + swap limit (v1 {@code memory.memsw.limit_in_bytes}, v2 {@code
 *     memory.swap.max} = this − memory)
 * @param cpuShares relative CPU weight, docker's scale 2..262144, default 1024 (v1 {@code
 *     cpu.shares}, v2 {@code cpu.weight} derived)
 * @param cpus CPU quota in cores, e.g. 0.5 (v1 {@code cpu.cfs_quota_us}, v2 {@code cpu.max})
 * @param pidsMax maximum number of tasks ({@code pids.max})
 * @param memorySoftBytes soft limit: v1 {@code memory.soft_limit_in_bytes} (reclaimed down to it
 *     only when the machine runs short), v2 {@code memory.high} (throttled and reclaimed above it
 *     at once); at most the memory limit
 * @param memorySwappiness v1 {@code memory.swappiness}, 0..100 (v2 has none: the start fails)
 * @param oomKillDisable v1 {@code memory.oom_control} ← 1: at its limit the group waits instead of
 *     losing a process (v2 cannot: the start fails); needs a memory limit
 * @param oomGroup v2 {@code memory.oom.group} ← 1: the OOM killer takes the whole group, not one
 *     process (v1 cannot: the start fails)
 * @param kernelMemoryBytes v1 {@code memory.kmem.limit_in_bytes}; read back after the write, and a
 *     kernel that ignores it (Linux 6.x accepts and drops the value) fails the start; v2 has no
 *     separate kernel memory limit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Limits(
    Long memoryBytes,
    Long memorySwapBytes,
    Integer cpuShares,
    Double cpus,
    Integer pidsMax,
    Long memorySoftBytes,
    Integer memorySwappiness,
    Boolean oomKillDisable,
    Boolean oomGroup,
    Long kernelMemoryBytes) {

  /** No limits at all. */
  public static final Limits NONE = new Limits(null, null, null, null, null);

  /** The canonical constructor is the one JSON binds to. */
  @JsonCreator
  public Limits {}

  /** The level 08/09/12 limits, without level 09's bonus controls. */
  public Limits(
      Long memoryBytes, Long memorySwapBytes, Integer cpuShares, Double cpus, Integer pidsMax) {
    this(memoryBytes, memorySwapBytes, cpuShares, cpus, pidsMax, null, null, null, null, null);
  }

  /** Whether any of level 09's bonus controls is set. */
  public boolean hasMemoryBonus() {
    return memorySoftBytes != null
        || memorySwappiness != null
        || Boolean.TRUE.equals(oomKillDisable)
        || Boolean.TRUE.equals(oomGroup)
        || kernelMemoryBytes != null;
  }
}
