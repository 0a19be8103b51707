package org.glasshouse.app.glasshouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.glasshouse.HouseModel.GaugeModel;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.junit.jupiter.api.Test;

/**
 * The gauges echo the limits a run's cgroup holds, as the kernel reads them back, each named by the
 * file the helper wrote (issue 14: "a run's actual limits are echoed … in the glass house view"),
 * so a student can {@code cat} the same number in the cgroup's directory.
 */
class GaugeSettingsTest {

  @Test
  void level09sMemoryGaugeNamesItsLimitAndTheMemorySwapLimit() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-09-oom");
    f.playRunning(r);
    f.selectFirst(r);
    HouseModel h = f.scene().houses().get(0);
    assertEquals(
        List.of(
            "limit 32.0 MiB — memory.limit_in_bytes",
            "memory+swap 32.0 MiB — memory.memsw.limit_in_bytes"),
        h.gauge("memory").settings());
    assertEquals(
        List.of("shares 1024 — cpu.shares", "no quota — cpu.cfs_quota_us -1"),
        h.gauge("cpu").settings());
    assertTrue(h.gauge("pids").settings().isEmpty(), "level 09 has no pids cgroup");
  }

  @Test
  void twoLevel12ContainersShowTheirOwnLimits() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-12-two");
    f.playRunning(r);
    f.selectFirst(r);
    HouseModel a = f.scene().houses().get(0);
    HouseModel b = f.scene().houses().get(1);
    assertEquals("limit 64.0 MiB — memory.limit_in_bytes", a.gauge("memory").settings().get(0));
    assertEquals("limit 32.0 MiB — memory.limit_in_bytes", b.gauge("memory").settings().get(0));
    assertTrue(a.gauge("pids").settings().get(0).endsWith(" — pids.max"));
    assertTrue(
        Describe.gaugeLines(b.gauge("memory")).stream()
            .anyMatch(l -> l.contains("limit 32.0 MiB — memory.limit_in_bytes")),
        "the details card says it too");
  }

  @Test
  void level00HasNoCgroupAndNoSettings() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-00");
    f.playRunning(r);
    f.selectFirst(r);
    for (GaugeModel g : f.scene().houses().get(0).gauges()) {
      assertTrue(g.settings().isEmpty(), g.toString());
    }
  }

  @Test
  void theMemoryBonusControlsShowWhenARunSetThem() {
    CgroupStats.Memory m =
        new CgroupStats.Memory(
            1L << 20, 64L << 20, null, 0L, null, 0L, 0L, null, 16L << 20, 0L, true, false, null,
            null, null);
    assertEquals(
        List.of(
            "limit 64.0 MiB — memory.limit_in_bytes",
            "soft limit 16.0 MiB — memory.soft_limit_in_bytes",
            "swappiness 0 — memory.swappiness",
            "OOM killer off — memory.oom_control"),
        HouseBuilder.memorySettings(m, false));
    CgroupStats.Memory defaults =
        new CgroupStats.Memory(
            1L, null, null, 0L, null, 0L, 0L, null, null, 60L, false, false, null, null, null);
    assertEquals(
        List.of("no limit — memory.limit_in_bytes"),
        HouseBuilder.memorySettings(defaults, false),
        "the kernel's default swappiness and an OOM killer left on are not worth a line");
  }

  @Test
  void cgroupV2NamesItsOwnFiles() {
    CgroupStats.Memory m =
        new CgroupStats.Memory(
            1L, 32L << 20, null, 0L, 0L, 0L, 0L, 0L, 24L << 20, null, null, null, true, 0L, null);
    assertEquals(
        List.of(
            "limit 32.0 MiB — memory.max",
            "swap 0 B — memory.swap.max",
            "high 24.0 MiB — memory.high",
            "OOM kills the whole group — memory.oom.group"),
        HouseBuilder.memorySettings(m, true));
    CgroupStats.Cpu c = new CgroupStats.Cpu(1L, 1L, 0L, 10L, 2L, 5L, 50_000L, 100_000L, null, 100L);
    assertEquals(
        List.of("quota 0.50 cores — cpu.max 50000 100000", "weight 100 — cpu.weight"),
        HouseBuilder.cpuSettings(c, true));
  }
}
