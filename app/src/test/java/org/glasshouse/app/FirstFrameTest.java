package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.stage.Stage;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.HelperStarter;
import org.glasshouse.app.core.Preferences;
import org.glasshouse.app.levels.ProgressStore;
import org.glasshouse.app.presenter.Appearance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window as the app opens it ({@link GlasshouseApp#open}) with a theme and presenter mode
 * remembered: its first paint is the theme's background (the window system paints a new window in
 * the scene's fill until JavaFX's first frame, which took 2–6 s here, over 15 s under load: with
 * the dark theme remembered the window was white that long), its scene is styled and laid out
 * before it is mapped (the first frame then only paints), and a remembered presenter mode is full
 * screen.
 */
@ExtendWith(ApplicationExtension.class)
class FirstFrameTest {
  private final FakeLabService lab = new FakeLabService();
  private Stage stage;
  private Appearance appearance;
  @TempDir Path dir;

  @Start
  void start(Stage primary) {
    // Each test opens a window of its own, as the app opens its primary stage.
  }

  @AfterEach
  void close(FxRobot robot) {
    if (stage == null) {
      return;
    }
    robot.interact(() -> stage.setFullScreen(false));
    WaitForAsyncUtils.waitForFxEvents();
    robot.interact(
        () -> {
          // The user-agent stylesheet is the JVM's: later tests expect the light theme.
          appearance.darkProperty().set(false);
          stage.hide();
        });
  }

  /** What the window was at the moment it was shown, before any frame. */
  private record AtShow(
      Paint fill, boolean laidOut, double rootWidth, double sceneWidth, boolean fullScreen) {}

  private Preferences remembered(boolean dark, boolean presenter) throws IOException {
    Path file = dir.resolve("preferences.properties");
    Files.writeString(
        file,
        "theme.dark="
            + dark
            + "\npresenter="
            + presenter
            + "\nwindow.x=0\nwindow.y=0\nwindow.width=1366\nwindow.height=768\n");
    return new Preferences(file, Runnable::run);
  }

  private AtShow open(FxRobot robot, Preferences prefs) {
    AppViewModel vm =
        new AppViewModel(
            lab,
            Fx.EXECUTOR,
            Runnable::run,
            new ProgressStore(dir.resolve("p")),
            new HelperStarter(dir.resolve("s.sock")),
            prefs);
    AtomicReference<AtShow> seen = new AtomicReference<>();
    robot.interact(
        () -> {
          stage = new Stage();
          stage
              .showingProperty()
              .addListener(
                  (o, a, on) -> {
                    Scene s = stage.getScene();
                    if (on && seen.get() == null) {
                      seen.set(
                          new AtShow(
                              s.getFill(),
                              !s.getRoot().isNeedsLayout(),
                              ((Region) s.getRoot()).getWidth(),
                              s.getWidth(),
                              stage.isFullScreen()));
                    }
                  });
          appearance = GlasshouseApp.open(stage, new MainView(vm), prefs);
        });
    WaitForAsyncUtils.waitForFxEvents();
    return seen.get();
  }

  /** The colour the theme's stylesheet paints the window's root with. */
  private static Paint rootBackground(FxRobot robot, Stage stage) {
    AtomicReference<Paint> p = new AtomicReference<>();
    robot.interact(
        () -> {
          Region root = (Region) stage.getScene().getRoot();
          root.applyCss();
          p.set(root.getBackground().getFills().get(0).getFill());
        });
    return p.get();
  }

  @Test
  void aRememberedDarkThemeIsTheWindowsFirstPaint(FxRobot robot) throws IOException {
    AtShow dark = open(robot, remembered(true, false));
    Paint background = rootBackground(robot, stage);
    assertNotEquals(Color.WHITE, background, "the dark theme's background");
    assertEquals(
        background,
        dark.fill(),
        "the scene's fill when the window is shown (what the window system paints until the"
            + " first frame) is the dark theme's background");
  }

  @Test
  void theLightThemeStartsInItsOwnBackground(FxRobot robot) throws IOException {
    AtShow light = open(robot, remembered(false, false));
    assertEquals(rootBackground(robot, stage), light.fill());
  }

  @Test
  void theThemeSwitchedLaterRepaintsTheFillToo(FxRobot robot) throws IOException {
    open(robot, remembered(false, false));
    robot.interact(() -> appearance.darkProperty().set(true));
    Paint dark = rootBackground(robot, stage);
    assertEquals(dark, stage.getScene().getFill(), "after switching to the dark theme");
  }

  @Test
  void theSceneIsLaidOutBeforeTheWindowShows(FxRobot robot) throws IOException {
    AtShow at = open(robot, remembered(true, false));
    assertTrue(
        at.laidOut(),
        "the first CSS and layout pass (0.8 s of the first frame here) is done before the window"
            + " is mapped, not while it shows its bare background");
    assertTrue(at.sceneWidth() > 0, "the scene has the window's size: " + at.sceneWidth());
    assertEquals(at.sceneWidth(), at.rootWidth(), 0.5, "the root fills the scene when shown");
  }

  @Test
  void aRememberedPresenterModeOpensFullScreen(FxRobot robot) throws IOException {
    AtShow at = open(robot, remembered(true, true));
    assertTrue(at.fullScreen(), "presenter mode remembered: the window is shown full screen");
    assertTrue(stage.isFullScreen(), "and stays so");
    assertTrue(stage.getScene().getRoot().getStyleClass().contains("presenter"));
    assertTrue(
        robot.lookup("#presenter-hint").query().isVisible(),
        "the header says how to leave (JavaFX's own overlay is not used)");
  }

  @Test
  void theHeaderSaysHowToLeavePresenterModeAndForgetsItWhenLeft(FxRobot robot) throws IOException {
    open(robot, remembered(false, false));
    Node hint = robot.lookup("#presenter-hint").query();
    assertFalse(hint.isVisible(), "not in the normal window");
    robot.interact(() -> appearance.togglePresenter());
    assertTrue(hint.isVisible(), "F5: the hint shows");
    assertEquals("F5 leaves presenter mode", ((Label) hint).getText());
    robot.interact(() -> appearance.togglePresenter());
    assertFalse(hint.isVisible(), "F5 again: gone at once");
  }
}
