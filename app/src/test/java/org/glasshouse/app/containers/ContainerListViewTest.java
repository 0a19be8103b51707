package org.glasshouse.app.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollBar;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.LabService;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The containers list at the sidebar's width: a long command (a level-12 fork bomb, a Try it's
 * {@code sh -c "…; exec sh"}) ends in "…" with the whole command in the row's tooltip; the list
 * never gets a horizontal scrollbar, which hid the last row and scrolled the ids out of sight.
 */
@ExtendWith(ApplicationExtension.class)
class ContainerListViewTest {
  private static final String LONG =
      "(for i in $(seq 1 100); do sleep 30 & done; wait); exec sh; echo and more words";
  private final FakeLabService lab = new FakeLabService();
  private ContainersViewModel vm;
  private ContainerListView list;

  @Start
  void start(Stage stage) {
    vm = new ContainersViewModel(lab, Fx.EXECUTOR);
    list = new ContainerListView(vm);
    StackPane root = new StackPane(list.node());
    stage.setScene(new Scene(root, 240, 300));
    // The window at the sidebar's width whatever an earlier test left it at: a stage hidden by a
    // test (QuitTest closes it) and shown again keeps its last size, not this scene's.
    stage.setWidth(240);
    stage.setHeight(300);
    stage.show();
  }

  @Test
  void aLongCommandEllipsizesWithItsTooltipAndNoHorizontalScrollbar(FxRobot robot)
      throws Exception {
    lab.onRun =
        spec -> CompletableFuture.completedFuture(new LabService.Started("feedc0ffee01", 7));
    RunSpec spec =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("sh", "-c", LONG))
            .tty(true)
            .level(12)
            .build();
    WaitForAsyncUtils.asyncFx(() -> vm.run(spec, false)).get().get();
    WaitForAsyncUtils.waitForFxEvents();
    robot.interact(() -> list.node().layout());
    WaitForAsyncUtils.waitForFxEvents();

    boolean horizontal =
        list.node().lookupAll(".scroll-bar").stream()
            .anyMatch(
                n ->
                    n instanceof ScrollBar b
                        && b.getOrientation() == Orientation.HORIZONTAL
                        && b.isVisible());
    assertTrue(!horizontal, "the list shows a horizontal scrollbar");
    ListCell<?> cell =
        robot
            .from(list.node())
            .lookup(".container-cell")
            .match(n -> n instanceof ListCell<?> c && c.getItem() != null)
            .queryAs(ListCell.class);
    Label command = (Label) cell.lookup(".container-command");
    Text shown = (Text) command.lookup(".text");
    assertTrue(
        shown.getText().endsWith("…") || shown.getText().endsWith("..."),
        "the command is cut with an ellipsis: " + shown.getText());
    assertTrue(
        cell.getWidth() <= list.node().getWidth(),
        "the row is no wider than the list: " + cell.getWidth());
    assertEquals("feedc0ffee01  " + vm.selected().commandLine(), cell.getTooltip().getText());
    assertTrue(cell.getTooltip().getText().endsWith("and more words"));
  }
}
