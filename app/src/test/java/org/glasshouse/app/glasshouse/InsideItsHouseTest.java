package org.glasshouse.app.glasshouse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Nothing a house draws lies outside it: every label and chip of its rooms within its rooms, every
 * label of its roof within its roof, for the recordings of every level, each beside level 00's
 * house (two houses side by side: the narrowest a house is drawn), and the recordings of two and
 * four containers, in the main window at 1366×768 and 1920×1080, presenter mode on and off. The
 * bug: level 01's chip "leaks into the host's mounts", wider than a room of a house beside another,
 * drew past its room and its walls into the neighbour's house.
 */
@ExtendWith(ApplicationExtension.class)
class InsideItsHouseTest {
  private MainWindowLab window;

  @Start
  void start(Stage stage) throws Exception {
    window = new MainWindowLab(stage, "inside-its-house");
  }

  @AfterEach
  void removeTempDir() throws Exception {
    window.close();
  }

  static Stream<Arguments> cases() {
    List<String> fixtures =
        List.of(
            "level-00+level-01",
            "level-00+level-03",
            "level-00+level-04",
            "level-00+level-05",
            "level-00+level-06-exec",
            "level-00+level-07",
            "level-00+level-09-oom",
            "level-00+level-12",
            "level-08-two",
            "level-12-two",
            "level-12-four",
            "level-01");
    List<Arguments> out = new ArrayList<>();
    for (String f : fixtures) {
      for (String mode : List.of("presenter", "normal")) {
        out.add(Arguments.of(f, mode, 1366, 768));
        out.add(Arguments.of(f, mode, 1920, 1080));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1} at {2}x{3}")
  @MethodSource("cases")
  void everyLabelLiesWithinItsHouse(
      String fixture, String mode, int width, int height, FxRobot robot) throws Exception {
    window.size(robot, mode.equals("presenter"), width, height);
    List<String> ids = window.play(fixture);
    window.show(robot, ids.get(ids.size() - 1), false);
    GlassHouseView gh = window.view.glassHouse();
    String at = fixture + ", " + mode + " at " + width + "×" + height;
    List<String> problems = new ArrayList<>();
    int[] checked = {0};
    robot.interact(
        () -> {
          for (String id : ids) {
            HouseNode h = gh.diagram().house(id);
            if (h == null || h.rooms().getScene() == null || !h.rooms().isVisible()) {
              continue;
            }
            checked[0] += within(h.rooms(), h.rooms(), id + " rooms", problems);
            checked[0] += within(h.roof(), h.roof(), id + " roof", problems);
          }
        });
    System.out.println(
        "InsideItsHouseTest " + at + ": " + gh.layout() + ", " + checked[0] + " labels");
    assertTrue(checked[0] > 0, at + ": no house drawn");
    assertTrue(problems.isEmpty(), at + ": " + problems);
  }

  /** Checks every visible label under {@code n} against {@code house}; returns how many. */
  private static int within(Node n, Parent house, String what, List<String> problems) {
    if (!n.isVisible() || n.getOpacity() == 0) {
      return 0;
    }
    if (n instanceof Labeled l && l.getText() != null && !l.getText().isBlank()) {
      Bounds b = l.localToScene(l.getLayoutBounds());
      Bounds in = house.localToScene(house.getLayoutBounds());
      if (b.getMinX() < in.getMinX() - 1
          || b.getMaxX() > in.getMaxX() + 1
          || b.getMinY() < in.getMinY() - 1
          || b.getMaxY() > in.getMaxY() + 1) {
        problems.add(
            String.format(
                "%s: '%s' at x %.0f–%.0f y %.0f–%.0f outside %.0f–%.0f × %.0f–%.0f",
                what,
                l.getText(),
                b.getMinX(),
                b.getMaxX(),
                b.getMinY(),
                b.getMaxY(),
                in.getMinX(),
                in.getMaxX(),
                in.getMinY(),
                in.getMaxY()));
      }
      return 1;
    }
    int count = 0;
    if (n instanceof Parent p) {
      for (Node c : p.getChildrenUnmodifiable()) {
        count += within(c, house, what, problems);
      }
    }
    return count;
  }
}
