package org.glasshouse.protocol;

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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Limits(
    Long memoryBytes, Long memorySwapBytes, Integer cpuShares, Double cpus, Integer pidsMax) {

  /** No limits at all. */
  public static final Limits NONE = new Limits(null, null, null, null, null);
}
