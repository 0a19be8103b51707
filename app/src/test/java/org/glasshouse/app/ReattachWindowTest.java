package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.ContainerSummary;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window reopened while the helper still runs what an earlier window started (a presenter's
 * restart): it shows the newest running container, not whichever the helper listed first, and a
 * list that arrives late never takes the selection from the container the student just started.
 */
@ExtendWith(ApplicationExtension.class)
class ReattachWindowTest {
  private final FakeLabService lab = new FakeLabService();
  private AppViewModel vm;
  @TempDir Path dir;
  private Stage stage;

  @Start
  void start(Stage stage) throws Exception {
    this.stage = stage;
    // The helper lists its containers in no particular order (a hash map's).
    lab.containers =
        List.of(
            row("older", "running", 1),
            row("newest", "running", 4),
            row("gone", "exited", 5),
            row("middle", "running", 2));
  }

  private void open(FxRobot robot) {
    robot.interact(
        () -> {
          vm = TestWindows.viewModel(lab, dir);
          TestWindows.show(stage, vm, 1366, 768);
        });
    WaitForAsyncUtils.waitForFxEvents();
  }

  private static ContainerSummary row(String id, String state, int minute) {
    boolean running = state.equals("running");
    return new ContainerSummary(
        id,
        "busybox",
        List.of("/bin/sh"),
        5,
        state,
        running ? 100L + minute : null,
        running ? null : 0,
        null,
        false,
        Instant.parse(String.format("2026-12-02T10:%02d:00Z", minute)));
  }

  private String shownTerminal(FxRobot robot) {
    TabPane tabs = robot.lookup("#terminals").queryAs(TabPane.class);
    Tab t = tabs.getSelectionModel().getSelectedItem();
    return t == null ? null : ((ContainerItem) t.getUserData()).id();
  }

  private String selected() {
    ContainerItem i = vm.containers().selected();
    return i == null ? null : i.id();
  }

  @Test
  void aReopenedWindowShowsTheNewestRunningContainer(FxRobot robot) {
    // As the app starts: the window first, then the connection, then ps.
    lab.connection(ConnectionStatus.State.CONNECTING, "connecting");
    open(robot);
    robot.interact(() -> lab.connection(ConnectionStatus.State.CONNECTED, "connected"));
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals("newest", selected(), "not the first row of ps");
    assertEquals("newest", shownTerminal(robot));
    TabPane tabs = robot.lookup("#terminals").queryAs(TabPane.class);
    assertEquals(3, tabs.getTabs().size(), "each running container has its terminal back");
    assertEquals(
        List.of("gone", "newest", "middle", "older"),
        vm.containers().containers().stream().map(ContainerItem::id).toList(),
        "newest first, as the window's own runs are listed");
  }

  @Test
  void aListArrivingDuringTheStudentsRunNeverTakesTheSelection(FxRobot robot) {
    // The window opens before the helper answers; the student presses Run at once (or the app was
    // started with --run), and the first start of a level is slow.
    lab.connection(ConnectionStatus.State.CONNECTING, "connecting");
    CompletableFuture<LabService.Started> reply = new CompletableFuture<>();
    lab.onRun = s -> reply;
    open(robot);
    robot.interact(() -> vm.run().run());
    // The connection arrives: ps lists the earlier containers; their terminals open behind.
    robot.interact(() -> lab.connection(ConnectionStatus.State.CONNECTED, "connected"));
    WaitForAsyncUtils.waitForFxEvents();
    assertNull(selected(), "no earlier container is put on show while the student's run starts");
    robot.interact(() -> reply.complete(new LabService.Started("mine", 7)));
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals("mine", selected());
    assertEquals("mine", shownTerminal(robot));
  }
}
