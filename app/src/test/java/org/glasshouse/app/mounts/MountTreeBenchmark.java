package org.glasshouse.app.mounts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Navigator;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.presenter.Appearance;
import org.glasshouse.protocol.inspect.MountsEvent;
import org.glasshouse.protocol.inspect.MountsResult;

/**
 * Benchmark, not a test: the Mounts tab showing the 1,000-mount host of the fixture, on the FX
 * thread, each figure one event applied and the scene's CSS and layout pass done — (a) a live
 * change (the fixture's five, and each one undone, in turn), the way the tab updates; next to (b)
 * the whole tab built afresh from the same table, the way a view that rebuilt its tree on every
 * change would pay each time. Prints median, 90th percentile and range. Runs headless on Monocle:
 *
 * <pre>
 * ./mvnw -B -q -o -pl app -am test-compile dependency:build-classpath \
 *   -Dspotless.check.skip=true -Dmdep.outputFile=/tmp/gh.cp &amp;&amp;
 * java -Dtestfx.headless=true -Dglass.platform=Monocle -Dmonocle.platform=Headless \
 *   -Dprism.order=sw -Dheadless.geometry=1920x1200-32 \
 *   -cp app/target/test-classes:app/target/classes:$(cat /tmp/gh.cp) \
 *   org.glasshouse.app.mounts.MountTreeBenchmark
 * </pre>
 */
public final class MountTreeBenchmark {
  private static final int CHANGES = 400;
  private static final int REBUILDS = 40;

  private MountTreeBenchmark() {}

  public static void main(String[] args) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Platform.startup(started::countDown);
    started.await();
    Recording r = Recording.load("host-mounts-1000");
    List<MountsResult.Mount> table = r.mountsResults().get("host").entries();
    List<MountsResult.Diff> changes = new ArrayList<>();
    for (LabEvent.Mounts e : r.events(LabEvent.Mounts.class).subList(1, 6)) {
      changes.add(e.mounts().diff());
    }
    // Each change, then its undoing, so the table stays the same size however long it runs.
    List<MountsResult.Diff> cycle = new ArrayList<>();
    for (MountsResult.Diff d : changes) {
      cycle.add(d);
    }
    for (int i = changes.size() - 1; i >= 0; i--) {
      cycle.add(undo(changes.get(i)));
    }

    Stage[] stage = new Stage[1];
    FakeLabService lab = new FakeLabService();
    MountsViewModel vm = onFx(() -> new MountsViewModel(lab, Runnable::run, id -> null));
    onFx(
        () -> {
          stage[0] = new Stage();
          MountsView view = new MountsView(vm, new Navigator());
          TabPane tabs = new TabPane(view.tab());
          view.node().getStyleClass().add("glasshouse");
          Scene scene = new Scene(tabs, 1366, 600);
          new Appearance(scene);
          stage[0].setScene(scene);
          stage[0].show();
          vm.setActive(true);
          lab.emit(MountsFixtures.hostTable(table));
          pass(scene);
          return null;
        });
    System.out.printf(Locale.ROOT, "host table: %d mounts%n", table.size());

    List<Double> incremental = new ArrayList<>();
    for (int i = 0; i < CHANGES; i++) {
      MountsResult.Diff d = cycle.get(i % cycle.size());
      incremental.add(
          onFx(
              () -> {
                long t0 = System.nanoTime();
                lab.emit(new LabEvent.Mounts("host", new MountsEvent(1, table.size(), d)));
                pass(stage[0].getScene());
                return (System.nanoTime() - t0) / 1e6;
              }));
    }

    List<Double> rebuild = new ArrayList<>();
    for (int i = 0; i < REBUILDS; i++) {
      rebuild.add(
          onFx(
              () -> {
                long t0 = System.nanoTime();
                FakeLabService fresh = new FakeLabService();
                MountsViewModel v = new MountsViewModel(fresh, Runnable::run, id -> null);
                MountsView view = new MountsView(v, new Navigator());
                view.node().getStyleClass().add("glasshouse");
                stage[0].getScene().setRoot(new TabPane(view.tab()));
                v.setActive(true);
                fresh.emit(MountsFixtures.hostTable(table));
                pass(stage[0].getScene());
                return (System.nanoTime() - t0) / 1e6;
              }));
    }
    print("(a) a live change, incremental", incremental.subList(20, incremental.size()));
    print("(b) the tab rebuilt from the table", rebuild.subList(5, rebuild.size()));
    Platform.exit();
  }

  private static void pass(Scene scene) {
    scene.getRoot().applyCss();
    scene.getRoot().layout();
  }

  private static MountsResult.Diff undo(MountsResult.Diff d) {
    List<MountsResult.Change> back = new ArrayList<>();
    for (MountsResult.Change c : d.changed()) {
      back.add(new MountsResult.Change(c.after(), c.before(), c.fields()));
    }
    return new MountsResult.Diff("previous", d.removed(), d.added(), back);
  }

  private static void print(String what, List<Double> ms) {
    List<Double> s = new ArrayList<>(ms);
    Collections.sort(s);
    System.out.printf(
        Locale.ROOT,
        "%-40s n=%3d  median %7.2f ms  p90 %7.2f ms  min %7.2f  max %7.2f%n",
        what,
        s.size(),
        s.get(s.size() / 2),
        s.get((int) (s.size() * 0.9)),
        s.get(0),
        s.get(s.size() - 1));
  }

  private static <T> T onFx(Supplier<T> task) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          try {
            f.complete(task.get());
          } catch (RuntimeException e) {
            f.completeExceptionally(e);
          }
        });
    return f.get();
  }
}
