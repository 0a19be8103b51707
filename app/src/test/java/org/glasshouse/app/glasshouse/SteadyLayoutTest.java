package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.presenter.Appearance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A telemetry tick that changes no shape chooses no layout: the glass house re-chooses its layout
 * (every house tried at the floor, then the house in focus and cards) only when the area, the
 * presenter mode, the density, the houses or the one in focus change. The bug: the smallest text
 * was measured on the labels' text nodes, which get their text only when laid out; measured right
 * after a layout was chosen it read 14.4 px, after the next pulse 14 px, and that changed floor
 * chose the layout again, which read 14.4 px again: twenty containers in presenter mode at
 * 1920×1080 re-laid out every house on every pulse (FX thread 94 % busy, frames of 300–460 ms).
 */
@ExtendWith(ApplicationExtension.class)
class SteadyLayoutTest {
  private static final int TICKS = 12;
  private Stage stage;

  @Start
  void start(Stage stage) {
    this.stage = stage;
  }

  @ParameterizedTest(name = "{0} containers, {1}x{2}, presenter {3}")
  @CsvSource({"20, 1920, 1080, true", "20, 1366, 768, false"})
  void telemetryTicksChooseNoLayout(int containers, int width, int height, boolean presenter)
      throws Exception {
    Recording twenty = GlassHouseBenchmark.twenty();
    FixtureLab[] lab = {null};
    GlassHouseView view =
        fx(
            () -> {
              BorderPane root = new BorderPane();
              root.getStyleClass().add("glasshouse");
              Scene scene = new Scene(root, width, height);
              new Appearance(scene);
              if (presenter) {
                scene.getStylesheets().add(Appearance.PRESENTER_CSS);
                root.getStyleClass().add("presenter");
              }
              stage.setScene(scene);
              stage.show();
              FixtureLab f = new FixtureLab(Fx.EXECUTOR);
              lab[0] = f;
              GlassHouseView v = new GlassHouseView(f.vm);
              root.setCenter(v.node());
              f.lab.answerFrom(twenty);
              for (LabEvent e : twenty.events()) {
                if (!(e instanceof LabEvent.Exited
                    || e instanceof LabEvent.Removed
                    || e instanceof LabEvent.Telemetry
                    || e instanceof LabEvent.Namespaces
                    || e instanceof LabEvent.Mounts)) {
                  f.lab.emit(e);
                }
              }
              f.select(twenty.events(LabEvent.Started.class).get(0).container());
              return v;
            });
    FixtureLab f = lab[0];
    // Tick k: the k-th telemetry sample of each container, as the helper sends them.
    java.util.Map<String, List<LabEvent>> each = new java.util.LinkedHashMap<>();
    for (LabEvent e : twenty.events(LabEvent.Telemetry.class)) {
      each.computeIfAbsent(e.container(), k -> new ArrayList<>()).add(e);
    }
    List<List<LabEvent>> ticks = new ArrayList<>();
    for (int k = 0; k < TICKS + 2; k++) {
      List<LabEvent> tick = new ArrayList<>();
      for (List<LabEvent> l : each.values()) {
        tick.add(l.get(k % l.size()));
      }
      ticks.add(tick);
    }
    assertTrue(each.size() > containers / 2, "containers with telemetry: " + each.size());
    // The picture as it stands: every container's processes, mounts and first figures.
    fx(
        () -> {
          for (LabEvent e : twenty.events()) {
            if (e instanceof LabEvent.Namespaces || e instanceof LabEvent.Mounts) {
              f.lab.emit(e);
            }
          }
          ticks.get(0).forEach(f.lab::emit);
          ticks.get(1).forEach(f.lab::emit);
          return null;
        });
    pulses();
    int before = fx(view::arrangements);
    int houses = fx(() -> view.diagram().houseCount());
    // Ticks of telemetry as the helper sends them, pulses in between.
    for (List<LabEvent> tick : ticks.subList(2, ticks.size())) {
      fx(
          () -> {
            tick.forEach(f.lab::emit);
            return null;
          });
      pulses();
    }
    int after = fx(view::arrangements);
    assertTrue(houses >= 1, "a house is drawn");
    assertEquals(
        before,
        after,
        "layouts chosen during "
            + TICKS
            + " telemetry ticks ("
            + fx(() -> view.layout())
            + ", floor "
            + fx(() -> view.fit().floor())
            + ")");
  }

  /** Lets the FX thread run a few pulses (layout, then the view's post-layout listener). */
  private static void pulses() throws Exception {
    for (int i = 0; i < 4; i++) {
      WaitForAsyncUtils.waitForFxEvents();
      // Pulses run on the FX thread's own clock (60 Hz): nothing to wait for but time.
      Thread.sleep(40);
    }
    WaitForAsyncUtils.waitForFxEvents();
  }
}
