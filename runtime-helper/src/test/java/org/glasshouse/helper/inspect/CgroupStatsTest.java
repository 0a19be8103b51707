package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupStatsTest {

  @TempDir Path tmp;

  static final String[] V1_CPU = {
    "cpu.stat", "cpu.cfs_quota_us", "cpu.cfs_period_us", "cpu.shares"
  };
  static final String[] V1_CPUACCT = {"cpuacct.usage", "cpuacct.usage_user", "cpuacct.usage_sys"};
  static final String[] V1_MEMORY = {
    "memory.usage_in_bytes",
    "memory.limit_in_bytes",
    "memory.max_usage_in_bytes",
    "memory.memsw.usage_in_bytes",
    "memory.memsw.limit_in_bytes",
    "memory.failcnt",
    "memory.oom_control"
  };
  static final String[] V1_PIDS = {"pids.current", "pids.max", "pids.events"};
  static final String[] V2 = {
    "memory.current",
    "memory.max",
    "memory.peak",
    "memory.swap.current",
    "memory.swap.max",
    "memory.events",
    "cpu.stat",
    "cpu.max",
    "cpu.weight",
    "pids.current",
    "pids.max",
    "pids.events",
    "cpu.pressure",
    "memory.pressure",
    "io.pressure"
  };

  CgroupV1Reader v1() throws IOException {
    Fixtures.copyDir("v1/cpu", tmp.resolve("cpu"), V1_CPU);
    Fixtures.copyDir("v1/cpuacct", tmp.resolve("cpuacct"), V1_CPUACCT);
    Fixtures.copyDir("v1/memory", tmp.resolve("memory"), V1_MEMORY);
    Fixtures.copyDir("v1/pids", tmp.resolve("pids"), V1_PIDS);
    return new CgroupV1Reader(
        tmp.resolve("cpu"), tmp.resolve("cpuacct"), tmp.resolve("memory"), tmp.resolve("pids"));
  }

  @Test
  void v1FilesCapturedOnThisMachine() throws IOException {
    CgroupV1Reader r = v1();
    CgroupStats.Cpu cpu = r.cpu();
    assertEquals(199375968L, cpu.usageNs());
    assertEquals(5L, cpu.periods());
    assertEquals(3L, cpu.throttledPeriods());
    assertEquals(101208957L, cpu.throttledNs());
    assertEquals(50000L, cpu.quotaUs());
    assertEquals(100000L, cpu.periodUs());
    assertEquals(1024L, cpu.shares());
    CgroupStats.Memory m = r.memory();
    assertEquals(286720L, m.usageBytes());
    assertEquals(67108864L, m.limitBytes());
    assertEquals(970752L, m.peakBytes());
    assertEquals(0L, m.swapBytes());
    assertNull(m.swapLimitBytes(), "memsw left at the kernel's unlimited value");
    assertEquals(0L, m.oomKills());
    assertEquals(0L, m.failcnt());
    CgroupStats.Pids p = r.pids();
    assertEquals(0L, p.current());
    assertEquals(64L, p.max());
    assertEquals(0L, p.rejected());
    assertEquals(Map.of(), r.pressure());
  }

  @Test
  void v2FilesInAbsoluteUnits() throws IOException {
    Fixtures.copyDir("v2", tmp, V2);
    CgroupV2Reader r = new CgroupV2Reader(tmp);
    CgroupStats.Cpu cpu = r.cpu();
    assertEquals(1_523_456_000L, cpu.usageNs());
    assertEquals(1_200_000_000L, cpu.userNs());
    assertEquals(120L, cpu.periods());
    assertEquals(17L, cpu.throttledPeriods());
    assertEquals(845_123_000L, cpu.throttledNs());
    assertEquals(50000L, cpu.quotaUs());
    assertEquals(100L, cpu.weight());
    CgroupStats.Memory m = r.memory();
    assertEquals(12582912L, m.usageBytes());
    assertEquals(67108864L, m.limitBytes());
    assertEquals(15728640L, m.peakBytes());
    assertNull(m.swapLimitBytes(), "memory.swap.max is max");
    assertEquals(1L, m.oomKills());
    assertEquals(1L, m.oomEvents());
    assertEquals(7L, m.failcnt());
    assertEquals(new CgroupStats.Pids(3L, 64L, 2L), r.pids());
    CgroupStats.Pressure cpuPsi = r.pressure().get("cpu");
    assertEquals(1.5, cpuPsi.some().avg10());
    assertEquals(654321L, cpuPsi.full().totalUs());
    assertEquals(List.of("cpu", "memory", "io"), List.copyOf(r.pressure().keySet()));
  }

  @Test
  void missingFilesGiveNullsNotErrors() throws IOException {
    Files.writeString(tmp.resolve("cpu.stat"), "usage_usec 10\n");
    Files.writeString(tmp.resolve("memory.current"), "5\n");
    Files.writeString(tmp.resolve("memory.max"), "max\n");
    CgroupV2Reader r = new CgroupV2Reader(tmp);
    assertEquals(10_000L, r.cpu().usageNs());
    assertNull(r.cpu().quotaUs());
    assertNull(r.memory().limitBytes());
    assertNull(r.memory().peakBytes(), "memory.peak only exists on newer kernels");
    assertNull(r.pids());
    assertEquals(Map.of(), r.pressure());
    CgroupV1Reader none = new CgroupV1Reader(null, tmp.resolve("no"), null, null);
    assertNull(none.cpu());
    assertNull(none.memory());
    assertNull(none.pids());
  }

  @Test
  void hybridTakesControllersFromV1AndPressureFromTheUnifiedGroup() throws IOException {
    v1();
    Path unified = tmp.resolve("unified");
    Fixtures.copyDir("v2", unified, "cpu.pressure", "memory.pressure", "cpu.stat");
    CgroupLocation loc =
        new CgroupLocation(
            Map.of(
                "cpu", tmp.resolve("cpu"),
                "cpuacct", tmp.resolve("cpuacct"),
                "memory", tmp.resolve("memory"),
                "pids", tmp.resolve("pids")),
            unified,
            "/glasshouse/x");
    CgroupStats s = CgroupReader.read(loc, false);
    assertEquals("hybrid", s.version());
    assertEquals(199375968L, s.cpu().usageNs(), "v1 cpuacct wins over the unified cpu.stat");
    assertEquals(List.of("cpu", "memory"), List.copyOf(s.pressure().keySet()));
    // A container left in the unified root must not be shown the whole machine's pressure.
    CgroupStats atRoot = CgroupReader.read(new CgroupLocation(loc.v1(), unified, "/"), false);
    assertEquals("v1", atRoot.version());
    assertNull(atRoot.pressure());
    assertEquals(
        "hybrid", CgroupReader.read(new CgroupLocation(loc.v1(), unified, "/"), true).version());
  }

  @Test
  void pressureParserIsTotal() {
    assertNull(CgroupFiles.parsePressure("nonsense"));
    CgroupStats.Pressure p =
        CgroupFiles.parsePressure("some avg10=0.10 avg60=0.00 avg300=0.00 total=9\n");
    assertEquals(9L, p.some().totalUs());
    assertNull(p.full());
  }
}
