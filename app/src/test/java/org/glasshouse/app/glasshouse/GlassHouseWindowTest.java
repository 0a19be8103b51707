package org.glasshouse.app.glasshouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The glass house's own window (a projector's): F11 goes full screen and the window says, at its
 * top, how to leave; JavaFX's exit-hint overlay is not used (it could hang the renderer of a window
 * closed while it showed: FullScreenHint).
 */
@ExtendWith(ApplicationExtension.class)
class GlassHouseWindowTest {
  @Start
  void start(Stage primary) {
    // The house's window is a stage of its own.
  }

  @Test
  void f11GoesFullScreenAndTheWindowSaysHowToLeave(FxRobot robot) {
    FixtureLab fixture = new FixtureLab();
    Stage[] house = new Stage[1];
    robot.interact(
        () -> {
          GlassHouseWindow.open(fixture.vm, null);
          house[0] =
              (Stage)
                  Window.getWindows().stream()
                      .filter(w -> w instanceof Stage s && s.getTitle() != null)
                      .filter(w -> ((Stage) w).getTitle().contains("glass house"))
                      .findFirst()
                      .orElseThrow();
        });
    try {
      Node hint = house[0].getScene().getRoot().lookup(".full-screen-hint");
      assertFalse(hint.isVisible(), "no hint in a normal window");
      robot.interact(
          () ->
              house[0].getScene().getAccelerators().get(new KeyCodeCombination(KeyCode.F11)).run());
      assertTrue(house[0].isFullScreen(), "F11: full screen");
      assertEquals("", house[0].getFullScreenExitHint(), "JavaFX's overlay is not used");
      assertTrue(hint.isVisible(), "the window's own hint shows");
      robot.interact(() -> house[0].setFullScreen(false));
      assertFalse(hint.isVisible(), "left full screen: the hint goes at once");
    } finally {
      robot.interact(() -> house[0].close());
    }
  }
}
