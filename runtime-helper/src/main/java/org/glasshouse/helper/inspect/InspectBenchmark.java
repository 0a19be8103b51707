package org.glasshouse.helper.inspect;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.mountinfo.MountInfoParser;
import org.glasshouse.helper.mountinfo.MountTree;
import org.glasshouse.protocol.TelemetryText;

/**
 * The inspection benchmark: prints, side by side with the goals, the time to sample one container,
 * the sampler's CPU while streaming 20 containers at 10 Hz, and the time to parse a 1,000-entry
 * mountinfo. Real processes in real cgroups; figures are medians with p10/p90.
 */
public final class InspectBenchmark {

  private final PrintStream out;

  /**
   * @param out where the figures go
   */
  public InspectBenchmark(PrintStream out) {
    this.out = out;
  }

  /** Runs all three measurements and prints them. */
  public void run() throws Exception {
    HostFs fs = HostFs.real();
    out.printf(
        "inspect benchmark: %d cores, kernel %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.version"));
    out.printf("%-44s %10s %10s %10s   %s%n", "figure", "median", "p10", "p90", "goal");
    try (BenchCgroups one = new BenchCgroups(1)) {
      long pid = one.pids().get(0);
      try (TelemetrySampler sampler = new TelemetrySampler(fs)) {
        for (int i = 0; i < 300; i++) {
          sampler.sample("warm", pid);
        }
        double[] us = new double[300];
        for (int i = 0; i < us.length; i++) {
          long t = System.nanoTime();
          sampler.sample("bench", pid);
          us[i] = (System.nanoTime() - t) / 1e3;
        }
        row(
            "sample one container (telemetry tick)",
            us,
            "µs",
            "context (budget 100 µs: 2 %/200 a s)");
      }
      inspectRows(pid);
      Inspector inspector = Inspector.real();
      namespacesRows(inspector, pid);
    }
    String events;
    try (NamespaceTracker probe = NamespaceTracker.open(Inspector.real(), line -> {})) {
      events = probe.eventDriven() ? "" : " (no process events: polled)";
    }
    try (BenchCgroups twenty = new BenchCgroups(20)) {
      String shared = twenty.ownCgroups() ? "" : " (shared cgroup: not root)";
      double[][] pct = streamCpu(fs, twenty.pids(), 100, 8, false, false);
      row(
          "telemetry CPU, 20 containers @ 10 Hz (+JSON)" + shared,
          pct[0],
          "%",
          "context (part of the row below)");
      row("  whole JVM meanwhile (JIT, GC, timers)", pct[1], "%", "context");
    }
    try (BenchCgroups twenty = new BenchCgroups(20, true)) {
      String shared = twenty.ownCgroups() ? "" : " (shared cgroup: not root)";
      double[][] all = streamCpu(fs, twenty.pids(), 100, 8, true, true);
      row(
          "telemetry + mounts + namespaces @ 10 Hz" + shared + events,
          all[0],
          "%",
          "< 2 % of one core");
      row("  whole JVM meanwhile (JIT, GC, timers)", all[1], "%", "context");
      double[][] polled = streamCpu(fs, twenty.pids(), 100, 8, true, false);
      row("  the same, namespaces polled every tick", polled[0], "%", "context (issue 16)");
    }
    String mountinfo = syntheticMountinfo(1000);
    for (int i = 0; i < 1000; i++) {
      MountTree.of(MountInfoParser.parseTotal(mountinfo).entries());
    }
    System.gc();
    double[] parse = new double[300];
    double[] tree = new double[300];
    for (int i = 0; i < parse.length; i++) {
      long t = System.nanoTime();
      var entries = MountInfoParser.parseTotal(mountinfo).entries();
      long t2 = System.nanoTime();
      MountTree.of(entries);
      parse[i] = (t2 - t) / 1e6;
      tree[i] = (System.nanoTime() - t2) / 1e6;
    }
    row("parse a 1,000-entry mountinfo", parse, "ms", "< 2 ms");
    row("  then build its tree", tree, "ms", "context");
  }

  /**
   * {@code inspect} of one container as a client asks it, now and then (50 ms apart): every reader
   * reads anew (nothing is cached between calls). The first call of a fresh JVM (class loading, the
   * interpreter) on a row of its own; then 10 calls to let the JIT compile the readers, as a
   * helper's inspections do after its first few; then 30 measured.
   */
  private void inspectRows(long pid) throws InterruptedException {
    Inspector inspector = Inspector.real();
    long t0 = System.nanoTime();
    inspector.inspect("bench", pid);
    double[] first = {(System.nanoTime() - t0) / 1e6};
    for (int i = 0; i < 10; i++) {
      inspector.inspect("bench", pid);
      Thread.sleep(50);
    }
    double[] ms = new double[30];
    double[] scan = new double[ms.length];
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      inspector.inspect("bench", pid);
      ms[i] = (System.nanoTime() - t) / 1e6;
      Thread.sleep(50);
      t = System.nanoTime();
      inspector.scanNamespaces();
      scan[i] = (System.nanoTime() - t) / 1e6;
      Thread.sleep(50);
    }
    row("inspect one container (everything, anew)", ms, "ms", "≤ 10 ms");
    row(
        "  its namespace scan, "
            + inspector.allPids().size()
            + " processes ("
            + (KernelThreadLinks.real() == null ? 0 : KernelThreadLinks.real().heldCount())
            + " kept)",
        scan,
        "ms",
        "context (ten links a process not kept)");
    row("  the first inspect of this JVM", first, "ms", "context (class loading)");
  }

  /**
   * What one {@code namespaces} tick costs for one unchanged container (its own cgroup, so members
   * come from cgroup.procs), and the once-per-tick pid-namespace index over every process.
   */
  private void namespacesRows(Inspector inspector, long pid) throws ProcessGoneException {
    Namespaces host = Namespaces.read(inspector.fs(), inspector.hostPid());
    var before = inspector.containerNamespaces(pid, host, Map::of);
    double[] us = new double[300];
    for (int n = 0; n < 2; n++) {
      for (int i = 0; i < us.length; i++) {
        long t = System.nanoTime();
        if (!NamespaceChanges.between(before, inspector.containerNamespaces(pid, host, Map::of))
            .isEmpty()) {
          throw new IllegalStateException("the benchmark's process changed namespaces");
        }
        us[i] = (System.nanoTime() - t) / 1e3;
      }
    }
    row("namespaces rescan, one container (no change)", us, "µs", "context");
    double[] index = new double[30];
    for (int i = 0; i < index.length; i++) {
      long t = System.nanoTime();
      inspector.pidNamespaceIndex();
      index[i] = (System.nanoTime() - t) / 1e3;
    }
    row(
        "  pid-ns index, " + inspector.allPids().size() + " processes (once a tick)",
        index,
        "µs",
        "context");
  }

  /**
   * Samples every pid each {@code periodMs} on one scheduler thread for {@code seconds} one-second
   * windows and returns, per window, that thread's CPU time and the whole JVM's as % of one core.
   * The paths are warmed up first, and the first window is dropped too.
   *
   * @param topics also what the {@code mounts} and {@code namespaces} topics do per tick when
   *     nothing changed ({@code InspectionService.mountsTick}, {@code namespacesTick}): per
   *     container, ask the {@link MountTableWatch} whether its table may have changed (re-read and
   *     compare only those it names); the namespaces through a {@link NamespaceTracker} and each
   *     container's reading compared with its last one
   * @param processEvents the tracker follows the kernel's process events (a sweep a second), as the
   *     helper's does; false: it reads every container every tick (the helper without them)
   */
  static double[][] streamCpu(
      HostFs fs, List<Long> pids, long periodMs, int seconds, boolean topics, boolean processEvents)
      throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    AtomicLong cpuNs = new AtomicLong();
    Inspector inspector = new Inspector(fs, NetnsReader.system());
    String[] lastMounts = new String[pids.size()];
    List<Map<Long, Map<String, Long>>> lastNs = new java.util.ArrayList<>();
    for (int i = 0; i < pids.size(); i++) {
      lastNs.add(Map.of());
    }
    MountTableWatch watch = MountTableWatch.forProc(fs, new JnaSyscalls());
    NamespaceTracker tracker =
        processEvents
            ? NamespaceTracker.open(inspector, line -> {})
            : new NamespaceTracker(inspector, null, () -> System.nanoTime() / 1_000_000, l -> {});
    Map<String, Long> keys = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pids.size(); i++) {
      keys.put("c" + i, pids.get(i));
    }
    Runnable topicsTick =
        () -> {
          try {
            var marked = watch == null ? keys.keySet() : watch.maybeChanged(keys);
            for (int i = 0; i < pids.size(); i++) {
              if (!marked.contains("c" + i)) {
                continue;
              }
              String text =
                  watch == null
                      ? fs.readPidFile(pids.get(i), "mountinfo")
                      : watch.read("c" + i, pids.get(i));
              if (!text.equals(lastMounts[i])) {
                MountInfoParser.parseTotal(text);
                lastMounts[i] = text;
              }
            }
            var read = tracker.tick(keys, Set.of());
            for (int i = 0; i < pids.size(); i++) {
              var now = read.get("c" + i);
              if (now == null) {
                continue;
              }
              if (now.isEmpty()) {
                throw new ProcessGoneException(pids.get(i), null);
              }
              if (!NamespaceChanges.between(lastNs.get(i), now.get()).isEmpty()) {
                lastNs.set(i, now.get());
              }
            }
          } catch (ProcessGoneException e) {
            throw new IllegalStateException("a benchmark process exited", e);
          }
        };
    try (TelemetrySampler sampler = new TelemetrySampler(fs)) {
      // Let the JIT compile the sampling and JSON paths first: the goal is the steady state.
      for (int n = 0; n < 100; n++) {
        for (int i = 0; i < pids.size(); i++) {
          TelemetryText.eventLine("c" + i, sampler.sample("c" + i, pids.get(i)));
        }
        if (topics) {
          topicsTick.run();
        }
      }
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
      try {
        ticker.scheduleAtFixedRate(
            () -> {
              long t = mx.getCurrentThreadCpuTime();
              for (int i = 0; i < pids.size(); i++) {
                // What the helper's pump does per container: sample, and write the event's line
                // once for the event hub (InspectionService.telemetryLines).
                TelemetryText.eventLine("c" + i, sampler.sample("c" + i, pids.get(i)));
              }
              if (topics) {
                topicsTick.run();
              }
              cpuNs.addAndGet(mx.getCurrentThreadCpuTime() - t);
            },
            0,
            periodMs,
            TimeUnit.MILLISECONDS);
        var os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[][] pct = new double[2][seconds - 1];
        for (int w = 0; w < seconds; w++) {
          long c0 = cpuNs.get();
          long p0 = os.getProcessCpuTime();
          long t0 = System.nanoTime();
          Thread.sleep(1000);
          long dt = System.nanoTime() - t0;
          if (w > 0) {
            pct[0][w - 1] = (cpuNs.get() - c0) * 100.0 / dt;
            pct[1][w - 1] = (os.getProcessCpuTime() - p0) * 100.0 / dt;
          }
        }
        return pct;
      } finally {
        // Stop ticking before the sampler releases its descriptors.
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        if (watch != null) {
          watch.close();
        }
        tracker.close();
      }
    }
  }

  /** A realistic mountinfo of {@code n} lines: nested container-ish mounts, optional fields. */
  public static String syntheticMountinfo(int n) {
    StringBuilder b = new StringBuilder();
    b.append("20 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard\n");
    for (int i = 1; i < n; i++) {
      int id = 20 + i;
      int parent = i < 10 ? 20 : 20 + (i % 10) + 1;
      String opt = i % 3 == 0 ? "shared:" + i + " master:1" : i % 3 == 1 ? "master:1" : "";
      b.append(id)
          .append(' ')
          .append(parent)
          .append(" 0:")
          .append(100 + i)
          .append(" / /var/lib/glasshouse/containers/")
          .append(Integer.toHexString(0x3f9a0000 + i))
          .append("/rootfs/with\\040space rw,nosuid,nodev,relatime ")
          .append(opt)
          .append(opt.isEmpty() ? "" : " ")
          .append("- overlay overlay rw,lowerdir=/var/lib/glasshouse/images/busybox/rootfs,")
          .append("upperdir=/var/lib/glasshouse/c/")
          .append(i)
          .append("/upper,workdir=/var/lib/glasshouse/c/")
          .append(i)
          .append("/work\n");
    }
    return b.toString();
  }

  private void row(String name, double[] values, String unit, String goal) {
    double[] s = values.clone();
    Arrays.sort(s);
    out.printf(
        "%-44s %10s %10s %10s   %s%n",
        name,
        fmt(percentile(s, 50), unit),
        fmt(percentile(s, 10), unit),
        fmt(percentile(s, 90), unit),
        goal);
  }

  static double percentile(double[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.round((p / 100.0) * (sorted.length - 1));
    return sorted[Math.min(sorted.length - 1, Math.max(0, i))];
  }

  private static String fmt(double v, String unit) {
    return (v < 10 ? String.format("%.2f", v) : String.format("%.1f", v)) + " " + unit;
  }
}
