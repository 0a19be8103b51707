package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.glasshouse.app.glasshouse.FxSteps.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.presenter.Appearance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The exported picture (PNG file; the clipboard gets the same snapshot) is the picture at twice its
 * laid-out size, on the theme's background: exported on a transparent ground, the dark theme's
 * light grey text and lines vanished once the PNG was put on a white slide.
 */
@ExtendWith(ApplicationExtension.class)
class PictureExportTest {
  private BorderPane root;
  private Appearance appearance;
  @TempDir Path dir;

  @Start
  void start(Stage stage) {
    root = new BorderPane();
    root.getStyleClass().add("glasshouse");
    Scene scene = new Scene(root, 1366, 768);
    appearance = new Appearance(scene);
    stage.setScene(scene);
    stage.show();
  }

  @Test
  void aPngAtTwiceThePicturesSizeOnTheThemesBackground() throws Exception {
    GlassHouseView view = fx(() -> FixtureLab.show("level-12", root).view());
    try {
      for (boolean dark : new boolean[] {false, true}) {
        fx(
            () -> {
              appearance.darkProperty().set(dark);
              return null;
            });
        settle(root);
        Path png = dir.resolve((dark ? "dark" : "light") + ".png");
        double[] size =
            fx(
                () -> {
                  view.exportPng(png);
                  // A snapshot covers the node's local bounds (strokes included).
                  return new double[] {
                    view.picture().getBoundsInLocal().getWidth(),
                    view.picture().getBoundsInLocal().getHeight()
                  };
                });
        assertTrue(Files.size(png) > 1000, "a non-empty file: " + Files.size(png));
        BufferedImage img = ImageIO.read(png.toFile());
        String theme = dark ? "dark" : "light";
        assertEquals(size[0] * PictureExport.SCALE, img.getWidth(), 2.0, theme + " width");
        assertEquals(size[1] * PictureExport.SCALE, img.getHeight(), 2.0, theme + " height");
        // The corner, outside the host's gable: the ground the picture stands on.
        int corner = img.getRGB(2, 2);
        assertEquals(0xff, corner >>> 24, theme + ": an opaque ground, not a transparent one");
        double lum = luminance(corner);
        assertTrue(dark ? lum < 80 : lum > 200, theme + ": the theme's background, got " + lum);
      }
    } finally {
      fx(
          () -> {
            appearance.darkProperty().set(false);
            return null;
          });
    }
  }

  /**
   * Five containers running (the FOCUS layout: the selected one's house, the others as cards): the
   * export is the picture the room sees, the selected house in the host, at twice its size; the
   * cards, a way to pick another container, are not in it.
   */
  @Test
  void inFocusTheExportIsTheSelectedHouseWithoutTheCards() throws Exception {
    String[] selected = {null};
    GlassHouseView view =
        fx(
            () -> {
              FixtureLab f = new FixtureLab(Fx.EXECUTOR);
              for (String name : new String[] {"level-12-four", "level-12"}) {
                Recording r = FixtureLab.load(name);
                f.playRunning(r);
                if (selected[0] == null) {
                  selected[0] = f.selectFirst(r).id();
                }
              }
              GlassHouseView v = new GlassHouseView(f.vm);
              root.setCenter(v.node());
              return v;
            });
    settle(root);
    assertEquals(HouseLayout.Layout.FOCUS, fx(view::layout));
    assertEquals(1, (int) fx(() -> view.diagram().houseCount()), "one house in the picture");
    assertTrue(fx(() -> view.diagram().house(selected[0]) != null), "the selected one's");
    assertTrue(fx(() -> view.cards().isVisible() && !view.cards().getChildren().isEmpty()));
    Path png = dir.resolve("focus.png");
    double[] size =
        fx(
            () -> {
              view.exportPng(png);
              return new double[] {
                view.picture().getBoundsInLocal().getWidth(),
                view.picture().getBoundsInLocal().getHeight()
              };
            });
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(size[0] * PictureExport.SCALE, img.getWidth(), 2.0, "width");
    assertEquals(size[1] * PictureExport.SCALE, img.getHeight(), 2.0, "height: no cards below");
  }

  private static double luminance(int argb) {
    int r = (argb >> 16) & 0xff;
    int g = (argb >> 8) & 0xff;
    int b = argb & 0xff;
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
}
