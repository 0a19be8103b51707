package org.glasshouse.app.glasshouse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.presenter.Appearance;

/**
 * Benchmark, not a test: the glass house drawing twenty running level-12 containers side by side
 * while their recorded event streams (telemetry, namespaces, mounts; {@code bench-10hz}, three
 * containers recorded at 100 ms, copied seven times under new ids and namespace inodes) arrive at
 * 10 Hz for {@link #SECONDS} seconds, after {@link #WARMUP_SECONDS} seconds of the same unmeasured.
 * Prints, per pulse that had work, the FX thread's CPU time (the model's diff, CSS, layout) and the
 * wall time of the pulse's CSS + layout pass, as p50/p99/max, and how busy the FX thread was
 * overall. Runs headless on Monocle:
 *
 * <pre>
 * ./mvnw -B -q -o -pl app -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/gh.cp
 * java -Dtestfx.headless=true -Dglass.platform=Monocle -Dmonocle.platform=Headless \
 *   -Dprism.order=sw -Dheadless.geometry=1920x1200-32 \
 *   -cp app/target/test-classes:app/target/classes:$(cat /tmp/gh.cp) \
 *   org.glasshouse.app.glasshouse.GlassHouseBenchmark [WIDTH HEIGHT [presenter]]
 * </pre>
 */
public final class GlassHouseBenchmark {
  private static final int CONTAINERS = 20;
  private static final int SECONDS = 20;
  private static final int WARMUP_SECONDS = 5;
  private static final long TICK_MS = 100;
  private static final Pattern ID = Pattern.compile("\"container\":\"([0-9a-f]{12})\"");
  private static final Pattern OWN_NS =
      Pattern.compile("\\{\"inode\":(\\d+),\"sameAsHost\":false\\}");

  /**
   * Per measured frame: FX CPU in all, before the CSS + layout pass (events, the model's diff, the
   * last frame's hand-over to the renderer), in that pass, and the scenes published since the last
   * frame. The costliest are printed: what a spike is made of.
   */
  private static final List<long[]> FRAMES = new ArrayList<>();

  private GlassHouseBenchmark() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } finally {
      Platform.exit();
      // The fake helper's timer threads would keep a JVM that only measured alive.
      System.exit(0);
    }
  }

  private static void run(String[] args) throws Exception {
    int width = args.length > 1 ? Integer.parseInt(args[0]) : 1920;
    int height = args.length > 1 ? Integer.parseInt(args[1]) : 1080;
    // "presenter": its stylesheet and style class, so the view chooses its presenter layout.
    boolean presenter = args.length > 2 && args[2].equals("presenter");
    Recording twenty = twenty();
    CountDownLatch up = new CountDownLatch(1);
    Platform.startup(up::countDown);
    up.await();

    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    List<Long> cpuPerFrame = new ArrayList<>();
    List<Long> layoutPerFrame = new ArrayList<>();
    long[] fxThread = {0};
    long[] lastCpu = {0};
    long[] preLayout = {0};
    long[] preCpu = {0};
    long[] scenes = {0};
    boolean[] measuring = {false};
    FixtureLab[] lab = {null};
    CompletableFuture<Void> shown = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          fxThread[0] = Thread.currentThread().getId();
          FixtureLab f = new FixtureLab(Fx.EXECUTOR);
          lab[0] = f;
          f.vm.sceneProperty().addListener((o, a, b) -> scenes[0]++);
          GlassHouseView view = new GlassHouseView(f.vm);
          BorderPane root = new BorderPane(view.node());
          root.getStyleClass().add("glasshouse");
          Scene scene = new Scene(root, width, height);
          new Appearance(scene);
          if (presenter) {
            scene.getStylesheets().add(Appearance.PRESENTER_CSS);
            root.getStyleClass().add("presenter");
          }
          scene.addPreLayoutPulseListener(
              () -> {
                preLayout[0] = System.nanoTime();
                preCpu[0] = mx.getCurrentThreadCpuTime();
              });
          scene.addPostLayoutPulseListener(
              () -> {
                long cpu = mx.getCurrentThreadCpuTime();
                if (measuring[0] && cpu > lastCpu[0]) {
                  cpuPerFrame.add(cpu - lastCpu[0]);
                  layoutPerFrame.add(System.nanoTime() - preLayout[0]);
                  FRAMES.add(
                      new long[] {
                        cpu - lastCpu[0], preCpu[0] - lastCpu[0], cpu - preCpu[0], scenes[0]
                      });
                }
                scenes[0] = 0;
                lastCpu[0] = cpu;
              });
          Stage stage = new Stage();
          stage.setScene(scene);
          stage.show();
          shown.complete(null);
        });
    shown.get(30, TimeUnit.SECONDS);
    FixtureLab f = lab[0];

    // Set-up, not measured: the twenty containers start (their step logs), get inspected, show.
    List<LabEvent> stream = new ArrayList<>();
    CompletableFuture<Void> setUp = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          try {
            setUpOnFx(f, twenty, stream);
            setUp.complete(null);
          } catch (RuntimeException e) {
            setUp.completeExceptionally(e);
          }
        });
    setUp.get(60, TimeUnit.SECONDS);
    settle();
    int shownHouses = onFx(() -> f.scene().houses().size());
    measure(
        f,
        stream,
        shownHouses,
        width,
        height,
        mx,
        cpuPerFrame,
        layoutPerFrame,
        fxThread,
        lastCpu,
        measuring);
  }

  private static void setUpOnFx(FixtureLab f, Recording twenty, List<LabEvent> stream) {
    f.lab.answerFrom(twenty);
    for (LabEvent e : twenty.events()) {
      if (e instanceof LabEvent.Exited || e instanceof LabEvent.Removed) {
        continue;
      }
      if (e instanceof LabEvent.Telemetry
          || e instanceof LabEvent.Namespaces
          || e instanceof LabEvent.Mounts) {
        stream.add(e);
      } else {
        f.lab.emit(e);
      }
    }
    f.select(twenty.events(LabEvent.Started.class).get(0).container());
  }

  private static void measure(
      FixtureLab f,
      List<LabEvent> stream,
      int shownHouses,
      int width,
      int height,
      ThreadMXBean mx,
      List<Long> cpuPerFrame,
      List<Long> layoutPerFrame,
      long[] fxThread,
      long[] lastCpu,
      boolean[] measuring)
      throws Exception {

    // Ticks: the k-th event of each container's stream in tick k, as the helper sends them.
    Map<String, List<LabEvent>> perContainer = new LinkedHashMap<>();
    for (LabEvent e : stream) {
      perContainer.computeIfAbsent(e.container(), k -> new ArrayList<>()).add(e);
    }
    int longest = perContainer.values().stream().mapToInt(List::size).max().orElse(0);
    List<List<LabEvent>> ticks = new ArrayList<>();
    for (int k = 0; k < longest; k++) {
      List<LabEvent> tick = new ArrayList<>();
      for (List<LabEvent> l : perContainer.values()) {
        // Telemetry is once per tick; namespaces and mounts events come between, as recorded.
        if (k < l.size()) {
          tick.add(l.get(k));
        }
      }
      ticks.add(tick);
    }

    // Warm-up, not measured: the first seconds of the stream, so that the JIT has compiled the
    // paths a frame takes and the houses' process rows have grown to their usual number.
    int tick = 0;
    long w0 = System.nanoTime();
    long due = w0;
    while (System.nanoTime() - w0 < TimeUnit.SECONDS.toNanos(WARMUP_SECONDS)) {
      for (LabEvent e : ticks.get(tick++ % ticks.size())) {
        f.lab.emit(e);
      }
      due += TimeUnit.MILLISECONDS.toNanos(TICK_MS);
      pace(due);
    }
    settle();
    onFx(
        () -> {
          lastCpu[0] = mx.getCurrentThreadCpuTime();
          measuring[0] = true;
          return null;
        });
    long fxCpu0 = mx.getThreadCpuTime(fxThread[0]);
    long t0 = System.nanoTime();
    long next = t0;
    int sent = 0;
    for (int i = tick; System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(SECONDS); i++) {
      for (LabEvent e : ticks.get(i % ticks.size())) {
        f.lab.emit(e);
        sent++;
      }
      next += TimeUnit.MILLISECONDS.toNanos(TICK_MS);
      pace(next);
    }
    settle();
    long wall = System.nanoTime() - t0;
    long fxCpu = mx.getThreadCpuTime(fxThread[0]) - fxCpu0;
    onFx(
        () -> {
          measuring[0] = false;
          return null;
        });

    long[] cpu = cpuPerFrame.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] layout = layoutPerFrame.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        "glass house benchmark: %d containers shown (%d houses), %dx%d, %d events at 10 Hz"
            + " over %.1f s, %d frames with work%n",
        CONTAINERS, shownHouses, width, height, sent, wall / 1e9, cpu.length);
    System.out.printf(
        "  FX-thread work per frame (CPU): p50 %.2f ms  p99 %.2f ms  max %.2f ms"
            + "   (target p99 < 16.7 ms)%n",
        ms(pct(cpu, 50)), ms(pct(cpu, 99)), ms(cpu.length == 0 ? 0 : cpu[cpu.length - 1]));
    System.out.printf(
        "  CSS + layout pass per frame (wall): p50 %.2f ms  p99 %.2f ms  max %.2f ms%n",
        ms(pct(layout, 50)),
        ms(pct(layout, 99)),
        ms(layout.length == 0 ? 0 : layout[layout.length - 1]));
    System.out.printf("  FX thread busy: %.1f %% of the wall time%n", 100.0 * fxCpu / wall);
    List<long[]> costliest = new ArrayList<>(FRAMES);
    costliest.sort((a, b) -> Long.compare(b[0], a[0]));
    System.out.printf("  costliest frames (FX CPU = before the CSS + layout pass + in it):%n");
    for (long[] fr : costliest.subList(0, Math.min(5, costliest.size()))) {
      System.out.printf(
          "    %.2f ms = %.2f + %.2f ms, %d scenes%n", ms(fr[0]), ms(fr[1]), ms(fr[2]), fr[3]);
    }
    double scenesPerFrame = FRAMES.stream().mapToLong(fr -> fr[3]).average().orElse(0);
    System.out.printf("  scenes per frame: %.1f on average%n", scenesPerFrame);
  }

  /** Paces the stream at 10 Hz, as the helper's subscription does: sleeps until {@code due}. */
  private static void pace(long due) throws InterruptedException {
    long wait = due - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }

  /** The recording's three containers, seven times over: new ids and namespace inodes. */
  static Recording twenty() throws IOException {
    String text;
    try (InputStream in =
        GlassHouseBenchmark.class.getResourceAsStream(FixtureLab.FIXTURES + "bench-10hz.jsonl")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String[] lines = text.split("\n");
    StringBuilder out = new StringBuilder(lines[0]).append('\n');
    List<String> ids = new ArrayList<>();
    Matcher m = ID.matcher(text);
    while (m.find()) {
      if (!ids.contains(m.group(1))) {
        ids.add(m.group(1));
      }
    }
    int copies = (CONTAINERS + ids.size() - 1) / ids.size();
    int made = 0;
    List<String> kept = new ArrayList<>();
    for (int c = 0; c < copies; c++) {
      for (String id : ids) {
        if (made++ < CONTAINERS) {
          kept.add(c + ":" + id);
        }
      }
    }
    for (int c = 0; c < copies; c++) {
      int copy = c;
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i];
        Matcher lm = ID.matcher(line);
        String id = lm.find() ? lm.group(1) : null;
        if (id != null && !kept.contains(c + ":" + id)) {
          continue;
        }
        if (c > 0 && (id == null || line.startsWith("{\"id\""))) {
          // Requests and the answers without a container: once is enough, but inspect answers
          // name their container in "target" and are copied with it below.
          if (!line.contains("\"target\":\"")) {
            continue;
          }
        }
        String renamed = line;
        for (String orig : ids) {
          renamed = renamed.replace(orig, copyId(orig, copy));
        }
        Matcher nm = OWN_NS.matcher(renamed);
        StringBuilder b = new StringBuilder();
        while (nm.find()) {
          long inode = Long.parseLong(nm.group(1)) + copy * 100_000L;
          nm.appendReplacement(b, "{\"inode\":" + inode + ",\"sameAsHost\":false}");
        }
        nm.appendTail(b);
        out.append(b).append('\n');
      }
    }
    return Recording.read(
        "bench-20", new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static String copyId(String id, int copy) {
    return copy == 0 ? id : String.format("%02x", copy) + id.substring(2);
  }

  /** Lets the FX thread drain what was posted (two round trips and a pulse's time). */
  private static void settle() throws Exception {
    onFx(() -> null);
    // One pulse (60 Hz) so the last batch is laid out before the figures are read.
    Thread.sleep(50);
    onFx(() -> null);
  }

  private static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
    CompletableFuture<T> r = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          try {
            r.complete(c.call());
          } catch (Exception e) {
            r.completeExceptionally(e);
          }
        });
    return r.get(60, TimeUnit.SECONDS);
  }

  private static long pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
