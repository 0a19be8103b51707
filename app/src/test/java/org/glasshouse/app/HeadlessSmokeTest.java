package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Proves TestFX runs headless on Monocle here: a click reaches a button. */
@ExtendWith(ApplicationExtension.class)
class HeadlessSmokeTest {
  private int clicks;

  @Start
  void start(Stage stage) {
    Button button = new Button("press");
    button.setId("b");
    button.setOnAction(e -> clicks++);
    stage.setScene(new Scene(new StackPane(button), 200, 100));
    stage.show();
  }

  @Test
  void clickReachesButton(FxRobot robot) {
    robot.clickOn("#b");
    assertEquals(1, clicks);
  }
}
