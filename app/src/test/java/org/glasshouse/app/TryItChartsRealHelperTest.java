package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fair_acc.chartfx.XYChart;
import io.fair_acc.dataset.DataSet;
import java.util.ArrayList;
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
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.core.SocketLabService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Level 08's "Try it" as a student presses it, against a REAL helper: the two busy containers it
 * starts both appear in the Charts view — a CPU line each (drawn from data, named after the
 * container), a legend row each — and the measured CPU ratio is shown next to the shares ratio.
 */
@Tag("root")
@ExtendWith(ApplicationExtension.class)
class TryItChartsRealHelperTest {
  private static final Pattern LINE =
      Pattern.compile(
          "Measured CPU ratio (\\d+\\.\\d+)\\s+·\\s+cpu\\.(shares|weight) ratio (\\d+\\.\\d+)");
  private RealHelper helper;
  private SocketLabService lab;
  private AppViewModel vm;
  private FxRobot robot;

  @Start
  void start(Stage stage) throws Exception {
    helper = RealHelper.start("TryItChartsRealHelperTest");
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
  void stop() throws Exception {
    if (vm != null) {
      List<ContainerItem> items =
          WaitForAsyncUtils.asyncFx(() -> List.copyOf(vm.containers().containers()))
              .get(10, TimeUnit.SECONDS);
      for (ContainerItem i : items) {
        lab.remove(i.id(), true).exceptionally(t -> null).get(30, TimeUnit.SECONDS);
      }
      lab.close();
    }
    if (helper != null) {
      helper.close();
    }
  }

  @Test
  void theChartsShowBothContainersAndTheRatioNextToTheShares(FxRobot r) {
    robot = r;
    await("the connection", 60, () -> vm.containers().connectionProperty().get().connected());
    robot.interact(() -> vm.levels().select(8));
    robot.interact(() -> robot.lookup("#try-08-contention").queryButton().fire());
    await("two containers running", 90, () -> running().size() == 2);
    List<String> ids = running();
    // Both in the chart: a CPU line each, named after its container, with readings above zero.
    await(
        "a CPU line with data for each container",
        60,
        () -> ids.stream().allMatch(id -> cpuMax(id.substring(0, 8)) > 0));
    // Both in the legend, one row each.
    for (String id : ids) {
      assertTrue(
          onFx(
              () ->
                  robot.lookup("#charts-legend").query().lookupAll("*").stream()
                      .anyMatch(
                          n ->
                              n.getId() != null
                                  && n.getId().startsWith("legend-")
                                  && n.getId().contains(id.substring(0, 8)))),
          "a legend row for " + id);
    }
    // The readout averages 10 s of competition: then the measured ratio stands beside the
    // shares' ratio, on one line.
    long since = System.currentTimeMillis();
    await(
        "the measured ratio next to the shares ratio",
        90,
        () -> System.currentTimeMillis() - since > 12_000 && LINE.matcher(ratioText()).find());
    Matcher m = LINE.matcher(onFx(this::ratioText));
    assertTrue(m.find());
    double shares = Double.parseDouble(m.group(3));
    assertEquals(0.25, shares, 1e-9, "the guide's shares: 256 ÷ 1024");
    double measured = Double.parseDouble(m.group(1));
    assertTrue(measured > 0 && measured < 1, "the 256 container got less: " + m.group());
    assertEquals(
        "charts-tab",
        onFx(
            () ->
                robot
                    .lookup("#lower-tabs")
                    .queryAs(TabPane.class)
                    .getSelectionModel()
                    .getSelectedItem()
                    .getId()));
  }

  private List<String> running() {
    List<String> ids = new ArrayList<>();
    for (ContainerItem i : vm.containers().containers()) {
      if (i.stateProperty().get().live()) {
        ids.add(i.id());
      }
    }
    return ids;
  }

  private String ratioText() {
    Label l = robot.lookup("#contention-ratio").queryAs(Label.class);
    return l.isVisible() ? l.getText() : "";
  }

  /** The largest CPU reading drawn for the container whose line is named {@code name}, or -1. */
  private double cpuMax(String name) {
    Parent pane = robot.lookup("#chart-cpu").queryAs(Parent.class);
    if (pane == null || pane.getChildrenUnmodifiable().isEmpty()) {
      return -1;
    }
    Node first = pane.getChildrenUnmodifiable().get(0);
    if (!(first instanceof XYChart c)) {
      return -1;
    }
    double max = -1;
    for (var renderer : c.getRenderers()) {
      for (DataSet ds : renderer.getDatasets()) {
        if (ds.getStyleClasses().contains("gh-m-cpu-used") && name.equals(ds.getName())) {
          for (int i = 0; i < ds.getDataCount(); i++) {
            double y = ds.get(DataSet.DIM_Y, i);
            if (!Double.isNaN(y)) {
              max = Math.max(max, y);
            }
          }
        }
      }
    }
    return max;
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
              + "; error: "
              + vm.containers().errorProperty().get());
    }
  }
}
