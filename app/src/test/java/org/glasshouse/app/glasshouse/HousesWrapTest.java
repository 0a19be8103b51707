package org.glasshouse.app.glasshouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javafx.geometry.Bounds;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.text.Text;
import javafx.scene.transform.Transform;
import javafx.stage.Stage;
import org.glasshouse.app.AppViewModel;
import org.glasshouse.app.MainView;
import org.glasshouse.app.TestWindows;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.presenter.Appearance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Four level-12 containers ({@code run -d} four times; recorded from a real helper) are four houses
 * in their walls, as many side by side as keep their least readable width, the rest in rows below
 * (the picture scrolls when taller than its area): in the main window at 1366×768 and 1920×1080,
 * presenter mode on and off, F8 on and off. Every house drawn, none overlapping another, none wider
 * than the view, every text at the least size or larger and no label cut. The bug: a nest's least
 * width was 0, so the grid of houses never wrapped (three or more squeezed into one row); with
 * three or more the view gave up and drew one house and cards.
 */
@ExtendWith(ApplicationExtension.class)
class HousesWrapTest {
  private final FakeLabService lab = new FakeLabService();
  private AppViewModel vm;
  private MainView view;
  private Appearance appearance;
  private Stage stage;
  private Path dir;

  @Start
  void start(Stage stage) throws Exception {
    this.stage = stage;
    dir = Files.createTempDirectory("glasshouse-test-houses-wrap");
    vm = TestWindows.viewModel(lab, dir);
    view = new MainView(vm);
    Scene scene = new Scene(view.root());
    appearance = view.install(scene);
    stage.setScene(scene);
    stage.setWidth(1366);
    stage.setHeight(768);
    stage.show();
  }

  @AfterEach
  void removeTempDir() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @ParameterizedTest(name = "{0} at {1}x{2}, F8 {3}")
  @CsvSource({
    "presenter, 1366, 768, false",
    "presenter, 1366, 768, true",
    "presenter, 1920, 1080, false",
    "presenter, 1920, 1080, true",
    "normal, 1366, 768, false",
    "normal, 1366, 768, true",
    "normal, 1920, 1080, false",
    "normal, 1920, 1080, true"
  })
  void fourHousesStandInRowsEachReadable(
      String mode, int width, int height, boolean f8, FxRobot robot) throws Exception {
    boolean presenter = mode.equals("presenter");
    robot.interact(
        () -> {
          appearance.presenterProperty().set(presenter);
          stage.setFullScreen(false);
          stage.setWidth(width);
          stage.setHeight(height);
        });
    Recording r = FixtureLab.load("level-12-four");
    lab.answerFrom(r);
    for (LabEvent e : r.events()) {
      if (e instanceof LabEvent.Exited || e instanceof LabEvent.Removed) {
        break;
      }
      lab.emit(e);
    }
    List<String> ids =
        r.events(LabEvent.Started.class).stream().map(LabEvent.Started::container).toList();
    assertEquals(4, ids.size(), "the fixture starts four containers");
    robot.interact(() -> vm.containers().select(ids.get(0)));
    robot.interact(() -> view.viewsFocusedProperty().set(f8));
    FxSteps.settle(view.root());
    GlassHouseView gh = view.glassHouse();
    String at = mode + " at " + width + "×" + height + (f8 ? ", F8" : "");
    double min = HouseLayout.minTextPx(presenter, height);
    List<String> problems = new ArrayList<>();
    List<Bounds> houses = new ArrayList<>();
    Bounds[] port = new Bounds[1];
    robot.interact(
        () -> {
          for (String id : ids) {
            HouseNode h = gh.diagram().house(id);
            if (h != null && h.rooms().isVisible() && h.rooms().getScene() != null) {
              houses.add(h.rooms().localToScene(h.rooms().getLayoutBounds()));
            }
          }
          port[0] = gh.scroll().localToScene(gh.scroll().getLayoutBounds());
          for (Text t : MainWindowLab.texts(gh.diagram())) {
            Transform tx = t.getLocalToSceneTransform();
            double px = t.getFont().getSize() * Math.hypot(tx.getMxy(), tx.getMyy());
            if (px < min - 0.05) {
              problems.add(String.format("'%s' drawn at %.1f px", t.getText(), px));
            }
            if (t.getParent() instanceof Labeled l && Legibility.cut(l)) {
              problems.add("'" + l.getText() + "' cut to '" + t.getText() + "'");
            }
          }
        });
    TreeSet<Long> rows = new TreeSet<>();
    houses.forEach(b -> rows.add(Math.round(b.getMinY())));
    System.out.println(
        "HousesWrapTest "
            + at
            + ": "
            + gh.layout()
            + ", "
            + houses.size()
            + " houses in "
            + rows.size()
            + " rows, widths "
            + houses.stream().map(b -> Math.round(b.getWidth())).toList()
            + " in "
            + Math.round(port[0].getWidth())
            + "×"
            + Math.round(port[0].getHeight()));
    assertEquals(HouseLayout.Layout.FULL, gh.layout(), at + ": one house and cards");
    assertEquals(4, houses.size(), at + ": not every house is drawn");
    for (int i = 0; i < houses.size(); i++) {
      Bounds a = houses.get(i);
      assertTrue(
          a.getMinX() >= port[0].getMinX() - 1 && a.getMaxX() <= port[0].getMaxX() + 1,
          at + ": a house wider than the view: " + a + " in " + port[0]);
      for (int j = i + 1; j < houses.size(); j++) {
        Bounds b = houses.get(j);
        assertTrue(
            !a.intersects(b.getMinX() + 1, b.getMinY() + 1, b.getWidth() - 2, b.getHeight() - 2),
            at + ": houses overlap: " + a + " " + b);
      }
    }
    assertTrue(problems.isEmpty(), at + ": " + problems);
  }
}
