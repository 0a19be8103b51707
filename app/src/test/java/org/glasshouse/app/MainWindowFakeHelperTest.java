package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.core.LabService;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The main window headless, against the in-memory helper: the mechanics of the level-05 run, the
 * EBUSY lesson and an outage, with the helper's side scripted. The same flows run against the real
 * helper in {@link MainWindowRealHelperTest}.
 */
@ExtendWith(ApplicationExtension.class)
class MainWindowFakeHelperTest {
  private static final String ID = "3f9a0c1d2e4b";
  private final FakeLabService lab = new FakeLabService();
  private MainView view;
  private AppViewModel vm;
  private Path dir;

  @Start
  void start(Stage stage) throws Exception {
    dir = Files.createTempDirectory("glasshouse-test-ui");
    vm = TestWindows.viewModel(lab, dir);
    view = new MainView(vm);
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

  private static Map<String, Long> ns(long uts) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("mnt", 4026531841L);
    m.put("uts", uts);
    return m;
  }

  @Test
  void level05HostnameShowsTheIdTheUtsDifferenceAndSethostname(FxRobot robot) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    lab.inspections.put(
        "host", TestInspections.inspection("laptop", ns(4026531838L), "/sbin/init", null));
    lab.inspections.put(ID, TestInspections.inspection(ID, ns(4026532300L), "hostname", null));
    lab.onRun =
        spec -> {
          lab.emit(
              new LabEvent.Step(ID, FakeLabService.ok(1, "uts-ns", "unshare", "CLONE_NEWUTS")));
          lab.emit(
              new LabEvent.Step(
                  ID, FakeLabService.ok(2, "uts-ns", "sethostname", "\"" + ID + "\"")));
          lab.emit(new LabEvent.Output(ID, "pty", (ID + "\r\n").getBytes(StandardCharsets.UTF_8)));
          return CompletableFuture.completedFuture(new LabService.Started(ID, 4242));
        };
    d.selectLevel(5);
    assertEquals(5, vm.run().levelProperty().get());
    d.typeCommand("hostname");
    robot.clickOn("#command");
    robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
    d.await("the container id in the terminal", () -> d.terminalText().contains(ID));
    d.await("the UTS row marked as differing", () -> d.rowDiffers("uts"));
    assertFalse(d.rowDiffers("mnt"), "a shared namespace is not marked");
    assertTrue(lab.runs.get(0).tty(), "the GUI runs containers with a tty");
    d.typeIntoTerminal("id\n");
    d.await("keystrokes sent as stdin", () -> typed().contains("id"));
    d.click("#step-log-tab");
    assertTrue(d.stepCalls().contains("sethostname"), d.stepCalls().toString());
    d.click("#remove");
    d.await(
        "the terminal tab closed with its container",
        () -> d.terminalText().isEmpty() && robot.lookup(".terminal-tab").queryAll().isEmpty());
  }

  private String typed() {
    StringBuilder sb = new StringBuilder();
    synchronized (lab.requests) {
      lab.requests.stream()
          .filter(r -> r.startsWith("stdin " + ID + " "))
          .forEach(r -> sb.append(r.substring(("stdin " + ID + " ").length())));
    }
    return sb.toString();
  }

  @Test
  void freePlayPivotRootWithoutAMountPointShowsEbusyAndWhy(FxRobot robot) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    StepEntry bad =
        StepEntry.builder()
            .seq(9)
            .step("pivot-root")
            .stage("init")
            .call("pivot_root")
            .args("\".\", \".oldroot\"")
            .ok(false)
            .errno("EBUSY")
            .message("Device or resource busy")
            .explanation("the new root is not a mount point; bind-root or overlay makes it one")
            .durationNanos(8000)
            .build();
    lab.onRun =
        spec -> {
          lab.emit(
              new LabEvent.Step("f00d", FakeLabService.ok(8, "chroot", "chdir", "\"/rootfs\"")));
          lab.emit(new LabEvent.Step("f00d", bad));
          return CompletableFuture.failedFuture(
              new LabException("step_failed", "pivot_root failed", bad));
        };
    d.selectLevel(4);
    d.click("#free-play .thumb-area");
    d.click("#feature-overlay");
    d.click("#feature-bind-root");
    d.click("#run");
    assertFalse(lab.runs.get(0).features().contains(Feature.OVERLAY));
    assertFalse(lab.runs.get(0).features().contains(Feature.BIND_ROOT));
    assertTrue(lab.runs.get(0).features().contains(Feature.PIVOT_ROOT));
    d.click("#step-log-tab");
    d.await("the failure banner", () -> d.failureText().contains("EBUSY"));
    assertTrue(d.failureText().contains("not a mount point"), d.failureText());
  }

  /**
   * One press of Run starts one container. A focused button fires on Enter and Space, and a click
   * used to give Run the keyboard: when its start opened no terminal (it failed at a step), the
   * Enter a student then typed for a shell started the same run again.
   */
  @Test
  void keysTypedAfterARunNeverRunAgain(FxRobot robot) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    StepEntry bad =
        StepEntry.builder()
            .seq(3)
            .step("pivot-root")
            .stage("init")
            .call("pivot_root")
            .args("\".\", \".oldroot\"")
            .ok(false)
            .errno("EBUSY")
            .message("Device or resource busy")
            .durationNanos(8000)
            .build();
    lab.onRun =
        spec -> {
          lab.emit(new LabEvent.Step("f00d", bad));
          return CompletableFuture.failedFuture(
              new LabException("step_failed", "pivot_root failed", bad));
        };
    d.selectLevel(4);
    d.click("#run");
    assertEquals(1, lab.runs.size());
    robot.type(KeyCode.ENTER);
    robot.type(KeyCode.SPACE);
    org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    assertEquals(1, lab.runs.size(), "Enter or Space after the click started another run");
    // The keyboard's own Run still works.
    robot.press(KeyCode.F9).release(KeyCode.F9);
    org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    assertEquals(2, lab.runs.size(), "F9 runs");
  }

  @Test
  void anOutageIsShownAndTheReconnectToo(FxRobot robot) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    lab.connection(ConnectionStatus.State.CONNECTED, "connected to glasshouse-helper/test");
    d.await("connected", () -> d.connectionText().startsWith("connected"));
    lab.connection(ConnectionStatus.State.LOST, "the helper closed the connection");
    d.await("the outage", () -> d.connectionText().startsWith("Helper lost"));
    lab.connection(ConnectionStatus.State.UNREACHABLE, "no helper answers");
    d.await("the retry button", () -> robot.lookup("#retry").query().isVisible());
    d.click("#retry");
    assertTrue(lab.requests.contains("retry"));
    lab.connection(ConnectionStatus.State.CONNECTED, "connected to glasshouse-helper/test");
    d.await("the reconnect", () -> d.connectionText().startsWith("connected"));
    assertFalse(robot.lookup("#retry").query().isVisible());
  }
}
