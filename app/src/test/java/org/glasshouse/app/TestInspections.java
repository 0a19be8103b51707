package org.glasshouse.app;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.ProcessInfo;
import org.glasshouse.protocol.inspect.TelemetrySample;

/** Hand-made inspection records for tests that need one exact fact, not a whole recording. */
public final class TestInspections {
  private TestInspections() {}

  /**
   * An {@code inspect} result.
   *
   * @param namespaces type → inode, in display order
   * @param pid1Command the command of PID 1 inside (a process whose innermost pid is 1), or null
   *     for a container without a PID namespace of its own
   * @param stats cgroup figures, or null
   */
  public static InspectResult inspection(
      String hostname, Map<String, Long> namespaces, String pid1Command, CgroupStats stats) {
    Map<String, InspectResult.NamespaceView> ns = new LinkedHashMap<>();
    namespaces.forEach(
        (type, inode) ->
            ns.put(type, new InspectResult.NamespaceView(inode, null, false, 1, List.of())));
    ProcessInfo p =
        pid1Command == null
            ? process(4242, List.of(4242L), "sh", List.of("/bin/sh"))
            : process(
                4242,
                List.of(4242L, 1L),
                pid1Command.split(" ")[0],
                Arrays.asList(pid1Command.split(" ")));
    return InspectResult.builder()
        .target("c1")
        .pid(4242)
        .namespaces(ns)
        .processes(List.of(p))
        .cgroup(new InspectResult.CgroupView(Map.of(), null, stats))
        .network(new NetworkInfo(hostname, List.of(), null))
        .build();
  }

  /** A process with these pids (host's first) and argv. */
  public static ProcessInfo process(long pid, List<Long> nsPids, String name, List<String> argv) {
    return new ProcessInfo(
        pid,
        nsPids,
        1,
        name,
        argv,
        "S",
        "sleeping",
        List.of(0L, 0L, 0L, 0L),
        List.of(0L, 0L, 0L, 0L),
        1,
        Map.of(),
        Map.of(),
        false,
        0,
        "disabled",
        null);
  }

  /**
   * {@code r} with every process's locks set: no_new_privs, the seccomp mode (its number derived)
   * and the filter count (null: a kernel before 5.9 does not say).
   */
  public static InspectResult locked(
      InspectResult r, boolean noNewPrivs, String seccompMode, Integer filters) {
    int mode = "filter".equals(seccompMode) ? 2 : "strict".equals(seccompMode) ? 1 : 0;
    List<ProcessInfo> ps =
        r.processes().stream()
            .map(
                p ->
                    new ProcessInfo(
                        p.pid(),
                        p.nsPids(),
                        p.ppid(),
                        p.name(),
                        p.cmdline(),
                        p.state(),
                        p.stateName(),
                        p.uids(),
                        p.gids(),
                        p.threads(),
                        p.capabilities(),
                        p.capabilityMasks(),
                        noNewPrivs,
                        mode,
                        seccompMode,
                        filters))
            .toList();
    return r.toBuilder().processes(ps).build();
  }

  /** Cgroup figures: memory usage and limit in bytes, pids current (any may be null). */
  public static CgroupStats stats(Long memoryUsage, Long memoryLimit, Long pids) {
    return new CgroupStats(
        "v1",
        null,
        memoryUsage == null && memoryLimit == null
            ? null
            : new CgroupStats.Memory(memoryUsage, memoryLimit, null, null, null, null, null, null),
        pids == null ? null : new CgroupStats.Pids(pids, null, null),
        null);
  }

  /** A telemetry sample with these figures. */
  public static TelemetrySample sample(Double cpuPercent, CgroupStats stats) {
    return new TelemetrySample(System.currentTimeMillis(), 4242, false, 1000L, cpuPercent, stats);
  }
}
