package org.glasshouse.app.presenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Presenter mode's full screen uses none of JavaFX's own exit-hint overlay: a window that lost its
 * scene while that overlay faded threw NullPointerExceptions in the renderer
 * (GlassScene.updateSceneState, WindowStage.setWarning), after which no pulse of the JVM completed
 * — CI's app tests hung in MainWindowRealHelperTest, after RunPanelReadableTest's presenter case,
 * until CI's time ran out. The hint is the header's own (MainView). Nor does Esc leave full screen:
 * it is a key of the terminal (vi, less), and F5 is the one way out.
 */
@ExtendWith(ApplicationExtension.class)
class PresenterFullScreenTest {
  private Stage stage;
  private Appearance appearance;

  @Start
  void start(Stage primary) {
    stage = primary;
    Scene scene = new Scene(new StackPane(new Label("presenting")), 800, 600);
    appearance = new Appearance(scene);
    stage.setScene(scene);
    stage.show();
  }

  @Test
  void f5GoesFullScreenWithoutJavaFxsOverlayAndOnlyF5LeavesIt(FxRobot robot) {
    robot.interact(() -> appearance.togglePresenter());
    WaitForAsyncUtils.waitForFxEvents();
    try {
      assertTrue(stage.isFullScreen(), "presenter mode is full screen");
      assertEquals("", stage.getFullScreenExitHint(), "JavaFX's exit-hint overlay is not used");
      assertEquals(
          KeyCombination.NO_MATCH,
          stage.getFullScreenExitKeyCombination(),
          "Esc belongs to the terminal; F5 leaves presenter mode");
    } finally {
      robot.interact(() -> appearance.togglePresenter());
    }
    assertFalse(stage.isFullScreen(), "F5 again leaves full screen");
  }
}
