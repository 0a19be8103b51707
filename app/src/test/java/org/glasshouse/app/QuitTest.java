package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.presenter.SettingsMenu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Quit (the settings menu's item, Ctrl+Q) closes the window by the road its close button takes: a
 * close request the window's handlers see, then the window hides. Application.stop then does what
 * it does for a closed window (containers stay unless "remove all on exit" is on).
 */
@ExtendWith(ApplicationExtension.class)
class QuitTest {
  private final FakeLabService lab = new FakeLabService();
  private final AtomicInteger closeRequests = new AtomicInteger();
  private Stage stage;
  @TempDir Path dir;

  @Start
  void start(Stage primary) throws Exception {
    // A window of its own: the tests close it and add close-request handlers, which must not stay
    // on the primary stage every later test of this JVM shows its scene in (a 240 px list test
    // found the primary stage at 1366 px, hidden and shown again).
    this.stage = new Stage();
    AppViewModel vm = TestWindows.viewModel(lab, dir);
    TestWindows.show(stage, vm, 1366, 768);
    stage.addEventHandler(WindowEvent.WINDOW_CLOSE_REQUEST, e -> closeRequests.incrementAndGet());
  }

  @AfterEach
  void closeTheWindow(FxRobot robot) {
    robot.interact(stage::hide);
  }

  @Test
  void ctrlQClosesTheWindowAsItsCloseButtonDoes(FxRobot robot) {
    assertTrue(stage.isShowing());
    robot.press(KeyCode.CONTROL, KeyCode.Q).release(KeyCode.Q, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(1, closeRequests.get());
    assertFalse(stage.isShowing());
  }

  @Test
  void theSettingsMenuHasQuitWithItsShortcut(FxRobot robot) {
    MenuButton settings = robot.lookup("#settings").queryAs(MenuButton.class);
    MenuItem quit =
        settings.getItems().stream()
            .filter(i -> "quit".equals(i.getId()))
            .findFirst()
            .orElseThrow();
    assertEquals(SettingsMenu.QUIT, quit.getAccelerator());
    robot.interact(quit::fire);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(1, closeRequests.get());
    assertFalse(stage.isShowing());
  }

  @Test
  void aCloseRequestTheWindowRefusesKeepsItOpen(FxRobot robot) {
    // The same road as the close button: a handler that consumes the request keeps the window.
    stage.addEventHandler(WindowEvent.WINDOW_CLOSE_REQUEST, WindowEvent::consume);
    robot.press(KeyCode.CONTROL, KeyCode.Q).release(KeyCode.Q, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(1, closeRequests.get());
    assertTrue(stage.isShowing());
  }
}
