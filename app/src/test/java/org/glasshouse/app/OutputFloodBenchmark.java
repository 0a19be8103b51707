package org.glasshouse.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabService;
import org.glasshouse.protocol.RunSpec;

/**
 * Benchmark, not a test: twenty containers stream output at full speed into the main window (each
 * with its terminal open) while a probe measures how late the FX thread runs a task posted every 16
 * ms. Prints the figures. Runs headless on Monocle:
 *
 * <pre>
 * ./mvnw -B -q -o -pl runtime-helper,app -am test-compile
 * (cd app &amp;&amp; ../mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/gh.cp) &amp;&amp;
 * java -Dtestfx.headless=true -Dglass.platform=Monocle -Dmonocle.platform=Headless \
 *   -Dprism.order=sw -Dheadless.geometry=1920x1200-32 \
 *   -cp app/target/test-classes:app/target/classes:$(cat /tmp/gh.cp) \
 *   org.glasshouse.app.OutputFloodBenchmark
 * </pre>
 */
public final class OutputFloodBenchmark {
  private static final int CONTAINERS = 20;
  private static final int SECONDS = 5;
  private static final int CHUNK = 4096;

  private OutputFloodBenchmark() {}

  public static void main(String[] args) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Platform.startup(started::countDown);
    started.await();
    FakeLabService lab = new FakeLabService();
    Path dir = Files.createTempDirectory("glasshouse-bench-");
    dir.toFile().deleteOnExit();
    AppViewModel[] vm = new AppViewModel[1];
    CompletableFuture<Void> shown = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          vm[0] = TestWindows.viewModel(lab, dir);
          MainView view = new MainView(vm[0]);
          Stage stage = new Stage();
          Scene scene = new Scene(view.root(), 1366, 768);
          view.install(scene);
          stage.setScene(scene);
          stage.show();
          shown.complete(null);
        });
    shown.get(10, TimeUnit.SECONDS);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < CONTAINERS; i++) {
      String id = String.format("%012x", i + 1);
      ids.add(id);
      lab.onRun = s -> CompletableFuture.completedFuture(new LabService.Started(id, 1000));
      RunSpec spec =
          RunSpec.builder()
              .image("busybox")
              .argv(List.of("yes"))
              .tty(true)
              .cols(100)
              .rows(30)
              .level(0)
              .build();
      CompletableFuture.supplyAsync(
              () -> vm[0].containers().run(spec, Boolean.getBoolean("bench.noTerminals")),
              Fx.EXECUTOR)
          .thenCompose(f -> f)
          .get(10, TimeUnit.SECONDS);
    }
    byte[] line =
        "y glasshouse output flood 0123456789 abcdefghijklmnopqrstuvwxyz\r\n"
            .getBytes(StandardCharsets.UTF_8);
    byte[] chunk = new byte[CHUNK];
    for (int i = 0; i < CHUNK; i++) {
      chunk[i] = line[i % line.length];
    }
    AtomicLong bytes = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    // One producer, as in the app: one reader thread decodes everything the helper sends.
    Thread producer =
        new Thread(
            () -> {
              while (System.nanoTime() < end) {
                for (String id : ids) {
                  lab.emit(new LabEvent.Output(id, "pty", chunk));
                  bytes.addAndGet(CHUNK);
                }
              }
            });
    producer.start();
    List<Long> lateness = new ArrayList<>();
    while (System.nanoTime() < end) {
      long posted = System.nanoTime();
      CountDownLatch ran = new CountDownLatch(1);
      Platform.runLater(
          () -> {
            lateness.add(System.nanoTime() - posted);
            ran.countDown();
          });
      if (!ran.await(30, TimeUnit.SECONDS)) {
        System.out.println("the FX thread did not run a task for 30 s: starved");
        System.exit(1);
      }
      Thread.sleep(16);
    }
    producer.join();
    long[] l = lateness.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("containers            %d%n", CONTAINERS);
    System.out.printf(
        "output offered        %.1f MiB/s%n", bytes.get() / (1024.0 * 1024) / SECONDS);
    System.out.printf("FX task lateness p50  %.1f ms%n", l[l.length / 2] / 1e6);
    System.out.printf("FX task lateness p99  %.1f ms%n", l[(int) (l.length * 0.99)] / 1e6);
    System.out.printf("FX task lateness max  %.1f ms%n", Arrays.stream(l).max().orElse(0) / 1e6);
    Platform.exit();
    System.exit(0);
  }
}
