package org.glasshouse.app.cgroups;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The latest numbers of one container's cgroups, in absolute units: what a gauge shows and what a
 * chart's legend prints next to the lines. A metric the kernel does not provide here (controller
 * not in the container's own cgroup, v1 has no PSI, no limit set) is absent.
 *
 * @param container the container id
 * @param timeMs when the helper read it (epoch milliseconds)
 * @param version "v1", "v2" or "hybrid": which cgroup files the numbers came from
 * @param values metric to value
 */
public record CgroupReading(
    String container, long timeMs, String version, Map<Metric, Double> values) {

  public CgroupReading {
    values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
  }

  /** The value, or null when absent. */
  public Double value(Metric m) {
    return values.get(m);
  }

  /** Whether the kernel gave anything for this resource here. */
  public boolean has(Resource r) {
    for (Metric m : values.keySet()) {
      if (m.resource() == r) {
        return true;
      }
    }
    return false;
  }

  /** Whether the container has any cgroup of its own (levels below 08 have none). */
  public boolean hasOwnCgroup() {
    return has(Resource.CPU) || has(Resource.MEMORY) || has(Resource.PIDS);
  }

  /** The relative CPU weight this container was given: cpu.shares on v1, cpu.weight on v2. */
  public Double cpuWeight() {
    Double s = value(Metric.CPU_SHARES);
    return s != null ? s : value(Metric.CPU_WEIGHT);
  }
}
