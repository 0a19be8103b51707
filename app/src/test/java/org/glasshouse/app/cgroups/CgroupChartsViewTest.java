package org.glasshouse.app.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fair_acc.chartfx.XYChart;
import io.fair_acc.dataset.DataSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.shape.Line;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The charts view on its own, headless, fed the v1 fixture: what it draws (datasets, limit lines,
 * OOM flag, legend numbers with their files), and that it never blocks the FX thread on ChartFX's
 * dataset locks.
 */
@ExtendWith(ApplicationExtension.class)
class CgroupChartsViewTest {
  private CgroupChartsViewModelTest.Rig rig;
  private CgroupChartsView view;
  private Stage stage;

  @Start
  void start(Stage stage) {
    this.stage = stage;
    rig = CgroupChartsViewModelTest.Rig.replay("v1");
    rig.vm.allResourcesProperty().set(true);
    view = new CgroupChartsView(rig.vm);
    stage.setScene(new Scene(view.node(), 1366, 500));
    // The stage is the same for every test: one that narrowed it must not narrow the next.
    stage.sizeToScene();
    stage.show();
  }

  private <T> T fx(java.util.concurrent.Callable<T> c) throws Exception {
    return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
  }

  private void settle() throws Exception {
    // A few pulses: one chart is redrawn per pulse, the legend on one of its own.
    for (int i = 0; i < 12; i++) {
      WaitForAsyncUtils.waitForFxEvents();
      Thread.sleep(40); // pulses come every ~16 ms; the view redraws at most every 100 ms
    }
  }

  @Test
  void drawsTheLinesLimitsAndTheOomFlagOfTheFixture(FxRobot robot) throws Exception {
    settle();
    // CPU, memory and pids have lines; v1 has no pressure: three charts, laid out in a row.
    assertTrue(fx(() -> robot.lookup("#chart-pressure").tryQuery().isEmpty()));
    double memMax =
        fx(() -> max(robot.lookup("#chart-memory").queryAs(Parent.class), "gh-m-memory-used"));
    assertEquals(64.0, memMax, 1e-9, "MiB on the axis");
    List<String> limits =
        fx(
            () ->
                robot.lookup("#chart-memory .limit-label").queryAllAs(Label.class).stream()
                    .map(Label::getText)
                    .toList());
    // Both fixture containers have a 64 MiB limit: one line, named after the newest.
    assertTrue(limits.contains("memory limit 64.0 MiB · a0000000 and 1 more"), limits.toString());
    Label oom = fx(() -> robot.lookup("#chart-memory .oom-marker").queryAs(Label.class));
    assertNotNull(oom);
    String tip = fx(() -> ((Tooltip) oom.getProperties().get(Tooltip.class)).getText());
    assertTrue(tip.contains("memory.oom_control oom_kill"), tip);
    assertTrue(tip.contains("memory.events oom_kill"), tip);
    Line pidsMax =
        fx(() -> robot.lookup("#chart-pids .limit-line").queryAllAs(Line.class).iterator().next());
    assertTrue(fx(() -> pidsMax.getStyleClass().contains("gh-c0")));
    // Legend numbers, each with its files on hover.
    Label rejected = fx(() -> robot.lookup(".number-pids-rejected").queryAs(Label.class));
    assertTrue(fx(rejected::getText).startsWith("forks rejected "), fx(rejected::getText));
    assertTrue(fx(() -> rejected.getTooltip().getText()).contains("pids.events max"));
    Label limit = fx(() -> robot.lookup(".number-memory-limit").queryAs(Label.class));
    String files = fx(() -> limit.getTooltip().getText());
    assertTrue(files.contains("cgroup v1: memory.limit_in_bytes"), files);
    assertTrue(files.contains("cgroup v2: memory.max"), files);
    assertTrue(files.contains("this container: cgroup v1"), files);
  }

  /**
   * Level 11 in class, 1366×768 presenter, All: three charts in a row, four containers sharing the
   * 64 MiB limit. "memory limit 64.0 MiB · f341efdb and 3 more" was wider than the memory chart and
   * started left of it: the line was drawn with no name. A label too wide gives up its names, then
   * its words, and stays inside the plot; the tooltip keeps the whole text.
   */
  @Test
  void aLimitLabelWiderThanItsChartShortensInsteadOfVanishing(FxRobot robot) throws Exception {
    WaitForAsyncUtils.asyncFx(() -> stage.setWidth(760)).get(10, TimeUnit.SECONDS);
    settle();
    Label label = fx(() -> robot.lookup("#chart-memory .limit-label").queryAs(Label.class));
    assertNotNull(label, "the memory limit line has a label");
    Parent chart = fx(() -> robot.lookup("#chart-memory").queryAs(Parent.class));
    javafx.geometry.Bounds plot =
        fx(
            () -> {
              XYChart c = (XYChart) chart.getChildrenUnmodifiable().get(0);
              return c.getCanvas().localToScene(c.getCanvas().getBoundsInLocal());
            });
    javafx.geometry.Bounds at = fx(() -> label.localToScene(label.getBoundsInLocal()));
    String text = fx(label::getText);
    assertTrue(
        at.getMinX() >= plot.getMinX() - 0.5 && at.getMaxX() <= plot.getMaxX() + 0.5,
        "'" + text + "' at " + at + " inside the plot " + plot);
    assertTrue(text.contains("64.0 MiB"), text);
    assertFalse(text.equals("memory limit 64.0 MiB · a0000000 and 1 more"), "shortened: " + text);
    String tip = fx(() -> ((Tooltip) label.getProperties().get(Tooltip.class)).getText());
    assertTrue(tip.startsWith("memory limit 64.0 MiB · a0000000 and 1 more\n"), tip);
  }

  /**
   * A limit label whose text changes (the chart narrows, a second container shares the limit) is
   * drawn with its new text whole. Walked at 1366×768 presenter, level 11 after 10 (both at 64
   * MiB): the memory limit line kept the label's left bar and no text at all — the label was sized
   * for the text it had before.
   */
  @Test
  void aLimitLabelWhoseTextChangesIsDrawnWhole(FxRobot robot) throws Exception {
    settle();
    // One container shown, then both: their shared 64 MiB limit becomes one line named after the
    // newest, a label of its own.
    for (int step = 0; step < 6; step++) {
      int at = step;
      double width = new double[] {1366, 1366, 760, 760, 1100, 700}[step];
      fx(
          () -> {
            stage.setWidth(width);
            if (at % 2 == 0) {
              rig.compare.showOnly(List.of(rig.id(at / 2 % 2)));
            } else {
              rig.compare.endExperiment();
            }
            return null;
          });
      settle();
      for (Label label :
          fx(() -> List.copyOf(robot.lookup(".limit-label").queryAllAs(Label.class)))) {
        String text = fx(label::getText);
        String drawn =
            fx(
                () ->
                    label.lookupAll(".text").stream()
                        .filter(n -> n instanceof javafx.scene.text.Text)
                        .map(n -> ((javafx.scene.text.Text) n).getText())
                        .findFirst()
                        .orElse(""));
        assertFalse(text.isBlank(), width + ": a limit label with no text");
        assertEquals(text, drawn, width + ": the label drawn is not its text");
        double w = fx(label::getWidth);
        double pref = fx(() -> label.prefWidth(-1));
        assertTrue(w >= pref - 0.5, width + ": '" + text + "' " + w + " px wide of " + pref);
      }
    }
  }

  /**
   * A container's only reading is drawn, as a dot: level 09's 16 MiB Try it at 1920×1080 presenter
   * was killed within its first tenth of a second; the legend said "memory used 7.7 MiB · OOM kills
   * 1" and the chart showed the limit lines and the kill's flag, no sign of the reading (a line of
   * one point draws nothing). The lead's walk, 2026-12-05.
   */
  @Test
  void aContainersOnlyReadingIsDrawnAsADot(FxRobot robot) throws Exception {
    String id = "e00000000009";
    CgroupChartsViewModelTest.Rig r = new CgroupChartsViewModelTest.Rig(List.of(id));
    r.clock[0] = 5_000;
    r.feed(
        List.of(
            Recordings.telemetry(
                id,
                new org.glasshouse.protocol.inspect.TelemetrySample(
                    4_900,
                    1,
                    false,
                    100L,
                    null,
                    new org.glasshouse.protocol.inspect.CgroupStats(
                        "v1",
                        null,
                        new org.glasshouse.protocol.inspect.CgroupStats.Memory(
                            (long) (7.7 * (1 << 20)),
                            16L << 20,
                            (long) (7.8 * (1 << 20)),
                            0L,
                            16L << 20,
                            0L,
                            0L,
                            0L),
                        null,
                        null))),
            new org.glasshouse.app.core.LabEvent.Exited(id, null, "KILL", true, 137)));
    fx(
        () -> {
          stage.setScene(new Scene(new CgroupChartsView(r.vm).node(), 1366, 500));
          return null;
        });
    settle();
    List<javafx.scene.shape.Circle> dots =
        fx(
            () ->
                List.copyOf(
                    robot
                        .lookup("#chart-memory .chart-point")
                        .queryAllAs(javafx.scene.shape.Circle.class)));
    assertEquals(1, dots.size(), "one dot for the one reading");
    javafx.scene.shape.Circle dot = dots.get(0);
    assertTrue(fx(dot::isVisible));
    // At 7.7 MiB on a 0–17.6 MiB axis: a little under the middle of the plot.
    Parent chart = fx(() -> robot.lookup("#chart-memory").queryAs(Parent.class));
    javafx.geometry.Bounds plot =
        fx(
            () -> {
              XYChart c = (XYChart) chart.getChildrenUnmodifiable().get(0);
              return c.getCanvas().localToScene(c.getCanvas().getBoundsInLocal());
            });
    javafx.geometry.Bounds at = fx(() -> dot.localToScene(dot.getBoundsInLocal()));
    double fromBottom = (plot.getMaxY() - at.getCenterY()) / plot.getHeight();
    assertEquals(7.7 / 17.6, fromBottom, 0.05, "the dot's height in the plot");
    assertTrue(
        at.getCenterX() > plot.getMinX() + 0.8 * plot.getWidth(), "near the window's end: " + at);
  }

  /**
   * A container killed before its first reading has its kill's flag drawn, as the chart's sentence
   * says ("no line, only the kill's flag"). Walked at level 09 (1920×1080 presenter): the sentence
   * and no flag — with no line in the chart, nothing asked the chart for the layout pass that draws
   * its overlay.
   */
  @Test
  void aKillBeforeTheFirstReadingHasItsFlagDrawn(FxRobot robot) throws Exception {
    String id = "e00000000010";
    CgroupChartsViewModelTest.Rig r = new CgroupChartsViewModelTest.Rig(List.of(id));
    r.clock[0] = 5_000;
    // As level 09 shows it: the memory chart alone.
    r.vm.showLevel(9);
    fx(
        () -> {
          stage.setScene(new Scene(new CgroupChartsView(r.vm).node(), 1366, 500));
          return null;
        });
    settle();
    fx(
        () -> {
          r.feed(List.of(new org.glasshouse.app.core.LabEvent.Exited(id, null, "KILL", true, 90)));
          return null;
        });
    settle();
    String empty =
        fx(
            () ->
                robot.lookup("#chart-memory .chart-empty").queryAllAs(Label.class).stream()
                    .map(l -> l.getText() + (l.isVisible() ? "" : " (hidden)"))
                    .findFirst()
                    .orElse("no memory chart: " + r.vm.resourceProperty().get()));
    assertTrue(empty.contains("OOM-killed before its first reading"), empty);
    List<Label> flags =
        fx(() -> List.copyOf(robot.lookup("#chart-memory .oom-marker").queryAllAs(Label.class)));
    assertEquals(1, flags.size(), "the kill's flag");
    assertTrue(fx(() -> flags.get(0).isVisible() && flags.get(0).getScene() != null));
  }

  /**
   * The shortened label keeps its text from one layout pass to the next: the first way of choosing
   * set the whole text, then the short one, on every pass, and each set asked for another layout.
   */
  @Test
  void aShortenedLimitLabelKeepsItsTextFromPassToPass(FxRobot robot) throws Exception {
    WaitForAsyncUtils.asyncFx(() -> stage.setWidth(760)).get(10, TimeUnit.SECONDS);
    settle();
    Label label = fx(() -> robot.lookup("#chart-memory .limit-label").queryAs(Label.class));
    int[] sets = {0};
    fx(
        () -> {
          label.textProperty().addListener((o, a, b) -> sets[0]++);
          return null;
        });
    for (int i = 0; i < 5; i++) {
      fx(
          () -> {
            Parent chart = (Parent) robot.lookup("#chart-memory").query();
            chart.getChildrenUnmodifiable().forEach(n -> ((Parent) n).requestLayout());
            chart.getScene().getRoot().layout();
            return null;
          });
      settle();
    }
    assertEquals(0, sets[0], "the label's text was set again " + sets[0] + " times");
    assertFalse(
        fx(label::getText).equals("memory limit 64.0 MiB · a0000000 and 1 more"), "still short");
  }

  @Test
  void theContentionLineShowsBothRatios(FxRobot robot) throws Exception {
    settle();
    String text = fx(() -> robot.lookup("#contention-ratio").queryAs(Label.class).getText());
    assertEquals("Measured CPU ratio 0.49   ·   cpu.shares ratio 0.50 (512 ÷ 1024)", text);
  }

  /**
   * Under the memory chart the CPU ratio only took the chart's height (presenter mode at 1366×768
   * kept ~60 px of plot in the class walk): it shows with the CPU chart.
   */
  @Test
  void theContentionLineShowsOnlyWithTheCpuChart(FxRobot robot) throws Exception {
    settle();
    Label l = robot.lookup("#contention-ratio").queryAs(Label.class);
    assertTrue(fx(l::isVisible), "every resource shown: the CPU chart is there");
    fx(
        () -> {
          rig.vm.resourceProperty().set(Resource.MEMORY);
          rig.vm.allResourcesProperty().set(false);
          return null;
        });
    settle();
    assertFalse(fx(l::isVisible), "memory alone: no CPU ratio under it");
    fx(
        () -> {
          rig.vm.resourceProperty().set(Resource.CPU);
          return null;
        });
    settle();
    assertTrue(fx(l::isVisible), "CPU alone: the ratio");
  }

  @Test
  void aChartWhoseDatasetsAreReadLockedWaitsForThePulseInsteadOfBlocking(FxRobot robot)
      throws Exception {
    settle();
    ResourceChart cpu = view.chart(Resource.CPU);
    ChartFrame f = fx(() -> rig.vm.frame(Resource.CPU));
    boolean[] shown =
        fx(
            () -> {
              // New data, then a layout outside a pulse, as a window sizing itself does: ChartFX
              // read-locks the datasets until the next pulse has drawn them.
              assertTrue(cpu.show(f));
              XYChart chart = (XYChart) ((Parent) cpu.node()).getChildrenUnmodifiable().get(0);
              chart.invalidate();
              chart.layoutChildren();
              boolean whileLocked = cpu.show(f);
              return new boolean[] {whileLocked};
            });
    assertFalse(shown[0], "writing now would wait on the FX thread for the FX thread");
    settle();
    assertTrue(fx(() -> cpu.show(f)), "after the pulse the locks are back");
  }

  private static double max(Parent chartPane, String styleClass) {
    XYChart c = (XYChart) chartPane.getChildrenUnmodifiable().get(0);
    double max = Double.NaN;
    for (var r : c.getRenderers()) {
      for (DataSet ds : r.getDatasets()) {
        if (ds.getStyleClasses().contains(styleClass)) {
          for (int i = 0; i < ds.getDataCount(); i++) {
            if (Double.isNaN(ds.get(DataSet.DIM_Y, i))) {
              continue; // a gap
            }
            double y = ds.get(DataSet.DIM_Y, i);
            max = Double.isNaN(max) ? y : Math.max(max, y);
          }
        }
      }
    }
    return max;
  }
}
