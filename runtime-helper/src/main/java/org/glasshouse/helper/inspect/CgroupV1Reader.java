package org.glasshouse.helper.inspect;

import static org.glasshouse.helper.inspect.CgroupFiles.keyed;
import static org.glasshouse.helper.inspect.CgroupFiles.minus;
import static org.glasshouse.helper.inspect.CgroupFiles.number;
import static org.glasshouse.helper.inspect.CgroupFiles.v1Limit;

import java.nio.file.Path;
import java.util.Map;
import org.glasshouse.protocol.inspect.CgroupStats;

/**
 * cgroup v1: each controller in its own hierarchy directory (any may be null when that controller
 * is not mounted). Units are already absolute except where noted.
 *
 * @param cpuDir the {@code cpu} controller's directory
 * @param cpuacctDir the {@code cpuacct} controller's directory (often the same as cpu's)
 * @param memoryDir the {@code memory} controller's directory
 * @param pidsDir the {@code pids} controller's directory
 * @param usageOnly skip the files that only change when someone writes them (limits, shares, the
 *     user/system split): the telemetry tick reads those once a second, not ten times
 * @param skip event counters to leave out (null in the result)
 * @param files how files are read
 */
public record CgroupV1Reader(
    Path cpuDir,
    Path cpuacctDir,
    Path memoryDir,
    Path pidsDir,
    boolean usageOnly,
    CgroupReader.Skip skip,
    FileSource files)
    implements CgroupReader {

  /** A full reader that opens each file. */
  public CgroupV1Reader(Path cpuDir, Path cpuacctDir, Path memoryDir, Path pidsDir) {
    this(cpuDir, cpuacctDir, memoryDir, pidsDir, false, FileSource.DIRECT);
  }

  /** A reader of every event counter. */
  public CgroupV1Reader(
      Path cpuDir,
      Path cpuacctDir,
      Path memoryDir,
      Path pidsDir,
      boolean usageOnly,
      FileSource files) {
    this(cpuDir, cpuacctDir, memoryDir, pidsDir, usageOnly, CgroupReader.Skip.NONE, files);
  }

  private Long full(Path dir, String name) {
    return usageOnly ? null : number(files, dir, name);
  }

  private Long fullLimit(Path dir, String name) {
    return usageOnly ? null : v1Limit(files, dir, name);
  }

  @Override
  public CgroupStats.Cpu cpu() {
    Long usage = number(files, cpuacctDir, "cpuacct.usage");
    Map<String, Long> stat =
        skip.throttling() && usage != null ? Map.of() : keyed(files, cpuDir, "cpu.stat");
    if (usage == null && stat.isEmpty()) {
      return null;
    }
    Long quota = full(cpuDir, "cpu.cfs_quota_us");
    return new CgroupStats.Cpu(
        usage,
        full(cpuacctDir, "cpuacct.usage_user"),
        full(cpuacctDir, "cpuacct.usage_sys"),
        stat.get("nr_periods"),
        stat.get("nr_throttled"),
        stat.get("throttled_time"),
        quota == null || quota < 0 ? null : quota,
        full(cpuDir, "cpu.cfs_period_us"),
        full(cpuDir, "cpu.shares"),
        null);
  }

  @Override
  public CgroupStats.Memory memory() {
    Long usage = number(files, memoryDir, "memory.usage_in_bytes");
    if (usage == null) {
      return null;
    }
    // memsw counts memory + swap; swap alone is the difference (absent without swap accounting).
    Long memsw = number(files, memoryDir, "memory.memsw.usage_in_bytes");
    Map<String, Long> oom =
        skip.memoryEvents() ? Map.of() : keyed(files, memoryDir, "memory.oom_control");
    return new CgroupStats.Memory(
        usage,
        fullLimit(memoryDir, "memory.limit_in_bytes"),
        number(files, memoryDir, "memory.max_usage_in_bytes"),
        minus(memsw, usage),
        fullLimit(memoryDir, "memory.memsw.limit_in_bytes"),
        skip.memoryEvents() ? null : number(files, memoryDir, "memory.failcnt"),
        oom.get("oom_kill"),
        null,
        fullLimit(memoryDir, "memory.soft_limit_in_bytes"),
        full(memoryDir, "memory.swappiness"),
        flag(oom.get("oom_kill_disable")),
        flag(oom.get("under_oom")),
        null,
        null,
        number(files, memoryDir, "memory.kmem.usage_in_bytes"));
  }

  private static Boolean flag(Long v) {
    return v == null ? null : v != 0;
  }

  @Override
  public CgroupStats.Pids pids() {
    Long current = number(files, pidsDir, "pids.current");
    if (current == null) {
      return null;
    }
    return new CgroupStats.Pids(
        current,
        full(pidsDir, "pids.max"),
        skip.pidsEvents() ? null : keyed(files, pidsDir, "pids.events").get("max"));
  }

  @Override
  public Map<String, CgroupStats.Pressure> pressure() {
    // v1 has no PSI files; memory.pressure_level is an eventfd notifier, not a reading.
    return Map.of();
  }
}
