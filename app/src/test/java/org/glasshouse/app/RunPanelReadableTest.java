package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.application.Application;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.TextField;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.HelperStarter;
import org.glasshouse.app.core.Preferences;
import org.glasshouse.app.levels.ProgressStore;
import org.glasshouse.app.presenter.Appearance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Every value in the run panel's fields can be read, light, dark and presenter: measured on the
 * rendered field (a snapshot of the window), its text against its background meets WCAG AA (4.5 :
 * 1). The class walk (issue #14): in the dark theme the fields an earlier level filled (CPU shares
 * 1024, Memory 64 at levels 09 and 12) were drawn black on dark.
 */
@ExtendWith(ApplicationExtension.class)
class RunPanelReadableTest {
  private static final double AA = 4.5;
  private final FakeLabService lab = new FakeLabService();
  private AppViewModel vm;
  private MainView view;
  private Appearance appearance;
  @TempDir Path dir;

  @Start
  void start(Stage stage) throws Exception {
    vm = TestWindows.viewModel(lab, dir);
    TestWindows.Window window = TestWindows.show(stage, vm, 1600, 900);
    view = window.view();
    appearance = window.appearance();
  }

  @ParameterizedTest
  @CsvSource({"false, false", "true, false", "true, true", "false, true"})
  void everyFieldsValueContrastsWithItsBackground(boolean dark, boolean presenter, FxRobot robot) {
    robot.interact(
        () -> {
          appearance.darkProperty().set(dark);
          appearance.presenterProperty().set(presenter);
        });
    List<String> low = new ArrayList<>();
    int seen = measure(robot, vm, view, dark, presenter, low);
    String mode = (dark ? "dark" : "light") + (presenter ? " presenter" : "");
    // The level's own field keeps its name in bold, the others not (measured at level 12).
    String[] weights = new String[2];
    robot.interact(
        () -> {
          weights[0] = nameOf(view, "#pids").getFont().getStyle();
          weights[1] = nameOf(view, "#cpu-shares").getFont().getStyle();
        });
    assertTrue(weights[0].contains("Bold"), mode + ": Pids max's name at level 12: " + weights[0]);
    assertTrue(!weights[1].contains("Bold"), mode + ": CPU shares' name at 12: " + weights[1]);
    assertTrue(seen >= 6, mode + ": only " + seen + " filled fields seen");
    assertTrue(
        low.isEmpty(),
        mode + ": unreadable (below " + AA + " : 1) or not the theme's text colour: " + low);
  }

  /**
   * Started as the app starts with {@code theme.dark=true} and presenter mode in the preferences
   * (the theme before it was light: the previous test's, as a fresh JVM's is Modena), the window is
   * dark throughout: the dark user-agent stylesheet in effect, the root marked dark, the run panel
   * drawn on a dark background and every filled field readable.
   */
  @Test
  void aWindowStartedDarkFromItsPreferencesIsDarkThroughout(FxRobot robot) throws Exception {
    Path file = dir.resolve("preferences.properties");
    Files.writeString(file, "theme.dark=true\npresenter=true\nlevel=12\n");
    robot.interact(
        () -> Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet()));
    Preferences prefs = new Preferences(file, Runnable::run);
    AppViewModel dark =
        new AppViewModel(
            new FakeLabService(),
            Fx.EXECUTOR,
            Runnable::run,
            new ProgressStore(dir.resolve("p2")),
            new HelperStarter(dir.resolve("s2.sock")),
            prefs);
    MainView[] shown = new MainView[1];
    Stage[] stage = new Stage[1];
    robot.interact(
        () -> {
          stage[0] = new Stage();
          shown[0] = TestWindows.show(stage[0], dark, 1600, 900).view();
        });
    try {
      WaitForAsyncUtils.waitForFxEvents();
      assertEquals(
          new PrimerDark().getUserAgentStylesheet(),
          Application.getUserAgentStylesheet(),
          "the dark theme's stylesheet");
      assertTrue(shown[0].root().getStyleClass().contains("dark"), "the root is marked dark");
      List<String> low = new ArrayList<>();
      int seen = measure(robot, dark, shown[0], true, true, low);
      assertTrue(seen >= 2, "only " + seen + " filled fields seen");
      assertTrue(low.isEmpty(), "started dark, below " + AA + " : 1: " + low);
      double[] bg = new double[1];
      robot.interact(
          () -> {
            Node panel = shown[0].root().lookup(".run-panel");
            Bounds b = panel.localToScene(panel.getLayoutBounds());
            WritableImage shot = shown[0].root().getScene().snapshot(null);
            bg[0] =
                Contrast.luminance(
                    color(
                        shot.getPixelReader()
                            .getArgb((int) b.getMinX() + 2, (int) b.getMinY() + 2)));
          });
      assertTrue(bg[0] < 0.1, "the run panel's background is dark: luminance " + bg[0]);
    } finally {
      robot.interact(() -> stage[0].close());
    }
  }

  /** Measures every filled field at levels 08–12 into {@code low}; how many it measured. */
  private static int measure(
      FxRobot robot,
      AppViewModel vm,
      MainView view,
      boolean dark,
      boolean presenter,
      List<String> low) {
    int seen = 0;
    for (int level : new int[] {8, 9, 10, 12}) {
      robot.interact(() -> vm.levels().select(level));
      WaitForAsyncUtils.waitForFxEvents();
      robot.interact(() -> view.root().getScene().getRoot().layout());
      WaitForAsyncUtils.waitForFxEvents();
      List<String> found = new ArrayList<>();
      int[] n = {0};
      javafx.scene.paint.Paint[] image = {null};
      robot.interact(
          () -> {
            WritableImage shot = view.root().getScene().snapshot(null);
            for (Node f : view.root().lookupAll(".run-panel .text-field")) {
              if (!(f instanceof TextField t) || !shown(t) || t.getText().isBlank()) {
                continue;
              }
              // The value's Text, not the prompt's (both are .text in the skin).
              Text text = valueText(t);
              Bounds b = text.localToScene(text.getBoundsInLocal());
              Bounds field = t.localToScene(t.getLayoutBounds());
              double c = contrast(shot.getPixelReader(), b, field);
              // The Image field is never carried nor moved: every value is drawn as it is.
              if (image[0] == null) {
                TextField im = (TextField) view.root().lookup("#image");
                image[0] = valueText(im).getFill();
              }
              if (!text.getFill().equals(image[0])) {
                found.add(
                    String.format(
                        "level %02d %s \"%s\" drawn %s, the Image field %s",
                        level, t.getId(), t.getText(), text.getFill(), image[0]));
              }
              n[0]++;
              if (c < AA) {
                found.add(
                    String.format(
                        "level %02d %s \"%s\": %.2f : 1", level, t.getId(), t.getText(), c));
              }
            }
          });
      seen += n[0];
      low.addAll(found);
    }
    return seen;
  }

  /**
   * The background is the field's most frequent colour inside its border; the text is the pixel in
   * the text's bounds that differs most from it (the core of a glyph's stem).
   */
  private static double contrast(PixelReader px, Bounds text, Bounds field) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int y = (int) field.getMinY() + 3; y < (int) field.getMaxY() - 3; y++) {
      for (int x = (int) field.getMinX() + 3; x < (int) field.getMaxX() - 3; x++) {
        counts.merge(px.getArgb(x, y), 1, Integer::sum);
      }
    }
    int bgArgb =
        counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    Color bg = color(bgArgb);
    double best = 1;
    for (int y = (int) Math.ceil(text.getMinY()); y < (int) text.getMaxY(); y++) {
      for (int x = (int) Math.ceil(text.getMinX()); x < (int) text.getMaxX(); x++) {
        best = Math.max(best, Contrast.ratio(color(px.getArgb(x, y)), bg));
      }
    }
    return best;
  }

  private static javafx.scene.control.Label nameOf(MainView view, String field) {
    return (javafx.scene.control.Label)
        view.root().lookup(field).getParent().getChildrenUnmodifiable().get(0);
  }

  /** The value's Text, not the prompt's (both are .text in the skin). */
  private static Text valueText(TextField t) {
    return (Text)
        t.lookupAll(".text").stream()
            .filter(x -> x instanceof Text y && t.getText().equals(y.getText()))
            .findFirst()
            .orElseThrow();
  }

  private static Color color(int argb) {
    return Color.rgb((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff);
  }

  private static boolean shown(Node n) {
    for (Node p = n; p != null; p = p.getParent()) {
      if (!p.isVisible()) {
        return false;
      }
    }
    return n.getScene() != null;
  }
}
