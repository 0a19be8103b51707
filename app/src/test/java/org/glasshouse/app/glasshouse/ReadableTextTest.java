package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.glasshouse.app.Contrast;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.presenter.Appearance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Text in the picture can be read: the wall tags meet WCAG AA contrast (4.5 : 1) against what is
 * behind them, light and dark, compact and roomy (the bug: an open wall's tag in the dark compact
 * picture, grey on near-black); and no gauge text is cut at any width, with level 09's OOM chip
 * beside the memory figures (the bug: "Mem… 124.0 KiB / 32…").
 */
@ExtendWith(ApplicationExtension.class)
class ReadableTextTest {
  private static final double AA = 4.5;

  private BorderPane root;
  private Appearance appearance;
  private FixtureLab lab;

  @Start
  void start(Stage stage) {
    root = new BorderPane();
    root.getStyleClass().add("glasshouse");
    root.setManaged(false);
    Scene scene = new Scene(new Pane(root), 1920, 1000);
    appearance = new Appearance(scene);
    stage.setScene(scene);
    stage.show();
  }

  @ParameterizedTest
  @CsvSource({
    "level-05, false, 330",
    "level-05, true, 330",
    "level-05, false, 900",
    "level-05, true, 900",
    "level-12-two, false, 330",
    "level-12-two, true, 330",
    "level-12-two, true, 900",
    "level-06-exec, true, 330"
  })
  void wallTagsMeetAaContrast(String fixture, boolean dark, int height) throws Exception {
    GlassHouseView view = show(fixture, false, dark);
    List<String> low =
        fx(
            () -> {
              layout(1366, height);
              List<String> out = new ArrayList<>();
              int seen = 0;
              for (RingNode r : view.diagram().rings()) {
                Label t = r.tag();
                if (!r.isVisible() || !t.isVisible() || t.getText().isEmpty()) {
                  continue;
                }
                seen++;
                Color fg = (Color) t.getTextFill();
                Color bg = behind(t);
                double c = Contrast.ratio(fg, bg);
                if (c < AA) {
                  out.add(
                      String.format(
                          "%s %s %s on %s: %.2f", t.getText(), t.getStyleClass(), fg, bg, c));
                }
              }
              if (seen < 8) {
                out.add("only " + seen + " tags in sight");
              }
              return out;
            });
    assertTrue(low.isEmpty(), fixture + (dark ? " dark " : " light ") + height + ": " + low);
  }

  @ParameterizedTest
  @CsvSource({"false, 330", "true, 330", "false, 900"})
  void level09sGaugeTextIsNeverCut(boolean dark, int height) throws Exception {
    GlassHouseView view = show("level-09-oom", true, dark);
    int checked = 0;
    for (int width = 600; width <= 1920; width += 60) {
      int w = width;
      List<String> cut =
          fx(
              () -> {
                layout(w, height);
                List<String> out = new ArrayList<>();
                HouseNode house = view.diagram().house(lab.vm.scene().houses().get(0).id());
                for (String g : List.of("cpu", "memory")) {
                  for (Label l : house.gaugeRoom().row(g).lineLabels()) {
                    if (l.isVisible() && l.getWidth() + 0.5 < l.prefWidth(-1)) {
                      out.add(
                          g + " '" + l.getText() + "' " + l.getWidth() + " < " + l.prefWidth(-1));
                    }
                  }
                }
                if (!house.gaugeRoom().row("memory").alarmShown()) {
                  out.add("no OOM chip");
                }
                return out;
              });
      assertTrue(cut.isEmpty(), "at " + width + "×" + height + ": " + cut);
      checked++;
    }
    assertTrue(checked > 20);
  }

  /**
   * No chip of a process row or of the root filesystem runs past its room: two level-12 houses side
   * by side, the user chip "student" after a long command (the bug: the README picture's "stud…"
   * cut at the room's edge).
   */
  @ParameterizedTest
  @CsvSource({"false, 760", "true, 760", "false, 1000"})
  void processRowsStayInsideTheirRoom(boolean dark, int height) throws Exception {
    GlassHouseView view = show("level-12-two", false, dark);
    int checked = 0;
    for (int width = 900; width <= 1920; width += 60) {
      int w = width;
      List<String> out =
          fx(
              () -> {
                layout(w, height);
                List<String> cut = new ArrayList<>();
                for (var h : lab.vm.scene().houses()) {
                  HouseNode house = view.diagram().house(h.id());
                  if (house == null) {
                    continue;
                  }
                  Rooms.ProcessRoom room = house.processRoom();
                  javafx.geometry.Bounds box = room.localToScene(room.getLayoutBounds());
                  double right = box.getMaxX() - room.snappedRightInset() + 0.5;
                  for (var p : h.processes()) {
                    Rooms.ProcessRow row = room.row(p.hostPid());
                    if (row == null) {
                      continue;
                    }
                    pastEdge(row, right, cut);
                  }
                  Rooms.RootFsRoom fs = house.rootFsRoom();
                  pastEdge(
                      fs.chips(),
                      fs.localToScene(fs.getLayoutBounds()).getMaxX()
                          - fs.snappedRightInset()
                          + 0.5,
                      cut);
                }
                return cut;
              });
      assertTrue(out.isEmpty(), "at " + width + "×" + height + ": " + out);
      checked++;
    }
    assertTrue(checked > 10);
  }

  /** Adds to {@code cut} each visible child of {@code p} whose right edge is past {@code right}. */
  private static void pastEdge(Parent p, double right, List<String> cut) {
    for (Node c : p.getChildrenUnmodifiable()) {
      if (!c.isVisible() || c.getLayoutBounds().getWidth() == 0) {
        continue;
      }
      double x = c.localToScene(c.getLayoutBounds()).getMaxX();
      if (x > right) {
        cut.add(
            (c instanceof Label l ? "'" + l.getText() + "'" : c.toString())
                + " ends at "
                + Math.round(x)
                + " > "
                + Math.round(right));
      }
    }
  }

  private GlassHouseView show(String fixture, boolean toRemoval, boolean dark) throws Exception {
    return fx(
        () -> {
          appearance.darkProperty().set(dark);
          FixtureLab f = new FixtureLab(Fx.EXECUTOR);
          lab = f;
          Recording r = FixtureLab.load(fixture);
          if (toRemoval) {
            f.play(r, e -> e instanceof LabEvent.Removed);
          } else {
            f.playRunning(r);
          }
          f.selectFirst(r);
          GlassHouseView v = new GlassHouseView(f.vm);
          root.setCenter(v.node());
          return v;
        });
  }

  private void layout(int w, int h) {
    root.resize(w, h);
    for (int i = 0; i < 2; i++) {
      root.applyCss();
      root.layout();
    }
  }

  /** The first opaque colour behind a node: its own background, else its parents'. */
  private static Color behind(Node n) {
    for (Node at = n; at != null; at = at.getParent()) {
      if (at instanceof Region r) {
        Color c = opaqueFill(r.getBackground());
        if (c != null) {
          return c;
        }
      }
      if (at.getParent() == null && at.getScene() != null) {
        Parent top = at.getScene().getRoot();
        if (top != at && top instanceof Region r) {
          Color c = opaqueFill(r.getBackground());
          if (c != null) {
            return c;
          }
        }
      }
    }
    throw new AssertionError("nothing opaque behind " + n);
  }

  private static Color opaqueFill(Background b) {
    if (b == null) {
      return null;
    }
    Color top = null;
    for (BackgroundFill f : b.getFills()) {
      if (f.getFill() instanceof Color c && c.getOpacity() > 0.99) {
        top = c;
      }
    }
    return top;
  }
}
