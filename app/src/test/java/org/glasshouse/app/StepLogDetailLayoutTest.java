package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.presenter.Appearance;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The step log's detail pane after a failed start at a classroom's 1366×768, normal and presenter:
 * the failed step is selected, and its result (errno, message) and explanation lie inside the
 * pane's viewport, read without scrolling. With the call and its long paths first, in a pane a
 * third of the tab wide, they were below its scroll bar.
 */
@ExtendWith(ApplicationExtension.class)
class StepLogDetailLayoutTest {
  private final FakeLabService lab = new FakeLabService();
  private AppViewModel vm;
  private Appearance appearance;
  private Stage stage;
  @TempDir Path dir;

  @Start
  void start(Stage stage) {
    this.stage = stage;
    vm = TestWindows.viewModel(lab, dir);
    appearance = TestWindows.show(stage, vm, 1366, 768).appearance();
  }

  /** The helper's own failure when the image is missing (ImageRootfs), path and all. */
  private static final StepEntry NO_IMAGE =
      StepEntry.builder()
          .seq(2)
          .step("image")
          .stage("helper")
          .call("image")
          .args("\"doesnotexist\"")
          .ok(false)
          .result("-1")
          .message(
              "no image 'doesnotexist': /home/teacher/glasshouse/build/images/doesnotexist.tar"
                  + " does not exist (build it with ./glasshouse images build doesnotexist)")
          .explanation("the image must exist as <images>/doesnotexist.tar and extract cleanly")
          .durationNanos(11_600_000)
          .build();

  private static final StepEntry PIVOT =
      StepEntry.builder()
          .seq(47)
          .step("pivot-root")
          .stage("init")
          .call("pivot_root")
          .args(
              "\"/var/lib/glasshouse/containers/7eb709f780a5/merged\","
                  + " \"/var/lib/glasshouse/containers/7eb709f780a5/merged/.oldroot\"")
          .ok(false)
          .result("-1")
          .errno("EBUSY")
          .message("Device or resource busy")
          .explanation(
              "the new root must be a mount point other than the old root's, and no other"
                  + " process may have it as its root or working directory")
          .durationNanos(90_000)
          .build();

  @Test
  void aFailedStartsResultAndExplanationShowWithoutScrolling(FxRobot robot) {
    for (StepEntry bad : new StepEntry[] {NO_IMAGE, PIVOT}) {
      for (boolean presenter : new boolean[] {false, true}) {
        String mode = (presenter ? "presenter" : "normal") + ", " + bad.call();
        failedStart(robot, bad, presenter);
        TextArea detail = robot.lookup("#step-detail").queryAs(TextArea.class);
        String text = detail.getText();
        String result = org.glasshouse.app.timeline.StepLogViewModel.result(bad);
        assertTrue(text.contains(result) && text.contains(bad.explanation()), mode + ": " + text);
        inViewport(detail, result, mode + ": the result");
        inViewport(detail, bad.explanation(), mode + ": the explanation");
      }
    }
  }

  /**
   * The red banner above the table says why the start failed, whole: wrapped over as many lines as
   * it needs, never one line cut with "…" (a student reads the reason without opening the detail
   * pane), at 1366×768 normal and presenter.
   */
  @Test
  void aFailedStartsBannerIsReadInFull(FxRobot robot) {
    for (StepEntry bad : new StepEntry[] {NO_IMAGE, PIVOT}) {
      for (boolean presenter : new boolean[] {false, true}) {
        String mode = (presenter ? "presenter" : "normal") + ", " + bad.call();
        failedStart(robot, bad, presenter);
        javafx.scene.control.Label banner =
            robot.lookup("#step-failure").queryAs(javafx.scene.control.Label.class);
        String full = banner.getText();
        assertTrue(full.contains(bad.explanation()), mode + ": " + full);
        String shown =
            banner.lookupAll(".text").stream()
                .filter(n -> n instanceof Text)
                .map(n -> ((Text) n).getText())
                .findFirst()
                .orElse("");
        org.junit.jupiter.api.Assertions.assertEquals(
            full, shown, mode + ": the banner shows its whole text, not cut with an ellipsis");
        Bounds b = banner.localToScene(banner.getLayoutBounds());
        assertTrue(
            b.getMaxY() <= stage.getScene().getHeight() + 0.5 && b.getMinY() >= 0,
            mode + ": the banner lies in the window: " + b);
      }
    }
  }

  private void failedStart(FxRobot robot, StepEntry bad, boolean presenter) {
    String id = presenter ? "c" + bad.seq() + "p" : "c" + bad.seq();
    lab.onRun =
        spec -> {
          lab.emit(new LabEvent.Step(id, FakeLabService.ok(1, "container", "mkdir", "\"x\"")));
          lab.emit(new LabEvent.Step(id, bad));
          return CompletableFuture.failedFuture(
              new LabException("step_failed", bad.call() + " failed", bad, id));
        };
    robot.interact(
        () -> {
          appearance.presenterProperty().set(presenter);
          // Monocle's full screen is its own screen size: hold the classroom's.
          stage.setFullScreen(false);
          stage.setWidth(1366);
          stage.setHeight(768);
          vm.levels().select(12);
        });
    WaitForAsyncUtils.waitForFxEvents();
    robot.interact(() -> vm.run().run());
    WaitForAsyncUtils.waitForFxEvents();
    robot.interact(
        () -> {
          TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
          tabs.getSelectionModel()
              .select(
                  tabs.getTabs().stream()
                      .filter(t -> "step-log-tab".equals(t.getId()))
                      .findFirst()
                      .orElseThrow());
        });
    for (int i = 0; i < 3; i++) {
      WaitForAsyncUtils.waitForFxEvents();
      robot.interact(() -> stage.getScene().getRoot().layout());
    }
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** The lines {@code part} of the detail's text takes lie inside the pane's viewport. */
  private static void inViewport(TextArea detail, String part, String what) {
    Node viewport = detail.lookup(".viewport");
    assertNotNull(viewport, "the detail's scroll pane");
    Bounds port = viewport.localToScene(viewport.getLayoutBounds());
    Text text =
        detail.lookupAll(".text").stream()
            .filter(n -> n instanceof Text t && t.getText() != null && t.getText().contains(part))
            .map(Text.class::cast)
            .findFirst()
            .orElseThrow(() -> new AssertionError(what + ": no text node holds it"));
    int start = text.getText().indexOf(part);
    Bounds lines =
        text.localToScene(
            new javafx.scene.shape.Path(text.rangeShape(start, start + part.length()))
                .getBoundsInLocal());
    assertTrue(
        lines.getMinY() >= port.getMinY() - 0.5 && lines.getMaxY() <= port.getMaxY() + 0.5,
        what
            + " ("
            + part
            + ") lies at y "
            + lines.getMinY()
            + "–"
            + lines.getMaxY()
            + ", the pane shows "
            + port.getMinY()
            + "–"
            + port.getMaxY());
    assertTrue(
        port.getMaxY() <= detail.getScene().getHeight() + 0.5,
        what + ": the pane lies in the window: " + port);
  }
}
