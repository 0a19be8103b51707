package org.glasshouse.app.cgroups;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.glasshouse.app.presenter.Appearance;

/**
 * Benchmark, not a test: the cgroup charts' rendering cost. Feeds 20 containers × 5 series (CPU
 * cores, throttled, memory, swap, pids) at 10 Hz into a chart backend filling a 1366×768 window,
 * and measures on the FX thread:
 *
 * <ul>
 *   <li><b>frame time</b>: the FX thread's CPU time per frame, i.e. between two consecutive pulses
 *       (an {@link AnimationTimer} keeps pulses coming at 60 Hz) — everything the FX thread did for
 *       that frame: the samples handed over, CSS, layout, the charts' drawing, the scene sync. p99
 *       under 16.7 ms = the FX thread keeps up with 60 frames/s. CPU time, not wall time, so other
 *       engineers' load on this shared machine does not count as our cost;
 *   <li><b>pulse interval</b> (wall clock): what a viewer sees; stretches when the FX thread or the
 *       render thread falls behind, or when the machine is busy;
 *   <li><b>FX busy %</b> and <b>render busy %</b>: CPU time of the FX thread and of the Prism
 *       render thread over the measured wall time.
 * </ul>
 *
 * Backends are interleaved run by run so machine noise hits them alike; each run gets a fresh
 * window, a few seconds of warm-up (the first 60 s window fills too), then the measured seconds.
 * Prints every run, then per backend the median and the spread (min–max) of each figure.
 *
 * <pre>
 * ./mvnw -B -q -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/gh.cp
 * xvfb-run -s '-screen 0 1920x1080x24' java -cp app/target/test-classes:app/target/classes:$(cat /tmp/gh.cp) \
 *   org.glasshouse.app.cgroups.ChartsBenchmark [--backends fx,chartfx,view] [--runs 5] [--seconds 60]
 * </pre>
 *
 * <p>{@code fx} and {@code chartfx} are the two candidates, bare; {@code view} is the charts as
 * built ({@link ViewBackend}): the Charts tab's view, fed through the app's telemetry path.
 */
public final class ChartsBenchmark {
  static final int CONTAINERS = 20;
  static final int SERIES = 5;
  static final int HZ = 10;
  static final int WINDOW_SECONDS = 60;

  /** A chart implementation under test. Called on the FX thread only. */
  interface Backend {
    /** Builds the charts: {@code SERIES} charts of {@code CONTAINERS} lines each. */
    Parent build();

    /**
     * Appends one sample of every container at {@code t} seconds: {@code
     * values[series][container]}.
     */
    void append(double t, double[][] values);

    /** Charts are discarded; release what they hold. */
    default void dispose() {}
  }

  private record Figures(
      double frameP50,
      double frameP99,
      double frameMax,
      double intervalP50,
      double intervalP99,
      double fxBusy,
      double renderBusy,
      int frames) {}

  private ChartsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    List<String> backends = List.of(opts.getOrDefault("backends", "fx,chartfx").split(","));
    int runs = Integer.parseInt(opts.getOrDefault("runs", "5"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "8"));
    CountDownLatch up = new CountDownLatch(1);
    Platform.startup(up::countDown);
    up.await();
    Platform.setImplicitExit(false);
    System.out.printf(
        Locale.ROOT,
        "charts benchmark: %d containers x %d series at %d Hz, %d s measured after %d s warm-up,"
            + " %d runs per backend, interleaved; prism %s; %d CPUs; load %s%n",
        CONTAINERS,
        SERIES,
        HZ,
        seconds,
        warmup,
        runs,
        System.getProperty("prism.order", "default"),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    Map<String, List<Figures>> all = new LinkedHashMap<>();
    for (int r = 1; r <= runs; r++) {
      for (String b : backends) {
        Figures f = run(backend(b), warmup, seconds);
        all.computeIfAbsent(b, k -> new ArrayList<>()).add(f);
        System.out.printf(
            Locale.ROOT,
            "run %d %-8s frame p50 %5.2f ms p99 %6.2f ms max %6.2f ms | interval p50 %5.2f p99"
                + " %6.2f ms | FX busy %5.1f %% | render busy %5.1f %% | %d frames | load %s%n",
            r,
            b,
            f.frameP50,
            f.frameP99,
            f.frameMax,
            f.intervalP50,
            f.intervalP99,
            f.fxBusy,
            f.renderBusy,
            f.frames,
            loadAverage());
      }
    }
    System.out.println();
    System.out.println("median [min–max] over " + runs + " runs:");
    for (var e : all.entrySet()) {
      List<Figures> fs = e.getValue();
      System.out.printf(
          Locale.ROOT,
          "%-8s frame p50 %s ms, p99 %s ms | interval p50 %s ms, p99 %s ms | FX busy %s %% |"
              + " render busy %s %%%n",
          e.getKey(),
          spread(fs, Figures::frameP50),
          spread(fs, Figures::frameP99),
          spread(fs, Figures::intervalP50),
          spread(fs, Figures::intervalP99),
          spread(fs, Figures::fxBusy),
          spread(fs, Figures::renderBusy));
    }
    Platform.exit();
    System.exit(0);
  }

  static Backend backend(String name) {
    return switch (name) {
      case "fx" -> new FxLineChartBackend();
      case "chartfx" -> new ChartFxBackend();
      case "view" -> new ViewBackend();
      default -> throw new IllegalArgumentException("unknown backend " + name);
    };
  }

  private static Figures run(Backend backend, int warmup, int seconds) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long[] fxThread = new long[1];
    Stage[] stage = new Stage[1];
    CompletableFuture<Void> shown = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          fxThread[0] = Thread.currentThread().getId();
          stage[0] = new Stage();
          // The app's theme and stylesheets, as the window has them: without them every lookup
          // of the charts' CSS fails (and is logged) on each pass, which is not what users run.
          Scene scene = new Scene(backend.build(), 1366, 768);
          new Appearance(scene);
          stage[0].setScene(scene);
          stage[0].show();
          shown.complete(null);
        });
    shown.get(600, TimeUnit.SECONDS);

    // The feeder: one batch of samples every 100 ms, handed to the FX thread the way the app's
    // EventBatcher does (one runLater per batch), each container a random walk.
    Random rnd = new Random(42);
    double[][] level = new double[SERIES][CONTAINERS];
    for (double[] l : level) {
      Arrays.setAll(l, i -> rnd.nextDouble());
    }
    long t0 = System.nanoTime();
    ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
    // Pre-fill the 60 s window so the measured frames draw full lines from the start.
    double[][][] history = new double[WINDOW_SECONDS * HZ][][];
    for (int i = 0; i < history.length; i++) {
      history[i] = step(level, rnd);
    }
    CompletableFuture<Void> filled = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          for (int i = 0; i < history.length; i++) {
            backend.append((i - history.length) / (double) HZ, history[i]);
          }
          filled.complete(null);
        });
    filled.get(600, TimeUnit.SECONDS);
    feeder.scheduleAtFixedRate(
        () -> {
          double t = (System.nanoTime() - t0) / 1e9;
          double[][] v = step(level, rnd);
          Platform.runLater(() -> backend.append(t, v));
        },
        0,
        1000 / HZ,
        TimeUnit.MILLISECONDS);

    AtomicBoolean measuring = new AtomicBoolean(false);
    long[] frameCpu = new long[seconds * 200];
    long[] interval = new long[seconds * 200];
    int[] n = {0};
    long[] last = {0, 0};
    AnimationTimer pulses =
        new AnimationTimer() {
          @Override
          public void handle(long now) {
            long cpu = mx.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            if (measuring.get() && last[0] != 0 && n[0] < frameCpu.length) {
              frameCpu[n[0]] = cpu - last[0];
              interval[n[0]] = wall - last[1];
              n[0]++;
            }
            last[0] = cpu;
            last[1] = wall;
          }
        };
    Platform.runLater(pulses::start);
    Thread.sleep(warmup * 1000L); // warm-up: the JIT settles, frames are not counted yet

    long renderId = renderThread();
    long fxCpu0 = mx.getThreadCpuTime(fxThread[0]);
    long renderCpu0 = renderId < 0 ? 0 : mx.getThreadCpuTime(renderId);
    long wall0 = System.nanoTime();
    measuring.set(true);
    Thread.sleep(seconds * 1000L); // the measurement: the pulses count their frames meanwhile
    measuring.set(false);
    long wall = System.nanoTime() - wall0;
    long fxCpu = mx.getThreadCpuTime(fxThread[0]) - fxCpu0;
    long renderCpu = renderId < 0 ? 0 : mx.getThreadCpuTime(renderId) - renderCpu0;

    feeder.shutdownNow();
    feeder.awaitTermination(5, TimeUnit.SECONDS);
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          pulses.stop();
          stage[0].close();
          backend.dispose();
          closed.complete(n[0]);
        });
    int frames = closed.get(600, TimeUnit.SECONDS);
    long[] f = Arrays.copyOf(frameCpu, frames);
    long[] iv = Arrays.copyOf(interval, frames);
    Arrays.sort(f);
    Arrays.sort(iv);
    System.gc();
    return new Figures(
        pct(f, 50) / 1e6,
        pct(f, 99) / 1e6,
        pct(f, 100) / 1e6,
        pct(iv, 50) / 1e6,
        pct(iv, 99) / 1e6,
        fxCpu * 100.0 / wall,
        renderCpu * 100.0 / wall,
        frames);
  }

  /** Moves every series one step on its random walk; returns {@code values[series][container]}. */
  private static double[][] step(double[][] level, Random rnd) {
    double[][] v = new double[SERIES][CONTAINERS];
    for (int s = 0; s < SERIES; s++) {
      for (int c = 0; c < CONTAINERS; c++) {
        level[s][c] = Math.max(0, Math.min(1, level[s][c] + (rnd.nextDouble() - 0.5) * 0.1));
        v[s][c] = level[s][c] * scale(s);
      }
    }
    return v;
  }

  /** Rough magnitudes of the five series: cores, throttled s/s, bytes, bytes, tasks. */
  static double scale(int series) {
    return switch (series) {
      case 0 -> 2;
      case 1 -> 1;
      case 2 -> 256.0 * (1 << 20);
      case 3 -> 64.0 * (1 << 20);
      default -> 64;
    };
  }

  private static long renderThread() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("QuantumRenderer")) {
        return t.getId();
      }
    }
    return -1;
  }

  private static long pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static String spread(List<Figures> fs, java.util.function.ToDoubleFunction<Figures> f) {
    double[] v = fs.stream().mapToDouble(f).sorted().toArray();
    double median =
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return String.format(Locale.ROOT, "%.2f [%.2f–%.2f]", median, v[0], v[v.length - 1]);
  }

  private static String loadAverage() {
    return String.format(
        Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return m;
  }
}
