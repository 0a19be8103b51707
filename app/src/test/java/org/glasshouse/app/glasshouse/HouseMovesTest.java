package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.glasshouse.app.glasshouse.FxSteps.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.glasshouse.app.core.LabEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Houses come and go beside one another and every house keeps its rooms. The bug: a level-01 house
 * drawn beside another, alone when that one was removed, then beside a third showed its roof and
 * walls without rooms: its nest, kept by key while it stood alone, still thought it held the rooms
 * the lone house's nest had taken.
 */
@ExtendWith(ApplicationExtension.class)
class HouseMovesTest {
  private BorderPane root;

  @Start
  void start(Stage stage) {
    root = FixtureLab.stage(stage, 1920, 1080);
  }

  @Test
  void aHouseAloneThenBesideAnotherStillHasItsRooms() throws Exception {
    FixtureLab[] lab = {null};
    GlassHouseView view =
        fx(
            () -> {
              FixtureLab.Shown shown = FixtureLab.show("level-01", root);
              lab[0] = shown.lab();
              return shown.view();
            });
    FixtureLab f = lab[0];
    String first = FixtureLab.load("level-01").events(LabEvent.Started.class).get(0).container();
    settle(root);
    assertEveryHouseHasItsRooms(f, view, 1, "level 01 alone");

    // Level 05 runs beside it, and is removed.
    List<LabEvent> rest = fx(() -> f.playRunning(FixtureLab.load("level-05")));
    settle(root);
    assertEveryHouseHasItsRooms(f, view, 2, "level 01 beside level 05");
    fx(
        () -> {
          for (LabEvent e : rest) {
            f.lab.emit(e);
            if (e instanceof LabEvent.Removed) {
              break;
            }
          }
          return null;
        });
    settle(root);
    assertEveryHouseHasItsRooms(f, view, 1, "level 01 alone again");

    // Level 03 runs beside it (a house small enough that two stand side by side at 11 px text
    // whatever the timing of the inspections: two level-12 houses are at the edge at 1920×1080).
    fx(() -> f.playRunning(FixtureLab.load("level-03")));
    settle(root);
    assertEveryHouseHasItsRooms(f, view, 2, "level 01 beside level 03");
    assertTrue(fx(() -> view.diagram().house(first) != null), "the level-01 house is among them");
  }

  private static void assertEveryHouseHasItsRooms(
      FixtureLab f, GlassHouseView view, int houses, String when) throws Exception {
    List<String> problems =
        fx(
            () -> {
              List<String> out = new ArrayList<>();
              Diagram d = view.diagram();
              if (d.houseCount() != houses) {
                out.add(d.houseCount() + " houses drawn, not " + houses);
              }
              for (HouseModel h : f.scene().houses()) {
                HouseNode n = d.house(h.id());
                if (n == null) {
                  out.add(h.shortId() + ": no house drawn");
                  continue;
                }
                Node rooms = n.rooms();
                if (!under(rooms, d)) {
                  out.add(h.shortId() + ": its rooms are not in the picture");
                } else if (rooms.getLayoutBounds().getHeight() < 20) {
                  out.add(h.shortId() + ": its rooms are " + rooms.getLayoutBounds() + " tall");
                }
                if (!under(n.roof(), d)) {
                  out.add(h.shortId() + ": its roof is not in the picture");
                }
              }
              return out;
            });
    assertEquals(List.of(), problems, when);
  }

  private static boolean under(Node n, Node ancestor) {
    for (Node p = n; p != null; p = p.getParent()) {
      if (p == ancestor) {
        return true;
      }
    }
    return false;
  }
}
