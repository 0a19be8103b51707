package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One telemetry reading of a container's cgroups.
 *
 * @param timeMs wall-clock time of the reading (epoch milliseconds)
 * @param pid the container's first process (host pid)
 * @param gone true when that process no longer exists (the other fields are then absent)
 * @param intervalMs time since this container's previous reading, null for the first
 * @param cpuPercent CPU used over that interval in % of one core (200 = two full cores), null for
 *     the first reading
 * @param cgroup usage and limits
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TelemetrySample(
    long timeMs, long pid, boolean gone, Long intervalMs, Double cpuPercent, CgroupStats cgroup) {}
