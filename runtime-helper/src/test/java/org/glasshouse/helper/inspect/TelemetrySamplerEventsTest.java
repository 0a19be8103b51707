package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the telemetry sampler reads a cgroup's event counters (v1 failcnt, oom_control, pids.events
 * and, without a CPU quota, cpu.stat's throttling; v2 memory.events and pids.events): every tick
 * near a limit or for a second after one of them moved, otherwise once a second with the limits.
 */
class TelemetrySamplerEventsTest {

  @TempDir Path tmp;

  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
  private Path cpu;
  private Path acct;
  private Path mem;
  private Path pids;
  private TelemetrySampler sampler;

  @BeforeEach
  void v1Container() throws IOException {
    FakeProc p = new FakeProc(tmp);
    Path host = p.process(1, FakeProc.ns(100));
    StringBuilder mounts = new StringBuilder("27 1 254:0 / / rw - ext4 /dev/vda rw\n");
    int id = 30;
    for (String c : new String[] {"cpu", "cpuacct", "memory", "pids"}) {
      mounts.append(id++).append(" 27 0:").append(id).append(" / /cg/").append(c);
      mounts.append(" rw - cgroup cgroup rw,").append(c).append('\n');
    }
    Files.writeString(host.resolve("mountinfo"), mounts);
    Files.writeString(host.resolve("cgroup"), "4:memory:/\n3:pids:/\n2:cpuacct:/\n1:cpu:/\n");
    Files.createSymbolicLink(p.proc.resolve("self"), Path.of("1"));
    Path c = p.process(50, FakeProc.ns(200));
    Files.writeString(c.resolve("cgroup"), "4:memory:/g\n3:pids:/g\n2:cpuacct:/g\n1:cpu:/g\n");
    cpu = Files.createDirectories(p.root.resolve("cg/cpu/g"));
    acct = Files.createDirectories(p.root.resolve("cg/cpuacct/g"));
    mem = Files.createDirectories(p.root.resolve("cg/memory/g"));
    pids = Files.createDirectories(p.root.resolve("cg/pids/g"));
    write(acct, "cpuacct.usage", "1000");
    write(cpu, "cpu.cfs_quota_us", "-1");
    write(cpu, "cpu.cfs_period_us", "100000");
    throttled(0);
    write(mem, "memory.usage_in_bytes", "4096");
    write(mem, "memory.limit_in_bytes", "1048576");
    write(mem, "memory.failcnt", "0");
    oomKills(0);
    write(pids, "pids.current", "1");
    write(pids, "pids.max", "64");
    rejected(0);
    sampler = new TelemetrySampler(p.fs, nanos::get);
  }

  private static void write(Path dir, String name, String value) throws IOException {
    Files.writeString(dir.resolve(name), value + "\n");
  }

  private void throttled(long n) throws IOException {
    Files.writeString(
        cpu.resolve("cpu.stat"),
        "nr_periods " + n + "\nnr_throttled " + n + "\nthrottled_time 7\n");
  }

  private void oomKills(long n) throws IOException {
    Files.writeString(
        mem.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill " + n + "\n");
  }

  private void rejected(long n) throws IOException {
    Files.writeString(pids.resolve("pids.events"), "max " + n + "\n");
  }

  private CgroupStats tick(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
    TelemetrySample s = sampler.sample("c1", 50);
    return s.cgroup();
  }

  private static long[] events(CgroupStats s) {
    return new long[] {
      s.memory().failcnt(), s.memory().oomKills(), s.pids().rejected(), s.cpu().throttledPeriods()
    };
  }

  private static void events(CgroupStats s, long failcnt, long oom, long rejected, long thr) {
    assertEquals(
        java.util.List.of(failcnt, oom, rejected, thr),
        java.util.Arrays.stream(events(s)).boxed().toList(),
        "failcnt, oomKills, rejected, throttledPeriods");
  }

  @Test
  void farFromEveryLimitTheyAreReadWithTheLimitsOnceASecond() throws IOException {
    events(tick(0), 0, 0, 0, 0);
    write(mem, "memory.failcnt", "3");
    oomKills(1);
    rejected(2);
    throttled(5);
    write(mem, "memory.usage_in_bytes", "8192");
    CgroupStats t = tick(100);
    assertEquals(8192L, t.memory().usageBytes(), "usage is read every tick");
    events(t, 0, 0, 0, 0);
    events(tick(800), 0, 0, 0, 0);
    events(tick(100), 3, 1, 2, 5);
  }

  @Test
  void nearALimitTheyAreReadEveryTick() throws IOException {
    write(mem, "memory.usage_in_bytes", "1000000");
    write(pids, "pids.current", "60");
    write(cpu, "cpu.cfs_quota_us", "50000");
    events(tick(0), 0, 0, 0, 0);
    write(mem, "memory.failcnt", "3");
    oomKills(1);
    rejected(2);
    throttled(5);
    events(tick(100), 3, 1, 2, 5);
  }

  @Test
  void eachLimitDecidesForItsOwnCounters() throws IOException {
    write(mem, "memory.usage_in_bytes", "1000000");
    events(tick(0), 0, 0, 0, 0);
    write(mem, "memory.failcnt", "3");
    oomKills(1);
    rejected(2);
    throttled(5);
    events(tick(100), 3, 1, 0, 0);
  }

  @Test
  void forASecondAfterOneMovedTheyAreReadEveryTick() throws IOException {
    events(tick(0), 0, 0, 0, 0);
    write(mem, "memory.failcnt", "3");
    events(tick(1000), 3, 0, 0, 0);
    // Usage is far below the limit (an OOM kill freed it, say): the next ones still show at once.
    oomKills(1);
    write(mem, "memory.failcnt", "4");
    events(tick(100), 4, 1, 0, 0);
    events(tick(900), 4, 1, 0, 0);
    write(mem, "memory.failcnt", "5");
    // Over a second since the last change, and the next full reading not due: once a second again.
    events(tick(150), 4, 1, 0, 0);
    events(tick(850), 5, 1, 0, 0);
  }

  @Test
  void aNewLimitTakesEffectAtTheNextFullReading() throws IOException {
    events(tick(0), 0, 0, 0, 0);
    write(mem, "memory.limit_in_bytes", "4500");
    events(tick(1000), 0, 0, 0, 0);
    write(mem, "memory.failcnt", "9");
    events(tick(100), 9, 0, 0, 0);
  }
}
