package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import org.glasshouse.app.core.FakeLabService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The guide's text selects and copies directly, as a document's does — no "Select text" mode: a
 * drag across headings and paragraphs, Ctrl+C, and the clipboard holds what was dragged over; a
 * click on a command still puts it into the Command field, and a drag that starts on one does not.
 */
@ExtendWith(ApplicationExtension.class)
class GuideSelectTextTest {
  private final FakeLabService lab = new FakeLabService();
  private AppViewModel vm;
  private Path dir;

  @Start
  void start(Stage stage) throws Exception {
    dir = Files.createTempDirectory("glasshouse-test-select");
    vm = TestWindows.viewModel(lab, dir);
    MainView view = new MainView(vm);
    Scene scene = new Scene(view.root(), 1366, 768);
    view.install(scene);
    stage.setScene(scene);
    stage.show();
  }

  @AfterEach
  void removeTempDir() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static String text(TextFlow f) {
    StringBuilder sb = new StringBuilder();
    f.getChildren().forEach(n -> sb.append(n instanceof Text t ? t.getText() : ""));
    return sb.toString();
  }

  private TextFlow flowStartingWith(FxRobot robot, String start) {
    return robot.lookup("#guide").query().lookupAll("*").stream()
        .filter(n -> n instanceof TextFlow f && text(f).startsWith(start))
        .map(TextFlow.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no text starting with " + start));
  }

  private static Point2D screen(Node n, double fx, double fy) {
    Bounds b = n.localToScreen(n.getLayoutBounds());
    return new Point2D(b.getMinX() + fx * b.getWidth(), b.getMinY() + fy * b.getHeight());
  }

  private String clipboard(FxRobot robot) throws Exception {
    return WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString())
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void dragOverTheGuideAndCopy(FxRobot robot) throws Exception {
    robot.interact(() -> vm.levels().select(2));
    WaitForAsyncUtils.waitForFxEvents();
    TextFlow title = flowStartingWith(robot, "02 · mount namespace");
    TextFlow goal = flowStartingWith(robot, "Keep the container's mounts to itself");
    // From just left of the title's first letter to past the end of the goal's first line.
    robot.moveTo(screen(title, 0.0, 0.5).add(1, 0));
    robot.press(MouseButton.PRIMARY);
    robot.moveTo(screen(goal, 0.5, 0.1));
    robot.moveTo(screen(goal, 0.999, 0.98));
    robot.release(MouseButton.PRIMARY);
    WaitForAsyncUtils.waitForFxEvents();
    robot.press(KeyCode.CONTROL, KeyCode.C).release(KeyCode.C, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    String copied = clipboard(robot);
    assertTrue(
        copied.startsWith("02 · mount namespace\nGoal\nKeep the container's mounts"), copied);
    assertTrue(copied.endsWith("flows back to the host."), copied);
    assertTrue(
        robot.lookup(".guide-selection").tryQuery().isPresent(), "the selection is highlighted");
  }

  @Test
  void aCommandStillGoesToTheCommandFieldOnAClick(FxRobot robot) throws Exception {
    robot.interact(() -> vm.levels().select(5));
    WaitForAsyncUtils.waitForFxEvents();
    Node viewport = robot.lookup(".guide-scroll").query();
    Bounds view = viewport.localToScene(viewport.getLayoutBounds());
    // A command on one line (a wrapped one's box holds space that is not its text), in view.
    Node command =
        robot.lookup("#guide").query().lookupAll("*").stream()
            .filter(n -> n.getStyleClass().contains("guide-command") && n.isVisible())
            .filter(n -> n.getLayoutBounds().getHeight() < 2 * ((Text) n).getFont().getSize())
            .filter(n -> view.contains(n.localToScene(n.getLayoutBounds())))
            .findFirst()
            .orElseThrow(() -> new AssertionError("level 05's guide shows a command"));
    String cmd = ((Text) command).getText();
    robot.interact(() -> vm.run().commandProperty().set("before"));
    // A drag that starts on the command selects; it does not send the command.
    robot.moveTo(screen(command, 0.1, 0.5));
    robot.press(MouseButton.PRIMARY);
    robot.moveTo(screen(command, 0.9, 0.5));
    robot.release(MouseButton.PRIMARY);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals("before", vm.run().commandProperty().get(), "a drag is a selection");
    robot.clickOn(screen(command, 0.5, 0.5), MouseButton.PRIMARY);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(cmd, vm.run().commandProperty().get(), "a click puts the command in");
  }
}
