package org.glasshouse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.runtime.RuntimeConfig;
import org.glasshouse.helper.runtime.init.InitMain;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;

/**
 * {@code glasshouse bench start}: the start cost on the path a user takes — a socket client of a
 * real helper (one of the benchmark's own, started with the launcher's JVM options), request sent →
 * {@code exited} received, {@code true} in the busybox image — interleaved in one run with {@code
 * crun run} and {@code runc run} of the same rootfs (a bundle from {@code crun spec} with the
 * limits of level 12). Printed, each next to its goal:
 *
 * <ul>
 *   <li>the first start of every level once the helper answers {@code hello};
 *   <li>spaced starts (the machine settles between two: the pool has refilled), glasshouse level
 *       12, crun and runc taking turns, with the CPU each start cost from {@code /proc}: for
 *       glasshouse the helper's own threads and its process tree (with the native init, the
 *       default, glasshouse-init and the command; with {@code --init jvm} the init JVMs, the one
 *       used and its replacement, reaped by the helper), for crun and runc their whole process
 *       tree;
 *   <li>back-to-back starts (10 in a row, no time to refill), the three runtimes taking turns;
 *   <li>the proportional set size of an idle pooled init;
 *   <li>the command line as a whole process: {@code java -version} (the floor), {@code glasshouse
 *       ps}, {@code glasshouse run --rm -l 12 -- true}, through the launcher script, each of the
 *       two both ways: the launcher's native client and the JVM CLI ({@code GLASSHOUSE_NATIVE=0}).
 * </ul>
 *
 * First, before its helper starts, it measures what one JVM costs on this machine now ({@code java
 * -version}, and an init JVM's training run: the init's options, every class of the init loaded,
 * libc bound, the warm-ups run): each goal it finds NOT MET is followed by the floor it measured
 * and why the runtime cannot go below it with a JVM init per container ({@code --init jvm}); with
 * the native init no JVM floor applies and the line says so.
 *
 * <p>The machine's load average is printed with each section: on a shared machine the ratios
 * matter.
 */
final class StartBenchmark {

  static final int WARMUP = 3;
  static final int BACK_TO_BACK = 10;
  static final int BACK_TO_BACK_ROUNDS = 3;
  static final int CLI_RUNS = 10;
  static final int LEVELS = 13;
  static final int FLOOR_RUNS = 5;

  /** The longest wait for the pool to refill between two spaced starts. */
  static final int SPACED_SECONDS = 60;

  static final long TICK_NANOS = 1_000_000_000L / 100; // USER_HZ is 100 on Linux

  private final PrintStream out;
  private final int runs;
  private final boolean warmUp;
  private final String init;
  private final Path home = Installation.home();
  private final ObjectMapper json = new ObjectMapper();
  private Floor floor = new Floor(0, 0, 0, 0);

  /**
   * @param runs spaced starts per runtime
   * @param warmUp whether the benchmark's helper runs with {@code --warm-up} (the init's archive, a
   *     pool per level, late refills at nice 10)
   * @param init the helper's {@code --init} (native or jvm); null: its default, native
   */
  StartBenchmark(PrintStream out, int runs, boolean warmUp, String init) {
    this.out = out;
    this.runs = runs;
    this.warmUp = warmUp;
    this.init = init;
  }

  /** Whether the benchmark's helper runs the native init (its default) rather than init JVMs. */
  private boolean nativeInit() {
    return !"jvm".equals(init);
  }

  /** The benchmark's helper's options. */
  private List<String> helperOptions() {
    List<String> o = new ArrayList<>();
    if (warmUp) {
      o.add("--warm-up");
    }
    if (init != null) {
      o.add("--init");
      o.add(init);
    }
    return o;
  }

  void run() throws Exception {
    Path images = Installation.imagesDir(System.getenv(), home);
    if (!Files.isRegularFile(images.resolve("busybox.tar"))) {
      out.println(
          "bench start: no busybox image in " + images + " (glasshouse images build busybox)");
      return;
    }
    out.printf(
        "bench start: `true` in busybox, request sent → exited received, over the socket of a"
            + " helper of its own%s; %d cores; %s%n",
        helperOptions().isEmpty() ? "" : " (helper " + String.join(" ", helperOptions()) + ")",
        Runtime.getRuntime().availableProcessors(),
        load());
    Path work = Files.createTempDirectory("glasshouse-bench-start-");
    ExecutorService oci = ociThread();
    try {
      Path rootfs = work.resolve("rootfs");
      Files.createDirectories(rootfs);
      exec(
          List.of("tar", "-xf", images.resolve("busybox.tar").toString(), "-C", rootfs.toString()));
      List<Oci> others = new ArrayList<>();
      for (String rt : List.of("crun", "runc")) {
        if (onPath(rt)) {
          others.add(new Oci(rt, bundle(work, rootfs, rt), work.resolve(rt + "-state")));
        } else {
          out.printf("  %s is not installed (apt-get install -y %s): no comparison%n", rt, rt);
        }
      }
      long helperStarted = System.nanoTime();
      try (HelperProcess helper = HelperProcess.start(images, helperOptions());
          Client client = new Client(helper)) {
        long ready = System.nanoTime();
        out.printf("helper ready (answers hello) after %.0f ms%n", ms(ready - helperStarted));
        // With --warm-up it warms up in the background (the init's archive, a pool per level).
        settle(helper, 300);
        out.printf(
            "helper settled (its process tree idle%s) %.0f ms after ready%n",
            nativeInit()
                ? ": its dry run done, images extracted, spare rootfs copies made; the native init"
                    + " has no pool"
                : ": its dry run done, images extracted, spare rootfs copies made, archive built,"
                    + " pools filled",
            ms(System.nanoTime() - ready));
        // The floors before any start: the helper idle, no container yet.
        floor = floors();
        firstStarts(client);
        settle(helper);
        Figures spaced = spaced(client, helper, others, oci);
        backToBack(client, helper, others, oci, spaced);
        settle(helper);
        pooled(helper);
        try {
          commandLine(helper, others, oci, spaced);
        } catch (IOException e) {
          out.println("  command line: " + e.getMessage());
        }
      }
    } finally {
      oci.shutdownNow();
      SafeDelete.deleteTree(work);
    }
  }

  // ---- the figures -------------------------------------------------------------------------

  /** The first start of each level, in order, once the helper answers. */
  private void firstStarts(Client client) throws Exception {
    out.printf("first start of each level after ready (%s)%n", load());
    List<Long> all = new ArrayList<>();
    StringBuilder line = new StringBuilder("  ");
    for (int level = 0; level <= LEVELS; level++) {
      long t;
      try {
        t = client.start(level);
      } catch (IOException e) {
        out.printf("  level %02d failed: %s%n", level, e.getMessage());
        continue;
      }
      all.add(t);
      line.append(String.format(Locale.ROOT, "%02d:%5.0f ms  ", level, ms(t)));
      if (level % 7 == 6) {
        out.println(line.toString().stripTrailing());
        line = new StringBuilder("  ");
      }
    }
    out.println(line.toString().stripTrailing());
    if (all.isEmpty()) {
      return;
    }
    long worst = Collections.max(all);
    long within = all.stream().filter(t -> t <= 300e6).count();
    out.printf(
        "  worst first start %.0f ms, %d of %d levels within the goal   goal ≤ 300 ms each   %s%n",
        ms(worst), within, all.size(), verdict(worst <= 300e6));
    if (nativeInit()) {
      floorIfNot(
          worst <= 300e6,
          "none measured: the native init waits for no JVM and no pool, the helper's dry run"
              + " and its spare rootfs copies are made at its start; what is left of a first start"
              + " is the helper's side (levels 01-03: a copy of the rootfs when no spare is ready"
              + " yet, ~200 ms of the kernel's time for busybox)");
    } else {
      floorIfNot(
          worst <= 300e6,
          "a new init JVM to ready (a training run) %.0f ms wall here: the first start of a"
              + " namespace set waits for one%s",
          ms(floor.trainWall()),
          warmUp ? ", or for the warm-up still under way" : " (no --warm-up: no pool yet)");
    }
  }

  /** The medians the later sections compare with. */
  private record Figures(long glasshouse, long crun, long runc) {}

  /** Spaced starts: glasshouse level 12, crun, runc taking turns, the machine settled between. */
  private Figures spaced(Client client, HelperProcess helper, List<Oci> others, ExecutorService oci)
      throws Exception {
    out.printf(
        "spaced starts, %d of each (after %d unmeasured), interleaved, settled between (%s)%n",
        runs, WARMUP, load());
    List<Long> gh = new ArrayList<>();
    List<Long> ghSteps = new ArrayList<>();
    List<Long> ghHelperCpu = new ArrayList<>();
    List<Long> ghInitCpu = new ArrayList<>();
    Map<String, List<Long>> times = new ConcurrentHashMap<>();
    Map<String, List<Long>> cpu = new ConcurrentHashMap<>();
    int failed = 0;
    for (int i = 0; i < WARMUP + runs; i++) {
      settle(helper, SPACED_SECONDS);
      TreeCpu before = TreeCpu.of(helper.pid());
      long t;
      try {
        t = client.start(12);
      } catch (IOException e) {
        out.printf("  a glasshouse start failed: %s%n", e.getMessage());
        failed++;
        continue;
      }
      settle(helper, SPACED_SECONDS);
      TreeCpu after = TreeCpu.of(helper.pid());
      if (i >= WARMUP) {
        gh.add(t);
        ghHelperCpu.add(after.self() - before.self());
        ghInitCpu.add(after.tree() - before.tree());
      }
      for (Oci o : others) {
        long[] r = oci.submit(o::runOnce).get();
        if (i >= WARMUP) {
          times.computeIfAbsent(o.name, k -> new ArrayList<>()).add(r[0]);
          cpu.computeIfAbsent(o.name, k -> new ArrayList<>()).add(r[1]);
        }
      }
      // Last, after crun and runc: what this JVM still does after it (the step events parsed,
      // compiled) lands before the next glasshouse start, never in the OCI runtimes' figures.
      settle(helper, SPACED_SECONDS);
      try {
        long s = client.start(12, true);
        if (i >= WARMUP) {
          ghSteps.add(s);
        }
      } catch (IOException e) {
        out.printf("  a glasshouse start with step events failed: %s%n", e.getMessage());
      }
    }
    if (gh.isEmpty()) {
      throw new IOException("every glasshouse start failed: see " + helper.log());
    }
    if (failed > 0) {
      out.printf("  %d glasshouse starts failed (not in the figures)%n", failed);
    }
    long crun = times.containsKey("crun") ? median(times.get("crun")) : 0;
    long runc = times.containsKey("runc") ? median(times.get("runc")) : 0;
    row("glasshouse level 12", gh, crun, runc);
    if (!ghSteps.isEmpty()) {
      row("  + step events (app)", ghSteps, crun, runc);
    }
    for (Oci o : others) {
      row(o.name + " run", times.get(o.name), crun, runc);
    }
    if (crun > 0) {
      out.printf(
          "  goal: glasshouse ≤ 1.0× crun   %.2f× crun   %s%n",
          gh.isEmpty() ? 0 : (double) median(gh) / crun, verdict(median(gh) <= crun));
      floorIfNot(
          median(gh) <= crun,
          "not separated by this bench: %s",
          nativeInit()
              ? "the init is glasshouse-init; the helper's side of a start is a JVM's"
              : "a warm start runs its steps in a JVM that ran them once (interpreter and C1"
                  + " only) and the helper's side of a start is a JVM's too");
    }
    List<Long> total = new ArrayList<>();
    for (int i = 0; i < gh.size(); i++) {
      total.add(ghHelperCpu.get(i) + ghInitCpu.get(i));
    }
    out.printf(
        "CPU per spaced start (from /proc, 10 ms ticks; mean of %d)%n"
            + "  glasshouse level 12   %5.0f ms = helper %4.0f ms + %s %4.0f ms"
            + "   goal ≤ 150 ms   %s%n",
        gh.size(),
        ms(mean(total)),
        ms(mean(ghHelperCpu)),
        // The native init becomes the command and nothing replaces it; a JVM init is replaced.
        nativeInit()
            ? "init (glasshouse-init, then the command)"
            : "init JVMs (the one used and its replacement)",
        ms(mean(ghInitCpu)),
        verdict(mean(total) <= 150e6));
    if (nativeInit()) {
      floorIfNot(
          mean(total) <= 150e6,
          "none measured: no init JVM runs; the helper's side (%.0f ms) is the rest",
          ms(mean(ghHelperCpu)));
    } else {
      floorIfNot(
          mean(total) <= 150e6,
          "an init JVM's training run %.0f ms CPU (java -version %.0f ms): each start spawns the"
              + " init that replaces the one it took: a JVM per container is the floor",
          ms(floor.trainCpu()),
          ms(floor.versionCpu()));
    }
    for (Oci o : others) {
      out.printf(
          "  %-20s %5.0f ms (its whole process tree)%n",
          o.name + " run", ms(mean(cpu.get(o.name))));
    }
    return new Figures(median(gh), crun, runc);
  }

  /** Back-to-back starts: {@value #BACK_TO_BACK} in a row per runtime, taking turns. */
  private void backToBack(
      Client client, HelperProcess helper, List<Oci> others, ExecutorService oci, Figures spaced)
      throws Exception {
    out.printf(
        "back to back: %d rounds of %d starts in a row per runtime, taking turns (%s)%n",
        BACK_TO_BACK_ROUNDS, BACK_TO_BACK, load());
    List<Long> gh = new ArrayList<>();
    Map<String, List<Long>> times = new ConcurrentHashMap<>();
    for (int round = 0; round < BACK_TO_BACK_ROUNDS; round++) {
      settle(helper);
      for (int i = 0; i < BACK_TO_BACK; i++) {
        try {
          gh.add(client.start(12));
        } catch (IOException e) {
          out.printf("  a glasshouse start failed: %s%n", e.getMessage());
        }
      }
      settle(helper);
      for (Oci o : others) {
        List<Long> own = times.computeIfAbsent(o.name, k -> new ArrayList<>());
        for (int i = 0; i < BACK_TO_BACK; i++) {
          own.add(oci.submit(o::runOnce).get()[0]);
        }
      }
    }
    long crun = times.containsKey("crun") ? median(times.get("crun")) : 0;
    long runc = times.containsKey("runc") ? median(times.get("runc")) : 0;
    if (gh.isEmpty()) {
      throw new IOException("every glasshouse start failed: see " + helper.log());
    }
    row("glasshouse level 12", gh, crun, runc);
    for (Oci o : others) {
      row(o.name + " run", times.get(o.name), crun, runc);
    }
    if (crun > 0) {
      out.printf(
          "  goal: each ≤ 2× crun   median %.2f×, worst %.2f× crun   %s%n",
          (double) median(gh) / crun,
          (double) Collections.max(gh) / crun,
          verdict(median(gh) <= 2 * crun));
      if (nativeInit()) {
        floorIfNot(
            median(gh) <= 2 * crun,
            "none measured: with the native init no start waits for a pool to refill; the"
                + " helper's side of each start is the rest");
      } else {
        floorIfNot(
            median(gh) <= 2 * crun,
            "after the first, each start waits for a new init JVM: a training run is %.0f ms wall"
                + " here = %.1f× crun",
            ms(floor.trainWall()),
            (double) floor.trainWall() / crun);
      }
    }
  }

  /** The memory of the idle pooled inits: the helper's children that are JVMs. */
  private void pooled(HelperProcess helper) throws IOException {
    List<Long> inits = children(helper.pid());
    if (inits.isEmpty()) {
      out.println("idle pooled init: none pooled");
      return;
    }
    out.printf("idle pooled inits: %d%n", inits.size());
    long worst = 0;
    for (long pid : inits) {
      long pss = field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
      long rss = field(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
      long threads = field(Path.of("/proc", Long.toString(pid), "status"), "Threads:");
      worst = Math.max(worst, pss);
      out.printf(
          "  pid %-8d PSS %5.1f MiB   RSS %5.1f MiB   %d threads%n",
          pid, pss / 1024.0, rss / 1024.0, threads);
    }
    out.printf(
        "  largest PSS %.1f MiB   goal ≤ 20 MB   %s%n",
        worst / 1024.0, verdict(worst * 1024 <= 20_000_000L));
    floorIfNot(
        worst * 1024 <= 20_000_000L,
        "%.1f MiB: one JVM per pooled init (its heap, metaspace and the JVM's own memory; the"
            + " class-data archives are shared)",
        worst / 1024.0);
  }

  /**
   * The command line as a whole process, through the launcher ({@code glasshouse}, which first
   * checks that the jars are current): {@code java -version} is the floor.
   */
  private void commandLine(HelperProcess helper, List<Oci> others, ExecutorService oci, Figures f)
      throws Exception {
    Path launcher = home.resolve("glasshouse");
    if (!Files.isExecutable(launcher)) {
      out.println("command line: no launcher at " + launcher + ": not measured");
      return;
    }
    out.printf("command line, whole process, %d of each, interleaved (%s)%n", CLI_RUNS, load());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // GLASSHOUSE_NATIVE=1: the launcher's native ps even when this JVM was told otherwise.
    Map<String, String> env =
        Map.of("GLASSHOUSE_SOCKET", helper.socket().toString(), "GLASSHOUSE_NATIVE", "1");
    Map<String, String> jvmEnv =
        Map.of("GLASSHOUSE_SOCKET", helper.socket().toString(), "GLASSHOUSE_NATIVE", "0");
    boolean nativePs = Files.isExecutable(home.resolve("runtime-helper/target/glasshouse-ps"));
    boolean nativeRun = Files.isExecutable(home.resolve("runtime-helper/target/glasshouse-run"));
    List<Long> version = new ArrayList<>();
    List<Long> ps = new ArrayList<>();
    List<Long> psJvm = new ArrayList<>();
    List<Long> run = new ArrayList<>();
    List<Long> runJvm = new ArrayList<>();
    // CPU too: on a loaded machine the wall time is mostly the load's, the CPU the command's own.
    List<Long> versionCpu = new ArrayList<>();
    List<Long> psCpu = new ArrayList<>();
    List<Long> psJvmCpu = new ArrayList<>();
    List<Long> runCpu = new ArrayList<>();
    List<Long> runJvmCpu = new ArrayList<>();
    for (int i = 0; i < CLI_RUNS + 1; i++) {
      long[] v = timedWithCpu(List.of(java, "-version"), env);
      // The launcher's ps: its native client (glasshouse-ps) when built, else the JVM.
      long[] p = timedWithCpu(List.of(launcher.toString(), "ps"), env);
      // And the JVM CLI's, through the same launcher, for comparison.
      long[] pj = timedWithCpu(List.of(launcher.toString(), "ps"), jvmEnv);
      settle(helper);
      // The launcher's run: its native client (glasshouse-run) when built, else the JVM; then the
      // JVM CLI's, each after the helper has settled.
      List<String> runLine = List.of(launcher.toString(), "run", "--rm", "-l", "12", "--", "true");
      long[] r = timedWithCpu(runLine, env);
      settle(helper);
      long[] rj = timedWithCpu(runLine, jvmEnv);
      if (i > 0) {
        version.add(v[0]);
        ps.add(p[0]);
        psJvm.add(pj[0]);
        psJvmCpu.add(pj[1]);
        run.add(r[0]);
        runJvm.add(rj[0]);
        runJvmCpu.add(rj[1]);
        versionCpu.add(v[1]);
        psCpu.add(p[1]);
        runCpu.add(r[1]);
      }
    }
    spread("java -version (floor)", version);
    cpu(versionCpu);
    spread(nativePs ? "glasshouse ps (native)" : "glasshouse ps (JVM)", ps);
    cpu(psCpu);
    spread("glasshouse ps, JVM CLI", psJvm);
    cpu(psJvmCpu);
    out.printf(
        "  goal: ps ≤ 150 ms   %.0f ms   %s%n", ms(median(ps)), verdict(median(ps) <= 150e6));
    floorIfNot(
        median(ps) <= 150e6,
        nativePs
            ? "the native client's ps went past its JVM fallback? java -version %.0f ms wall"
            : "no native client (runtime-helper/target/glasshouse-ps): java -version %.0f ms wall",
        ms(median(version)));
    spread(
        nativeRun ? "glasshouse run -l 12 true (native)" : "glasshouse run -l 12 true (JVM)", run);
    cpu(runCpu);
    spread("glasshouse run -l 12 true, JVM CLI", runJvm);
    cpu(runJvmCpu);
    long goal = median(ps) + f.glasshouse();
    out.printf(
        "  goal: run ≤ ps + warm start = %.0f ms   %.0f ms   %s%n",
        ms(goal), ms(median(run)), verdict(median(run) <= goal));
    floorIfNot(
        median(run) <= goal,
        nativeRun
            ? "the native client's run: the launcher script and the start itself (java -version"
                + " %.0f ms is not in it); a run that went past its JVM fallback?"
            : "no native client (runtime-helper/target/glasshouse-run): a CLI JVM (java -version"
                + " %.0f ms) that sends a run and waits for a start whose own floors are above",
        ms(median(version)));
  }

  /**
   * What one JVM costs on this machine now, {@value #FLOOR_RUNS} of each, interleaved: {@code java
   * -version} and an init JVM's training run ({@code InitMain --train} with the init's options and
   * this JVM's class path), CPU as {@code wait4} reports it to this process ({@code cutime +
   * cstime}), and wall time.
   */
  private Floor floors() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> train = new ArrayList<>(List.of(java));
    train.addAll(RuntimeConfig.INIT_JVM_OPTIONS);
    train.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            InitMain.class.getName(),
            InitMain.TRAIN));
    List<Long> versionCpu = new ArrayList<>();
    List<Long> versionWall = new ArrayList<>();
    List<Long> trainCpu = new ArrayList<>();
    List<Long> trainWall = new ArrayList<>();
    for (int i = 0; i < FLOOR_RUNS; i++) {
      long[] v = timedWithCpu(List.of(java, "-version"));
      versionWall.add(v[0]);
      versionCpu.add(v[1]);
      long[] t = timedWithCpu(train);
      trainWall.add(t[0]);
      trainCpu.add(t[1]);
    }
    out.printf(
        "floors: one JVM, %d of each, interleaved (%s)%s%n",
        FLOOR_RUNS,
        load(),
        nativeInit() ? "; the init JVM's for comparison: this helper runs glasshouse-init" : "");
    out.printf(
        Locale.ROOT,
        "  java -version            CPU median %4.0f ms (%4.0f-%4.0f)   wall median %4.0f ms%n",
        ms(median(versionCpu)),
        ms(Collections.min(versionCpu)),
        ms(Collections.max(versionCpu)),
        ms(median(versionWall)));
    out.printf(
        Locale.ROOT,
        "  init JVM training run    CPU median %4.0f ms (%4.0f-%4.0f)   wall median %4.0f ms"
            + "   (the init's options, its classes loaded, libc bound, warm-ups run)%n",
        ms(median(trainCpu)),
        ms(Collections.min(trainCpu)),
        ms(Collections.max(trainCpu)),
        ms(median(trainWall)));
    return new Floor(median(versionCpu), median(versionWall), median(trainCpu), median(trainWall));
  }

  /** The floors of one JVM, in nanoseconds. */
  private record Floor(long versionCpu, long versionWall, long trainCpu, long trainWall) {}

  /** Below a goal NOT MET: the floor measured and why a JVM init cannot go below it. */
  private void floorIfNot(boolean met, String format, Object... args) {
    if (!met) {
      out.printf(Locale.ROOT, "    floor: " + format + "%n", args);
    }
  }

  // ---- glasshouse over the socket ------------------------------------------------------------

  /** One connection to the helper; each start waits for its container's {@code exited}. */
  private static final class Client implements HelperClient.Listener, AutoCloseable {
    private final Map<String, CompletableFuture<Long>> exits = new ConcurrentHashMap<>();
    private final HelperClient client;
    private final HelperProcess helper;

    Client(HelperProcess helper) throws Exception {
      this.helper = helper;
      this.client = HelperClient.connect(helper.socket(), "bench-start", this);
    }

    @Override
    public void event(Incoming.Event e) {
      if ("exited".equals(e.type()) && e.container() != null) {
        exits
            .computeIfAbsent(e.container(), k -> new CompletableFuture<>())
            .complete(System.nanoTime());
      }
    }

    /**
     * Runs {@code true} at {@code level}, attached and removed after, as {@code glasshouse run}
     * asks for it (no step events); request → exited.
     */
    long start(int level) throws Exception {
      return start(level, false);
    }

    /** As {@link #start(int)}; with {@code steps}, the step events too, as the app follows them. */
    long start(int level, boolean steps) throws Exception {
      ObjectNode spec = Json.object().put("image", "busybox").put("level", level).put("rm", true);
      spec.set("argv", Json.tree(List.of("/bin/true")));
      spec.set("env", Json.tree(Map.of("PATH", "/bin")));
      ObjectNode fields = Json.object().put("attach", true).put("steps", steps);
      fields.set("spec", spec);
      long t0 = System.nanoTime();
      String id;
      try {
        id = client.call(Op.RUN, fields).get("container").asText();
      } catch (org.glasshouse.client.HelperException e) {
        throw new IOException(
            "level " + level + " did not start: " + e.getMessage() + " (see " + helper.log() + ")",
            e);
      }
      long t1 =
          exits.computeIfAbsent(id, k -> new CompletableFuture<>()).get(120, TimeUnit.SECONDS);
      exits.remove(id);
      return t1 - t0;
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /**
   * CPU of a process tree from {@code /proc}, in nanoseconds: its own threads ({@code utime +
   * stime}), and the rest of the tree: the children it reaped ({@code cutime + cstime}) and every
   * live descendant with what they reaped.
   */
  record TreeCpu(long self, long tree) {
    static TreeCpu of(long pid) throws IOException {
      long[] own = stat(pid);
      long tree = own[2] + own[3];
      for (long child : descendants(pid)) {
        long[] s = stat(child);
        tree += s[0] + s[1] + s[2] + s[3];
      }
      return new TreeCpu((own[0] + own[1]) * TICK_NANOS, tree * TICK_NANOS);
    }
  }

  /** utime, stime, cutime, cstime of a process, in ticks (zeros once it is gone). */
  static long[] stat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state=0 ppid=1 … utime=11 stime=12 cutime=13 cstime=14
      return new long[] {
        Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])
      };
    } catch (IOException | RuntimeException e) {
      return new long[4];
    }
  }

  /** The parent pid of a process, or -1 once it is gone. */
  static long ppid(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return Long.parseLong(s.substring(s.lastIndexOf(')') + 2).split(" ")[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The live children of {@code pid}. */
  static List<Long> children(long pid) throws IOException {
    List<Long> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.isEmpty() && Character.isDigit(n.charAt(0))) {
          long child = Long.parseLong(n);
          if (ppid(child) == pid) {
            out.add(child);
          }
        }
      }
    }
    return out;
  }

  /** Every live descendant of {@code pid}. */
  static List<Long> descendants(long pid) throws IOException {
    Map<Long, Long> parents = new java.util.HashMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.isEmpty() && Character.isDigit(n.charAt(0))) {
          long id = Long.parseLong(n);
          parents.put(id, ppid(id));
        }
      }
    }
    List<Long> out = new ArrayList<>();
    List<Long> frontier = new ArrayList<>(List.of(pid));
    while (!frontier.isEmpty()) {
      List<Long> next = new ArrayList<>();
      for (var e : parents.entrySet()) {
        if (frontier.contains(e.getValue())) {
          next.add(e.getKey());
        }
      }
      out.addAll(next);
      frontier = next;
    }
    return out;
  }

  /**
   * Waits until the helper's tree has used no CPU for 300 ms (a refill has finished warming up), at
   * most 15 s.
   */
  private static void settle(HelperProcess helper) throws Exception {
    settle(helper, 15);
  }

  /** {@link #settle(HelperProcess)} with a bound of {@code seconds}. */
  private static void settle(HelperProcess helper, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    TreeCpu last = TreeCpu.of(helper.pid());
    while (System.nanoTime() < deadline) {
      Thread.sleep(300); // the quiet interval that counts as settled
      TreeCpu now = TreeCpu.of(helper.pid());
      if (now.tree() == last.tree()
          && now.self() - last.self() <= TICK_NANOS
          && !anyRunnable(helper.pid())) {
        return;
      }
      last = now;
    }
  }

  /**
   * Whether a thread of the helper's descendants is runnable: on a loaded machine a pooled init
   * spawned at a low priority may get no CPU for a while, which is not the same as done.
   */
  private static boolean anyRunnable(long pid) throws IOException {
    for (long d : descendants(pid)) {
      try (DirectoryStream<Path> tasks =
          Files.newDirectoryStream(Path.of("/proc", Long.toString(d), "task"))) {
        for (Path t : tasks) {
          try {
            String s = Files.readString(t.resolve("stat"));
            char state = s.charAt(s.lastIndexOf(')') + 2);
            if (state == 'R' || state == 'D') {
              return true;
            }
          } catch (IOException | RuntimeException e) {
            // That thread ended.
          }
        }
      } catch (IOException e) {
        // That process ended.
      }
    }
    return false;
  }

  // ---- crun and runc ---------------------------------------------------------------------------

  /** An OCI runtime with its bundle. */
  private final class Oci {
    final String name;
    final Path bundle;
    final Path state;
    int n;

    Oci(String name, Path bundle, Path state) {
      this.name = name;
      this.bundle = bundle;
      this.state = state;
    }

    /** One {@code run}: wall nanos, and the CPU of its whole tree (it reaps its container). */
    long[] runOnce() throws Exception {
      String id = "glasshouse-bench-" + name + "-" + ProcessHandle.current().pid() + "-" + n++;
      long[] c0 = stat(ProcessHandle.current().pid());
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(name, "--root", state.toString(), "run", "-b", bundle.toString(), id)
              .redirectErrorStream(true)
              .start();
      byte[] said = p.getInputStream().readAllBytes();
      int code = p.waitFor();
      long t = System.nanoTime() - t0;
      long[] c1 = stat(ProcessHandle.current().pid());
      if (code != 0) {
        throw new IOException(
            name + " run failed with status " + code + ": " + new String(said).strip());
      }
      return new long[] {t, (c1[2] + c1[3] - c0[2] - c0[3]) * TICK_NANOS};
    }
  }

  /** A bundle of {@code crun spec}'s default spec, {@code /bin/true}, level 12's limits. */
  private Path bundle(Path work, Path rootfs, String runtime) throws Exception {
    Path bundle = work.resolve(runtime + "-bundle");
    Files.createDirectories(bundle);
    exec(List.of(runtime, "spec"), bundle);
    ObjectNode spec = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
    ObjectNode process = (ObjectNode) spec.get("process");
    process.put("terminal", false);
    ArrayNode args = process.putArray("args");
    args.add("/bin/true");
    ((ObjectNode) spec.get("root")).put("path", rootfs.toString());
    ObjectNode linux = (ObjectNode) spec.get("linux");
    ObjectNode res =
        linux.has("resources") ? (ObjectNode) linux.get("resources") : linux.putObject("resources");
    res.putObject("memory").put("limit", 64L << 20);
    res.putObject("pids").put("limit", 32);
    json.writeValue(bundle.resolve("config.json").toFile(), spec);
    return bundle;
  }

  private static final Path UNIFIED = Path.of("/sys/fs/cgroup/unified");

  /**
   * The one thread crun and runc are started from. On a hybrid host it has a private mount
   * namespace with the cgroup2 mount detached: crun refuses hybrid hosts ("cgroups in hybrid mode
   * not supported"), and the runtimes' processes inherit the thread's namespace. The host's mounts
   * are untouched.
   */
  private static ExecutorService ociThread() throws Exception {
    ExecutorService ex =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "glasshouse-bench-oci");
              t.setDaemon(true);
              return t;
            });
    if (Files.exists(UNIFIED.resolve("cgroup.controllers"))) {
      Future<?> f =
          ex.submit(
              () -> {
                JnaSyscalls sys = new JnaSyscalls();
                sys.unshare(Flags.CLONE_NEWNS);
                sys.mount(null, "/", null, Flags.MS_REC | Flags.MS_PRIVATE, null);
                sys.umount2(UNIFIED.toString(), Flags.MNT_DETACH);
                return null;
              });
      f.get();
    }
    return ex;
  }

  // ---- small things ----------------------------------------------------------------------------

  private static void exec(List<String> cmd) throws Exception {
    exec(cmd, null);
  }

  private static void exec(List<String> cmd, Path dir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Process p = pb.start();
    byte[] said = p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + new String(said).strip());
    }
  }

  /**
   * Wall time and CPU of a whole process (its output discarded; it must succeed): the CPU is what
   * this process's reaped children gained ({@code cutime + cstime}), so nothing else may end
   * meanwhile.
   */
  private static long[] timedWithCpu(List<String> cmd) throws Exception {
    return timedWithCpu(cmd, Map.of());
  }

  private static long[] timedWithCpu(List<String> cmd, Map<String, String> env) throws Exception {
    long[] c0 = stat(ProcessHandle.current().pid());
    long t = timed(cmd, env);
    long[] c1 = stat(ProcessHandle.current().pid());
    return new long[] {t, (c1[2] + c1[3] - c0[2] - c0[3]) * TICK_NANOS};
  }

  /** Wall time of a whole process, its output discarded; it must succeed. */
  private static long timed(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    byte[] said = p.getInputStream().readAllBytes();
    int code = p.waitFor();
    long t = System.nanoTime() - t0;
    if (code != 0) {
      throw new IOException(
          String.join(" ", cmd) + " failed (" + code + "): " + new String(said).strip());
    }
    return t;
  }

  private static boolean onPath(String cmd) {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/bin:/usr/sbin:/sbin" : path).split(":")) {
      if (Files.isExecutable(Path.of(dir, cmd))) {
        return true;
      }
    }
    return false;
  }

  /** A numeric field of a {@code /proc} file ({@code Pss:}, {@code VmRSS:}: kB), 0 if absent. */
  private static long field(Path file, String name) throws IOException {
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }

  /** The load averages, as {@code load 1.23 0.98 0.75}. */
  static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return "load " + f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "load unknown";
    }
  }

  private void row(String what, List<Long> nanos, long crun, long runc) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    long med = s.get(s.size() / 2);
    out.printf(
        Locale.ROOT,
        "  %-22s median %7.1f ms   p10 %7.1f   p90 %7.1f   max %7.1f%s%s%n",
        what,
        ms(med),
        ms(s.get(s.size() / 10)),
        ms(s.get((int) (s.size() * 0.9))),
        ms(s.get(s.size() - 1)),
        crun > 0 ? String.format(Locale.ROOT, "   %5.2f× crun", (double) med / crun) : "",
        runc > 0 ? String.format(Locale.ROOT, "   %5.2f× runc", (double) med / runc) : "");
  }

  private void spread(String what, List<Long> nanos) {
    row(what, nanos, 0, 0);
  }

  /** The CPU line under a command line's row: its whole process tree's, from {@code wait4}. */
  private void cpu(List<Long> nanos) {
    out.printf(
        Locale.ROOT,
        "  %-22s median %7.1f ms   min %7.1f   max %7.1f   (CPU, 10 ms ticks)%n",
        "  its CPU",
        ms(median(nanos)),
        ms(Collections.min(nanos)),
        ms(Collections.max(nanos)));
  }

  private static String verdict(boolean met) {
    return met ? "MET" : "NOT MET";
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static double ms(double nanos) {
    return nanos / 1e6;
  }

  static long median(List<Long> v) {
    List<Long> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  static double mean(List<Long> v) {
    return v.stream().mapToLong(Long::longValue).average().orElse(0);
  }
}
