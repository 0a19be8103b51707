package org.glasshouse.app.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fair_acc.chartfx.XYChart;
import io.fair_acc.dataset.DataSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.glasshouse.app.AppViewModel;
import org.glasshouse.app.MainView;
import org.glasshouse.app.RealHelper;
import org.glasshouse.app.TestWindows;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.core.SocketLabService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The cgroup charts in the main window against a REAL helper, driven as a student would: levels 09,
 * 12 and 08 with their experiments, and what the charts then show, read from the scene (ChartFX's
 * datasets, the overlay's limit labels and markers, the legend's numbers, the contention line).
 */
@Tag("root")
@ExtendWith(ApplicationExtension.class)
class CgroupChartsRealHelperTest {
  private static final double MIB = 1 << 20;
  private static final Pattern RATIO = Pattern.compile("Measured CPU ratio (\\d+\\.\\d+)");
  private static RealHelper helper;
  private SocketLabService lab;
  private AppViewModel vm;
  private FxRobot robot;

  @BeforeAll
  static void startHelper() throws Exception {
    helper = RealHelper.start("CgroupChartsRealHelperTest");
  }

  @AfterAll
  static void stopHelper() throws Exception {
    if (helper != null) {
      helper.close();
    }
  }

  @Start
  void start(Stage stage) {
    lab = new SocketLabService(helper.socket());
    vm = TestWindows.viewModel(lab, helper.dir().resolve("progress"), helper.socket());
    MainView view = new MainView(vm);
    Scene scene = new Scene(view.root(), 1366, 768);
    view.install(scene);
    stage.setScene(scene);
    stage.show();
    lab.start();
  }

  @AfterEach
  void stopContainers() throws Exception {
    // The experiments spin or flood: stop what still runs before the next test measures.
    List<ContainerItem> items =
        WaitForAsyncUtils.asyncFx(() -> List.copyOf(vm.containers().containers()))
            .get(10, TimeUnit.SECONDS);
    for (ContainerItem i : items) {
      lab.remove(i.id(), true).exceptionally(t -> null).get(30, TimeUnit.SECONDS);
    }
    lab.close();
  }

  private void connected(FxRobot r) {
    robot = r;
    await("the connection", 30, () -> vm.containers().connectionProperty().get().connected());
  }

  @Test
  void level09MemoryHogRisesToTheLimitLineAndAnOomMarkerAppears(FxRobot r) {
    connected(r);
    robot.interact(
        () -> {
          vm.levels().select(9);
          vm.run().commandProperty().set("awk '" + ChartWorkloads.MEMORY_HOG + "'");
          vm.run().memoryMibProperty().set("32");
          vm.run().memorySwapMibProperty().set("32");
        });
    robot.clickOn("#run");
    robot.clickOn("#charts-tab");
    await(
        "an OOM marker on the memory chart",
        60,
        () -> !visibleTexts("#chart-memory .oom-marker").isEmpty());
    String id = vm.containers().selected().id();
    double limit = vm.cgroups().history(id).latest().value(Metric.MEMORY_LIMIT);
    assertEquals(32 * MIB, limit);
    assertTrue(
        visibleTexts("#chart-memory .limit-label").contains("memory limit 32.0 MiB"),
        visibleTexts("#chart-memory .limit-label").toString());
    // The line as drawn, in the axis' MiB: up to the limit line.
    double top = onFx(() -> datasetMax("#chart-memory", "gh-m-memory-used"));
    assertTrue(top * MIB >= 0.85 * limit, "the memory line reached " + top + " MiB of 32");
  }

  @Test
  void level12ForkFloodReachesThePidsMaxLineAndForksAreRejected(FxRobot r) {
    connected(r);
    robot.interact(
        () -> {
          vm.levels().select(12);
          vm.run().commandProperty().set("awk '" + ChartWorkloads.FORK_FLOOD + "'");
          vm.run().pidsMaxProperty().set("16");
        });
    robot.clickOn("#run");
    robot.clickOn("#charts-tab");
    await(
        "the tasks line at pids.max and rejected forks in the legend",
        60,
        () ->
            datasetMax("#chart-pids", "gh-m-pids-current") == 16
                && rejected() > 0
                && !visibleTexts("#chart-pids .limit-label").isEmpty());
    assertTrue(visibleTexts("#chart-pids .limit-label").contains("pids max 16"));
    assertTrue(onFx(() -> !robot.lookup("#chart-pids .fork-rejected").queryAll().isEmpty()));
  }

  @Test
  void level08TwoBusyContainersSplitTheCpuByTheirShares(FxRobot r) {
    connected(r);
    robot.interact(() -> vm.levels().select(8));
    robot.interact(() -> robot.lookup("#try-08-contention").queryButton().fire());
    await("the charts brought into view", 30, () -> vm.charts().contentionProperty().get() != null);
    // The readout averages the last 10 s: wait until both have competed that long.
    long since = System.currentTimeMillis();
    await(
        "10 s of contention",
        60,
        () -> System.currentTimeMillis() - since > 12_000 && measuredRatioShown() > 0);
    double shown = onFx(this::measuredRatioShown);
    String text = onFx(() -> robot.lookup("#contention-ratio").queryAs(Label.class).getText());
    // The guide's {#08-contention}: shares 256 and 1024, two busy loops each.
    assertTrue(shown >= 0.1 && shown <= 0.5, "measured ratio shown: " + text);
    assertTrue(text.contains("cpu.shares ratio 0.25 (256 ÷ 1024)"), text);
    // One click from the guide: the Charts tab is in front, on CPU, showing just the pair.
    assertEquals("charts-tab", onFx(this::inFront));
    assertEquals(Resource.CPU, onFx(() -> vm.charts().resourceProperty().get()));
  }

  /** The ratio the contention line shows now, or -1. */
  private double measuredRatioShown() {
    Label l = robot.lookup("#contention-ratio").queryAs(Label.class);
    Matcher m = RATIO.matcher(l.isVisible() ? l.getText() : "");
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private long rejected() {
    for (String t : visibleTexts(".number-pids-rejected")) {
      return Long.parseLong(t.replaceAll("\\D", ""));
    }
    return 0;
  }

  /** The largest y of the datasets with {@code styleClass} in a chart, in the axis' unit. */
  private double datasetMax(String chart, String styleClass) {
    Parent pane = robot.lookup(chart).queryAs(Parent.class);
    XYChart c = (XYChart) pane.getChildrenUnmodifiable().get(0);
    double max = Double.NaN;
    for (var renderer : c.getRenderers()) {
      for (DataSet ds : renderer.getDatasets()) {
        if (ds.getStyleClasses().contains(styleClass)) {
          for (int i = 0; i < ds.getDataCount(); i++) {
            if (Double.isNaN(ds.get(DataSet.DIM_Y, i))) {
              continue; // a gap
            }
            max =
                Double.isNaN(max)
                    ? ds.get(DataSet.DIM_Y, i)
                    : Math.max(max, ds.get(DataSet.DIM_Y, i));
          }
        }
      }
    }
    return max;
  }

  private List<String> visibleTexts(String query) {
    return robot.lookup(query).queryAllAs(Label.class).stream()
        .filter(Node::isVisible)
        .filter(l -> l.getScene() != null)
        .map(Label::getText)
        .toList();
  }

  /** The id of the lower tab in front. */
  private String inFront() {
    return robot
        .lookup("#lower-tabs")
        .queryAs(javafx.scene.control.TabPane.class)
        .getSelectionModel()
        .getSelectedItem()
        .getId();
  }

  /** What the charts hold beyond the latest readings: how many, from when, which events. */
  private String histories() {
    StringBuilder b = new StringBuilder();
    for (ContainerHistory h : vm.cgroups().histories()) {
      b.append(h.id())
          .append(": ")
          .append(h.size())
          .append(" readings to ")
          .append(h.lastTimeMs())
          .append(", live ")
          .append(h.live())
          .append(", events ")
          .append(h.events())
          .append("; ");
    }
    return b.toString();
  }

  private <T> T onFx(java.util.concurrent.Callable<T> c) {
    try {
      return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void await(String what, int seconds, BooleanSupplier condition) {
    try {
      WaitForAsyncUtils.waitFor(
          seconds,
          TimeUnit.SECONDS,
          () -> WaitForAsyncUtils.asyncFx(condition::getAsBoolean).get());
    } catch (TimeoutException e) {
      throw new AssertionError(
          "timed out after "
              + seconds
              + " s waiting for "
              + what
              + "; connection: "
              + vm.containers().connectionProperty().get().detail()
              + "; error: "
              + vm.containers().errorProperty().get()
              + "; readings: "
              + vm.charts().entries().stream()
                  .map(x -> x.shortId() + " " + x.readingProperty().get())
                  .toList()
              + "; histories: "
              + onFx(this::histories)
              + "; view in front: "
              + onFx(this::inFront));
    }
  }
}
