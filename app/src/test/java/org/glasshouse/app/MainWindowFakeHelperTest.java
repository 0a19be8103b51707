package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javafx.scene.Node;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.ContainerSummary;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.core.LabService;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

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
  @TempDir Path dir;

  @Start
  void start(Stage stage) throws Exception {
    vm = TestWindows.viewModel(lab, dir);
    view = TestWindows.show(stage, vm, 1366, 768).view();
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

  @Test
  void ctrlPageDownTurnsTheLevelEvenWithAViewsTabFocused(FxRobot robot) {
    // The class walk (room12): a click on the Step log tab gave the tab pane the keyboard, and its
    // own Ctrl+PageDown (next tab) won over the window's (next level), as README promises.
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    d.selectLevel(3);
    javafx.scene.control.TabPane tabs =
        robot.lookup("#lower-tabs").queryAs(javafx.scene.control.TabPane.class);
    robot.clickOn(robot.from(tabs).lookup(".tab:selected").queryAs(Node.class));
    WaitForAsyncUtils.waitForFxEvents();
    var tab = tabs.getSelectionModel().getSelectedItem();
    assertTrue(tabs.isFocused(), "a click on a tab gives the tab pane the keyboard");
    robot.press(KeyCode.CONTROL, KeyCode.PAGE_DOWN).release(KeyCode.PAGE_DOWN, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(4, vm.run().levelProperty().get(), "Ctrl+PageDown: the next level");
    assertEquals(tab, tabs.getSelectionModel().getSelectedItem(), "the views keep their tab");
    robot.press(KeyCode.CONTROL, KeyCode.PAGE_UP).release(KeyCode.PAGE_UP, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(3, vm.run().levelProperty().get(), "Ctrl+PageUp: the previous level");
    assertEquals(tab, tabs.getSelectionModel().getSelectedItem(), "the views keep their tab");
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
  void closingTheTerminalsEndsTheirThreads(FxRobot robot) {
    // The class's restart (room6's walk): the window closed, the containers ran on as they should,
    // and the app's JVM never exited: every terminal's JediTerm threads are not daemons.
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    java.util.Set<Thread> before = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
    lab.onRun =
        spec -> {
          lab.emit(new LabEvent.Output(ID, "pty", "hello\r\n".getBytes(StandardCharsets.UTF_8)));
          return CompletableFuture.completedFuture(new LabService.Started(ID, 4242));
        };
    d.selectLevel(1);
    robot.clickOn("#command");
    robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
    d.await("the terminal", () -> d.terminalText().contains("hello"));
    assertFalse(terminalThreads(before).isEmpty(), "a terminal runs threads of its own");
    robot.interact(() -> view.terminals().close());
    d.await(
        "no terminal thread left to keep the JVM alive", () -> terminalThreads(before).isEmpty());
  }

  /** The live threads that are not daemons, started since {@code before}, by JediTerm. */
  private static List<String> terminalThreads(java.util.Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon() && !before.contains(t))
        .map(Thread::getName)
        .filter(n -> n.startsWith("TerminalEmulator-") || n.startsWith("JediTerm"))
        .toList();
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
              new LabException("step_failed", "pivot_root failed", bad, "f00d"));
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
              new LabException("step_failed", "pivot_root failed", bad, "f00d"));
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

  /**
   * room6's class walk, level 07 under load: ">" clicked to get there, Run clicked, and the Space
   * and Enter of `ip link` typed while the start was pending went to the focused ">" and turned the
   * level to 09. No header control takes the keyboard.
   */
  @Test
  void keysTypedWhileARunIsPendingNeverTurnTheLevel(FxRobot robot) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    CompletableFuture<LabService.Started> pending = new CompletableFuture<>();
    lab.onRun = spec -> pending;
    robot.interact(() -> vm.levels().select(6));
    d.click("#level-next");
    assertEquals(7, vm.levels().selected().number(), "the arrow turned the level");
    d.click("#run");
    assertEquals(1, lab.runs.size());
    robot.type(KeyCode.SPACE, KeyCode.ENTER, KeyCode.SPACE);
    org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    assertEquals(
        7,
        vm.levels().selected().number(),
        "keys typed while the run was pending turned the level; focus on "
            + view.root().getScene().getFocusOwner());
    // Nor does Tab bring the keyboard to a header control.
    for (int i = 0; i < 30; i++) {
      robot.type(KeyCode.TAB);
      Node owner = view.root().getScene().getFocusOwner();
      for (Node p = owner; p != null; p = p.getParent()) {
        assertFalse(p.getStyleClass().contains("header"), "Tab brought the keyboard to " + owner);
      }
    }
    pending.cancel(false);
  }

  /** Runs /bin/sh at level 05 with F9 and waits for its terminal; the driver, for the rest. */
  private MainWindowDriver shellAtLevel5(FxRobot robot) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    robot.interact(() -> vm.levels().select(5));
    d.typeCommand("/bin/sh");
    robot.press(KeyCode.F9).release(KeyCode.F9);
    d.await(
        "a terminal",
        () ->
            d.selectedContainer() != null
                && view.terminals().widget(d.selectedContainer()) != null);
    return d;
  }

  /** A click on a terminal's tab gives it the keyboard, as a click in its body does. */
  @Test
  void aClickOnATerminalsTabGivesItTheKeyboard(FxRobot robot) {
    MainWindowDriver d = shellAtLevel5(robot);
    d.click("#command");
    var w = view.terminals().widget(d.selectedContainer());
    assertFalse(
        view.root().getScene().getFocusOwner() == w.getTerminalPanel().getCanvas(),
        "the command field has the keyboard");
    robot.clickOn(robot.lookup("#terminals .tab").queryAs(Node.class));
    d.await(
        "the terminal focused after a click on its tab",
        () -> view.root().getScene().getFocusOwner() == w.getTerminalPanel().getCanvas());
  }

  /**
   * Walk, 1366×768 presenter at level 12: F8 and F8 again, and the terminal the presenter typed in
   * had lost the keyboard to the Image field, its "busybox" selected: the next word typed would
   * have replaced the image. F8 off gives the keyboard back to where it was.
   */
  @Test
  void f8AndBackGivesTheKeyboardBackToTheTerminal(FxRobot robot) {
    MainWindowDriver d = shellAtLevel5(robot);
    var w = view.terminals().widget(d.selectedContainer());
    Node canvas = w.getTerminalPanel().getCanvas();
    robot.clickOn(canvas);
    d.await("the terminal focused", () -> view.root().getScene().getFocusOwner() == canvas);
    robot.press(KeyCode.F8).release(KeyCode.F8);
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(view.viewsFocusedProperty().get(), "F8 gives the views the right side");
    robot.press(KeyCode.F8).release(KeyCode.F8);
    WaitForAsyncUtils.waitForFxEvents();
    assertFalse(view.viewsFocusedProperty().get());
    assertTrue(
        view.root().getScene().getFocusOwner() == canvas,
        "the keyboard is the terminal's again, not " + view.root().getScene().getFocusOwner());
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

  /**
   * The containers' selection drives the window one way: containers started from the command line
   * (their tabs open behind) and one that ends and goes never move it, nor the terminal on show;
   * when the selected one goes, the view-model's choice (the newest) is what the list and the
   * terminal show — the list used to pick the row above by itself (JDK-8118846) and the selection
   * followed it. A click on a terminal's tab or on a row is the one way back.
   */
  @Test
  void containersComingAndGoingNeverMoveTheSelectionNorTheTerminal(FxRobot robot) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    String a = "aaaa00000001";
    String b = "bbbb00000002";
    String c = "cccc00000003";
    String e = "eeee00000004";
    lab.onRun = spec -> CompletableFuture.completedFuture(new LabService.Started(a, 101));
    d.selectLevel(5);
    d.typeCommand("/bin/sh");
    d.click("#run");
    d.await(
        "A selected", () -> d.selectedContainer() != null && d.selectedContainer().id().equals(a));
    // B, C and E, started by another client (the CLI): ps says what they are, their tabs open
    // behind. The list, newest first: E C B A.
    lab.containers =
        List.of(running(a, 101, 1), running(b, 102, 2), running(c, 103, 3), running(e, 104, 4));
    lab.emit(new LabEvent.Started(b, 102));
    lab.emit(new LabEvent.Started(c, 103));
    lab.emit(new LabEvent.Started(e, 104));
    d.await("four terminal tabs", () -> terminalTabs().getTabs().size() == 4);
    assertShown(robot, a);
    // C ends and is removed; B ends.
    lab.emit(new LabEvent.Exited(c, 0, null, false, 10));
    lab.emit(new LabEvent.Removed(c));
    lab.emit(new LabEvent.Exited(b, 0, null, false, 10));
    d.await("C's tab gone", () -> terminalTabs().getTabs().size() == 3);
    assertShown(robot, a);
    // A is removed from the command line: the newest, E, is selected and shown (not B, the row
    // above A).
    lab.emit(new LabEvent.Removed(a));
    d.await("A's tab gone", () -> terminalTabs().getTabs().size() == 2);
    assertShown(robot, e);
    // A click on B's tab selects B; a click on E in the list brings E's terminal back.
    robot.clickOn(
        robot
            .from(terminalTabs())
            .lookup(".tab-label")
            .match(l -> l instanceof javafx.scene.control.Labeled x && x.getText().equals(b))
            .queryAs(javafx.scene.Node.class));
    assertShown(robot, b);
    robot.clickOn(
        robot
            .lookup(".container-id")
            .match(l -> l instanceof javafx.scene.control.Labeled x && x.getText().equals(e))
            .queryAs(javafx.scene.Node.class));
    assertShown(robot, e);
  }

  /**
   * After Run the keyboard is the new shell's: the class walk typed `echo hi` after F9 and it went
   * nowhere until a click in the terminal (its canvas was asked for the focus before its tab's
   * content was in the scene).
   */
  @Test
  void afterRunTheKeysGoToTheNewTerminal(FxRobot robot) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    d.selectLevel(5);
    d.typeCommand("/bin/sh");
    robot.press(KeyCode.F9).release(KeyCode.F9);
    d.await(
        "the new terminal focused",
        () -> {
          var item = d.selectedContainer();
          var w = item == null ? null : view.terminals().widget(item);
          return w != null
              && view.root().getScene().getFocusOwner() == w.getTerminalPanel().getCanvas();
        });
  }

  /**
   * Issue #14, 1366×768 presenter: Image typed, F9, the start failed — and the keyboard stayed in
   * the Image field, so the `echo hi` a student then typed for the shell made it "busyboxecho hi".
   * A failed start gives the keyboard to its card's "Show the step log" (Enter opens what to read
   * next; letters change nothing).
   */
  @Test
  void afterAFailedStartTheKeysGoToItsCardNotTheImageField(FxRobot robot) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    failsForNoImage();
    d.selectLevel(3);
    TextField image = robot.lookup("#image").queryAs(TextField.class);
    robot.interact(
        () -> {
          image.setText("nosuchimage");
          image.requestFocus();
        });
    robot.press(KeyCode.F9).release(KeyCode.F9);
    d.await(
        "the card's button focused",
        () -> {
          javafx.scene.Node owner = view.root().getScene().getFocusOwner();
          return owner != null && "start-failed-steps".equals(owner.getId());
        });
    robot.type(KeyCode.E, KeyCode.C, KeyCode.H, KeyCode.O);
    org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    assertEquals("nosuchimage", image.getText(), "the keys typed after the failure");
  }

  /**
   * Issue #14, 1366×768 presenter: a shell ran, a start failed, then the next level. The level put
   * the failure's card away, but the step log still showed the failed start's steps, and the
   * terminal area drew the last shell's text with "The selected container has no terminal here."
   * over it (JavaFX's TabPane keeps drawing a tab whose selection was cleared). With no container
   * selected, the area shows no terminal and says so; the step log follows the selection.
   */
  @Test
  void anotherLevelAfterAFailedStartLeavesNoStaleStepsNorTerminal(FxRobot robot) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    lab.onRun =
        spec -> {
          lab.emit(new LabEvent.Output(ID, "pty", "shell-one$ ".getBytes(StandardCharsets.UTF_8)));
          return CompletableFuture.completedFuture(new LabService.Started(ID, 4242));
        };
    d.selectLevel(3);
    d.click("#run");
    d.await("the first shell", () -> d.terminalText().contains("shell-one$"));
    failsForNoImage();
    d.click("#run");
    d.await("the failure in the step log", () -> "f00d".equals(vm.stepLog().containerId()));
    d.selectLevel(4);
    org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    assertEquals(null, vm.containers().failedStartProperty().get(), "the card is put away");
    assertEquals(null, vm.stepLog().containerId(), "the step log follows the selection (none)");
    javafx.scene.control.TabPane pane = terminalTabs();
    List<String> drawn =
        pane.getTabs().stream()
            .filter(t -> t.getContent() != null && t.getContent().isVisible() && t.isSelected())
            .map(javafx.scene.control.Tab::getText)
            .toList();
    assertTrue(
        pane.getSelectionModel().getSelectedItem() != null || drawn.isEmpty(),
        "no container selected, yet a terminal is drawn: " + drawn);
    // Nor does its tab's header look selected (TabPane leaves the old tab's selected flag set).
    org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    robot.interact(() -> pane.applyCss());
    for (javafx.scene.Node h : pane.lookupAll(".tab")) {
      javafx.scene.layout.Background bg = ((javafx.scene.layout.Region) h).getBackground();
      boolean plain =
          bg == null
              || bg.getFills().stream()
                  .allMatch(f -> javafx.scene.paint.Color.TRANSPARENT.equals(f.getFill()));
      assertTrue(
          plain, "no container selected, yet a tab's header looks selected: " + bg.getFills());
    }
  }

  /** The next run fails at its image step, as a helper answers Image "nosuchimage" (id f00d). */
  private void failsForNoImage() {
    StepEntry bad =
        StepEntry.builder()
            .seq(2)
            .step("image")
            .stage("helper")
            .call("image")
            .args("\"nosuchimage\"")
            .ok(false)
            .result("-1")
            .message("no image 'nosuchimage': /i/nosuchimage.tar does not exist")
            .durationNanos(8000)
            .build();
    lab.onRun =
        spec -> {
          lab.emit(new LabEvent.Step("f00d", bad));
          return CompletableFuture.failedFuture(
              new LabException("step_failed", "image failed", bad, "f00d"));
        };
  }

  private javafx.scene.control.TabPane terminalTabs() {
    return view.root().lookup("#terminals") instanceof javafx.scene.control.TabPane t ? t : null;
  }

  /** Container {@code id} is selected, in the list too, and its terminal is the one on show. */
  private void assertShown(FxRobot robot, String id) {
    org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    String listed =
        robot.lookup("#containers").queryListView().getSelectionModel().getSelectedItem()
                instanceof org.glasshouse.app.containers.ContainerItem i
            ? i.id()
            : null;
    javafx.scene.control.Tab tab = terminalTabs().getSelectionModel().getSelectedItem();
    String shown =
        tab != null && tab.getUserData() instanceof org.glasshouse.app.containers.ContainerItem i
            ? i.id()
            : null;
    assertEquals(
        id + " " + id + " " + id,
        vm.containers().selected().id() + " " + listed + " " + shown,
        "selected, listed, shown");
  }

  private static ContainerSummary running(String id, long pid, int second) {
    return new ContainerSummary(
        id,
        "busybox",
        List.of("/bin/sh"),
        5,
        "running",
        pid,
        null,
        null,
        false,
        java.time.Instant.parse("2026-12-02T12:00:00Z").plusSeconds(second));
  }
}
