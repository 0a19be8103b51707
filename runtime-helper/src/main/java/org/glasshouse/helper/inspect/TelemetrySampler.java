package org.glasshouse.helper.inspect;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples containers' cgroups repeatedly. The only stateful reader: it remembers, per container,
 * where its cgroups are (resolved once from {@code /proc/PID/cgroup}) and the previous CPU usage,
 * so a tick reads just the cgroup files and computes CPU % over the interval. Thread-safe.
 */
public final class TelemetrySampler {

  private final HostFs fs;
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private volatile List<MountEntry> cgroupMounts;

  private record State(long pid, CgroupLocation location, Long usageNs, long nanos) {}

  /**
   * @param fs where /proc and the host's cgroup mounts are
   */
  public TelemetrySampler(HostFs fs) {
    this.fs = fs;
  }

  /**
   * Reads one sample of the container {@code key} whose first process is {@code pid}. Never throws:
   * a vanished process gives a sample with {@code gone} set.
   */
  public TelemetrySample sample(String key, long pid) {
    long now = System.nanoTime();
    long wall = System.currentTimeMillis();
    State prev = states.get(key);
    CgroupLocation loc;
    if (prev != null && prev.pid == pid) {
      loc = prev.location;
    } else {
      try {
        loc = locate(pid);
      } catch (ProcessGoneException e) {
        states.remove(key);
        return new TelemetrySample(wall, pid, true, null, null, null);
      }
    }
    CgroupStats stats = CgroupReader.read(loc, false);
    Long usage = stats.cpu() == null ? null : stats.cpu().usageNs();
    Long intervalMs = null;
    Double pct = null;
    if (prev != null && prev.pid == pid) {
      long dt = now - prev.nanos;
      intervalMs = dt / 1_000_000;
      if (usage != null && prev.usageNs != null && dt > 0) {
        pct = Math.max(0, usage - prev.usageNs) * 100.0 / dt;
        pct = Math.round(pct * 100) / 100.0;
      }
    }
    states.put(key, new State(pid, loc, usage, now));
    return new TelemetrySample(wall, pid, false, intervalMs, pct, stats);
  }

  /** Forgets a container (removed): its remembered location and usage. */
  public void forget(String key) {
    states.remove(key);
  }

  /** Where the cgroups of {@code pid} are, from its {@code /proc/PID/cgroup}. */
  public CgroupLocation locate(long pid) throws ProcessGoneException {
    List<CgroupMembership> m = CgroupMembership.parse(fs.readPidFile(pid, "cgroup"));
    List<MountEntry> mounts = cgroupMounts;
    if (mounts == null) {
      // The hierarchies are mounted once at boot; reading the helper's own table once is enough.
      mounts =
          MountInfoParser.parseTotal(fs.readProcFile("self/mountinfo").orElse(""))
              .entries()
              .stream()
              .filter(e -> e.fsType().equals("cgroup") || e.fsType().equals("cgroup2"))
              .toList();
      cgroupMounts = mounts;
    }
    return CgroupLocation.resolve(fs, m, mounts);
  }
}
