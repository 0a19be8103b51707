package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import org.glasshouse.app.presenter.Appearance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The compact picture's wall tags (a views area lower than about 33 lines) stand in a row on the
 * walls' top edges: at every width from a narrow window to a projector, with one house, two side by
 * side and an exec inside shared walls, no tag covers another (the bug: "CGROUPUSER"). Where a
 * house has no room at a readable size (the narrowest widths) it scrolls: the house in focus is
 * drawn at every width.
 */
@ExtendWith(ApplicationExtension.class)
class CompactTagsTest {
  /** Compact (under 33 lines of 13 px), yet tall enough for one level-12 house at 11 px text. */
  private static final int HEIGHT = 420;

  private BorderPane root;

  @Start
  void start(Stage stage) {
    root = new BorderPane();
    root.getStyleClass().add("glasshouse");
    root.setManaged(false);
    // The picture is resized by hand inside a fixed window: resizing the window itself on the
    // headless platform only exercises its pixel buffers.
    Scene scene = new Scene(new Pane(root), 1366, HEIGHT);
    new Appearance(scene);
    stage.setScene(scene);
    stage.show();
  }

  @ParameterizedTest
  @ValueSource(strings = {"level-12", "level-12-two", "level-06-exec", "level-05", "level-00"})
  void tagsNeverOverlapAtAnyWidth(String fixture) throws Exception {
    GlassHouseView view = fx(() -> FixtureLab.show(fixture, root).view());
    int checked = 0;
    for (int width = 360; width <= 1920; width += 40) {
      int w = width;
      List<String> problems =
          fx(
              () -> {
                root.resize(w, HEIGHT);
                root.applyCss();
                root.layout();
                return overlaps(view, w);
              });
      assertTrue(problems.isEmpty(), fixture + " at " + width + " px: " + problems);
      checked++;
      // The house in focus is drawn at every width (scrolled where it does not fit), each wall
      // with its tag: eight per house.
      int tags = fx(() -> visibleTags(view).size());
      assertTrue(tags >= 8, fixture + " at " + width + " px: no house drawn");
      assertEquals(0, tags % 8, fixture + " at " + width + " px: tags shown: " + tags);
    }
    assertTrue(checked > 30);
    assertTrue(
        fx(() -> view.node().getPseudoClassStates().contains(GlassHouseView.COMPACT)),
        "the picture is compact at this height");
  }

  /**
   * Level 00's root in the compact picture (a 1920×1080 projector draws it): "host / its own files"
   * read as the container's own files. It names the host.
   */
  @org.junit.jupiter.api.Test
  void level00sCompactRootNamesTheHostsFiles() throws Exception {
    GlassHouseView view = fx(() -> FixtureLab.show("level-00", root).view());
    String caption =
        fx(
            () -> {
              root.resize(1366, HEIGHT);
              root.applyCss();
              root.layout();
              return view.node().lookupAll(".gh-layer-host .gh-layer-caption").stream()
                  .filter(javafx.scene.Node::isVisible)
                  .map(n -> ((Label) n).getText())
                  .findFirst()
                  .orElse("no host layer");
            });
    assertTrue(
        fx(() -> view.node().getPseudoClassStates().contains(GlassHouseView.COMPACT)),
        "the picture is compact at this height");
    assertEquals("the host's files", caption);
  }

  private static List<Label> visibleTags(GlassHouseView view) {
    List<Label> out = new ArrayList<>();
    for (RingNode r : view.diagram().rings()) {
      if (inSight(r.tag()) && !r.tag().getText().isEmpty()) {
        out.add(r.tag());
      }
    }
    return out;
  }

  /** Whether {@code n} and everything around it are visible (cards hide the picture). */
  private static boolean inSight(javafx.scene.Node n) {
    for (javafx.scene.Node p = n; p != null; p = p.getParent()) {
      if (!p.isVisible()) {
        return false;
      }
    }
    return true;
  }

  private static boolean open(RingNode r) {
    return r.wall() != null && !r.wall().standing() && !r.wall().planned();
  }

  /** Every pair of tags whose boxes intersect (by more than half a pixel), in scene coordinates. */
  private static List<String> overlaps(GlassHouseView view, int width) {
    List<Label> tags = visibleTags(view);
    List<String> out = new ArrayList<>();
    List<Bounds> boxes = new ArrayList<>();
    for (Label t : tags) {
      boxes.add(t.localToScene(t.getLayoutBounds()));
      if (t.getWidth() + 0.5 < t.prefWidth(-1)) {
        out.add(t.getText() + " cut to " + t.getWidth());
      }
    }
    // An open wall (the host's namespace) has no band: its tag stands inside the first open wall
    // of its chain, not half across the edge of the wall or roof above it (the bug: at 1366, "NET
    // CGROUP USER TIME" across the PID wall's edge; at level 00, every name across the roof line).
    for (RingNode r : view.diagram().rings()) {
      if (!inSight(r.tag()) || r.wall() == null || !open(r)) {
        continue;
      }
      RingNode first = r;
      while (first.getParent() instanceof RingNode outer && open(outer)) {
        first = outer;
      }
      Bounds tag = r.tag().localToScene(r.tag().getLayoutBounds());
      Bounds inside = first.localToScene(first.getLayoutBounds());
      if (tag.getMinY() < inside.getMinY() - 0.5) {
        out.add(r.tag().getText() + " across the edge above: " + tag + " above " + inside);
      }
    }
    for (int i = 0; i < tags.size(); i++) {
      for (int j = i + 1; j < tags.size(); j++) {
        Bounds a = boxes.get(i);
        Bounds b = boxes.get(j);
        double dx = Math.min(a.getMaxX(), b.getMaxX()) - Math.max(a.getMinX(), b.getMinX());
        double dy = Math.min(a.getMaxY(), b.getMaxY()) - Math.max(a.getMinY(), b.getMinY());
        if (dx > 0.5 && dy > 0.5) {
          out.add(tags.get(i).getText() + " × " + tags.get(j).getText() + " " + a + " " + b);
        }
      }
    }
    return out;
  }
}
