package org.glasshouse.helper.inspect;

import static org.glasshouse.helper.inspect.CgroupFiles.keyed;
import static org.glasshouse.helper.inspect.CgroupFiles.number;
import static org.glasshouse.helper.inspect.CgroupFiles.read;
import static org.glasshouse.helper.inspect.CgroupFiles.times;

import java.nio.file.Path;
import java.util.Map;
import org.glasshouse.protocol.inspect.CgroupStats;

/**
 * cgroup v2: one directory for every controller enabled on the group. cpu.stat counts microseconds;
 * they are converted to nanoseconds so both versions share units.
 *
 * @param dir the group's directory in the unified hierarchy
 * @param usageOnly skip limits, weight and PSI (the telemetry tick reads those once a second)
 * @param skip event counters to leave out (null in the result; {@code cpu.stat} is always read)
 * @param files how files are read
 */
public record CgroupV2Reader(Path dir, boolean usageOnly, CgroupReader.Skip skip, FileSource files)
    implements CgroupReader {

  /** A full reader that opens each file. */
  public CgroupV2Reader(Path dir) {
    this(dir, false, FileSource.DIRECT);
  }

  /** A reader of every event counter. */
  public CgroupV2Reader(Path dir, boolean usageOnly, FileSource files) {
    this(dir, usageOnly, CgroupReader.Skip.NONE, files);
  }

  private Long full(String name) {
    return usageOnly ? null : number(files, dir, name);
  }

  @Override
  public CgroupStats.Cpu cpu() {
    Map<String, Long> stat = keyed(files, dir, "cpu.stat");
    if (stat.isEmpty()) {
      return null;
    }
    Long quota = null;
    Long period = null;
    String[] max =
        (usageOnly ? java.util.Optional.<String>empty() : read(files, dir, "cpu.max"))
            .map(s -> s.trim().split(" "))
            .orElse(new String[0]);
    if (max.length == 2) {
      quota = CgroupFiles.parseLong(max[0]);
      period = CgroupFiles.parseLong(max[1]);
    }
    return new CgroupStats.Cpu(
        times(stat.get("usage_usec"), 1000),
        times(stat.get("user_usec"), 1000),
        times(stat.get("system_usec"), 1000),
        stat.get("nr_periods"),
        stat.get("nr_throttled"),
        times(stat.get("throttled_usec"), 1000),
        quota,
        period,
        null,
        full("cpu.weight"));
  }

  @Override
  public CgroupStats.Memory memory() {
    Long usage = number(files, dir, "memory.current");
    if (usage == null) {
      return null;
    }
    Map<String, Long> events = skip.memoryEvents() ? Map.of() : keyed(files, dir, "memory.events");
    return new CgroupStats.Memory(
        usage,
        full("memory.max"),
        number(files, dir, "memory.peak"),
        number(files, dir, "memory.swap.current"),
        full("memory.swap.max"),
        events.get("max"),
        events.get("oom_kill"),
        events.get("oom"),
        full("memory.high"),
        null,
        null,
        null,
        oomGroup(full("memory.oom.group")),
        events.get("high"),
        usageOnly ? null : keyed(files, dir, "memory.stat").get("kernel"));
  }

  private static Boolean oomGroup(Long v) {
    return v == null ? null : v != 0;
  }

  @Override
  public CgroupStats.Pids pids() {
    Long current = number(files, dir, "pids.current");
    if (current == null) {
      return null;
    }
    return new CgroupStats.Pids(
        current,
        full("pids.max"),
        skip.pidsEvents() ? null : keyed(files, dir, "pids.events").get("max"));
  }

  @Override
  public Map<String, CgroupStats.Pressure> pressure() {
    return usageOnly ? Map.of() : CgroupFiles.pressure(files, dir);
  }
}
