package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainerState;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.SocketLabService;
import org.glasshouse.client.HelperClient;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The main window against a REAL helper: a child process {@code org.glasshouse.cli.Main helper} on
 * a temporary socket and state directory, making real containers from the busybox image. Needs root
 * and the image; skips with the reason otherwise.
 */
@Tag("root")
@ExtendWith(ApplicationExtension.class)
class MainWindowRealHelperTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RealHelper helper;
  private static Path dir;
  private static Path socket;
  private SocketLabService lab;
  private MainView view;
  private AppViewModel vm;

  @BeforeAll
  static void startHelper() throws IOException {
    helper = RealHelper.start("MainWindowRealHelperTest");
    dir = helper.dir();
    socket = helper.socket();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (helper != null) {
      helper.close();
    }
  }

  @Start
  void start(Stage stage) throws IOException {
    lab = new SocketLabService(socket);
    vm = TestWindows.viewModel(lab, dir.resolve("progress"), socket);
    view = new MainView(vm);
    Scene scene = new Scene(view.root(), 1366, 768);
    view.install(scene);
    stage.setScene(scene);
    stage.show();
    lab.start();
  }

  @AfterEach
  void closeClient() {
    lab.close();
  }

  private MainWindowDriver connected(FxRobot robot) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    d.await("the connection to the helper", () -> d.connectionText().startsWith("connected"));
    return d;
  }

  @Test
  void level05HostnameInTheTerminal(FxRobot robot) {
    MainWindowDriver d = connected(robot);
    d.selectLevel(5);
    d.click("#run");
    // The shell this window just ran: not one an earlier test left running, which ps found at
    // connect (adopted) and selected until this run's reply. Taken for this run's, it made the test
    // type into the wrong shell and report the selection as moved (class runs, 2026-12-02).
    d.await(
        "a running shell",
        () ->
            d.selectedContainer() != null
                && !d.selectedContainer().adopted()
                && d.selectedContainer().state().live()
                && d.terminalText().contains("#"));
    ContainerItem started = d.selectedContainer();
    String id = started.id();
    // Typed once, into the container just started: the containers' selection drives the terminal
    // on show one way, so nothing (a tab opened or closed, a row added or removed) moves it.
    d.typeIntoTerminal("hostname\n");
    d.await(
        "the container id printed by hostname in its own terminal",
        () -> d.terminalText(started).contains(id));
    assertEquals(id, d.selectedContainer().id(), "the selection moved");
    assertEquals(id, d.shownTerminal(), "the terminal on show");
    assertEquals(
        1,
        vm.containers().containers().stream()
            .filter(i -> i.spec() != null && Integer.valueOf(5).equals(i.spec().level()))
            .filter(i -> !i.adopted())
            .count(),
        "containers this window ran at level 05");
    d.await("the UTS row marked as differing", () -> d.rowDiffers("uts"));
    d.click("#step-log-tab");
    List<String> calls = d.stepCalls();
    assertTrue(calls.contains("sethostname"), calls.toString());
  }

  @Test
  void tryItThenCheckPassesLevel02OnTheStudentsOwnContainer(FxRobot robot) throws Exception {
    // The whole loop a student goes through, on the real kernel: Try it (the guide's tmpfs
    // experiment keeps a shell open), then Check this level reads that very container.
    // Every level's facts, right and one level below, are in LevelCheckRealHelperTest.
    MainWindowDriver d = connected(robot);
    d.selectLevel(2);
    robot.interact(() -> vm.tryIt(org.glasshouse.app.levels.Experiments.ALL.get("02-tmpfs")));
    // A first start of a level on a loaded machine takes longer than the driver's 20 s.
    org.testfx.util.WaitForAsyncUtils.waitFor(
        90,
        TimeUnit.SECONDS,
        () ->
            org.testfx.util.WaitForAsyncUtils.asyncFx(
                    () ->
                        d.selectedContainer() != null
                            && !d.selectedContainer().adopted()
                            && d.selectedContainer().state().live())
                .get());
    String id = d.selectedContainer().id();
    boolean ok =
        org.testfx.util.WaitForAsyncUtils.asyncFx(() -> vm.check())
            .get(30, TimeUnit.SECONDS)
            .get(60, TimeUnit.SECONDS);
    String text = vm.checkResultProperty().get();
    assertTrue(ok, text);
    assertTrue(text.contains(id) && text.contains("mount namespace of its own"), text);
  }

  @Test
  void freePlayPivotRootWithoutAMountPointFailsWithEbusy(FxRobot robot) {
    MainWindowDriver d = connected(robot);
    d.selectLevel(4);
    d.click("#free-play .thumb-area");
    d.click("#feature-overlay");
    d.click("#feature-bind-root");
    d.click("#run");
    d.click("#step-log-tab");
    d.await("the EBUSY banner", () -> d.failureText().contains("EBUSY"));
    assertTrue(d.failureText().contains("pivot_root"), d.failureText());
    assertFalse(d.failureText().endsWith("EBUSY"), "an explanation follows: " + d.failureText());
  }

  @Test
  void aHelperRestartIsShownAndSurvived(FxRobot robot) throws Exception {
    MainWindowDriver d = connected(robot);
    helper.stop();
    d.await("the outage", () -> !d.connectionText().startsWith("connected"));
    helper.relaunch();
    d.await("the reconnect", () -> d.connectionText().startsWith("connected"));
    d.selectLevel(0);
    d.typeCommand("echo back");
    d.click("#run");
    d.await("a container after the restart", () -> d.terminalText().contains("back"));
  }

  @Test
  void aContainerStartedBeforeTheAppConnectsShowsUpInTheList(FxRobot robot) throws Exception {
    MainWindowDriver d = connected(robot);
    // Started detached over the protocol, as `glasshouse run -d` does, by another client.
    String id;
    try (HelperClient other = HelperClient.connect(socket, "glasshouse-test", e -> {})) {
      ObjectNode run = JSON.createObjectNode().put("attach", false);
      run.set(
          "spec",
          JSON.valueToTree(
              Map.of(
                  "image",
                  "busybox",
                  "argv",
                  List.of("/bin/sh", "-c", "sleep 600"),
                  "level",
                  0,
                  "env",
                  Map.of("PATH", "/bin:/usr/bin"))));
      id = other.call(Op.RUN, run).path("container").asText();
    }
    // A second app (its containers view-model) connects now: ps brings the container in.
    SocketLabService late = new SocketLabService(socket);
    try {
      ContainersViewModel seen =
          org.testfx.util.WaitForAsyncUtils.asyncFx(
                  () -> new ContainersViewModel(late, Fx.EXECUTOR))
              .get(10, TimeUnit.SECONDS);
      late.start();
      d.await(
          "the earlier container in the late app's list",
          () ->
              seen.containers().stream()
                  .anyMatch(
                      i ->
                          i.id().equals(id)
                              && i.adopted()
                              && i.state() == ContainerState.RUNNING
                              && i.commandLine().equals("/bin/sh -c sleep 600")));
      // The first app follows every container, so it lists it too (by its events).
      d.await(
          "the earlier container in the window's list",
          () -> vm.containers().containers().stream().anyMatch(i -> i.id().equals(id)));
    } finally {
      late.close();
      lab.remove(id, true).get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void closingTheWindowLeavesItsContainersRunningAndTheNextOneReattaches(FxRobot robot)
      throws Exception {
    MainWindowDriver d = connected(robot);
    d.selectLevel(5);
    d.typeCommand("/bin/sh");
    d.click("#run");
    // This window's shell, not one an earlier test left running that ps selected at connect.
    d.await(
        "a running shell",
        () ->
            d.selectedContainer() != null
                && !d.selectedContainer().adopted()
                && d.selectedContainer().state().live());
    String id = d.selectedContainer().id();
    // The window closes: its connection goes. A presenter restarting the app keeps the demo.
    lab.close();
    SocketLabService reopened = new SocketLabService(socket);
    try {
      ContainersViewModel seen =
          org.testfx.util.WaitForAsyncUtils.asyncFx(
                  () -> new ContainersViewModel(reopened, Fx.EXECUTOR))
              .get(10, TimeUnit.SECONDS);
      reopened.start();
      d.await(
          "the shell, still running, in the reopened app's list",
          () ->
              seen.containers().stream()
                  .anyMatch(
                      i ->
                          i.id().equals(id) && i.adopted() && i.state() == ContainerState.RUNNING));
    } finally {
      reopened.remove(id, true).get(20, TimeUnit.SECONDS);
      reopened.close();
    }
  }
}
