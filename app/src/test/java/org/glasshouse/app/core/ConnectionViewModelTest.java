package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.glasshouse.protocol.Privilege;
import org.junit.jupiter.api.Test;

class ConnectionViewModelTest {
  private final FakeLabService lab = new FakeLabService();
  private final HelperStarter starter = new HelperStarter(Path.of("/tmp/glasshouse-test.sock"));
  private final ConnectionViewModel vm =
      new ConnectionViewModel(lab, Runnable::run, Runnable::run, starter);

  @Test
  void offlineOnlyWhenNoHelperAnswers() {
    assertFalse(vm.offline().get());
    lab.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    assertTrue(vm.offline().get());
    lab.connection(ConnectionStatus.State.CONNECTING, "connecting");
    assertFalse(vm.offline().get(), "no Retry button while a try is under way");
    vm.retry();
    assertEquals("retry", lab.requests.get(lab.requests.size() - 1));
  }

  @Test
  void theOfferSaysWhatWillRunAndWhy() {
    String text = vm.startExplanation();
    assertTrue(text.contains("runs as root"), text);
    assertTrue(text.contains("helper --socket /tmp/glasshouse-test.sock"), text);
    assertTrue(text.contains(starter.logFile().toString()), text);
  }

  @Test
  void asRootTheAppStartsTheHelperOnceByItself(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path log = dir.resolve("starts");
    // A stand-in that records each start and ends at once (the real helper: HelperAutoStartTest).
    HelperStarter unasked =
        HelperStarter.unasked(
            dir.resolve("s.sock"), java.util.List.of("/bin/sh", "-c", "echo start >> " + log));
    FakeLabService fake = new FakeLabService();
    ConnectionViewModel auto = new ConnectionViewModel(fake, Runnable::run, Runnable::run, unasked);
    fake.connection(ConnectionStatus.State.CONNECTING, "connecting");
    assertFalse(java.nio.file.Files.exists(log), "nothing started while connecting");
    fake.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    assertEquals(1, java.nio.file.Files.readAllLines(log).size(), "started at once, unasked");
    assertEquals(dir.resolve("helper.log"), unasked.logFile());
    assertTrue(
        java.nio.file.Files.exists(unasked.logFile()),
        "its output goes beside its socket, in this test's dir, not into the app's shared log");
    // It ended at once (this stand-in): said in the status bar, not started again behind the
    // user's back on the next failed retry, nor when a helper is later lost.
    assertTrue(auto.startMessageProperty().get().contains("ended at once"));
    fake.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    fake.connection(ConnectionStatus.State.LOST, "the helper went away");
    fake.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    assertEquals(1, java.nio.file.Files.readAllLines(log).size(), "once only");
    assertTrue(auto.canStart().get(), "Start helper… is offered after that");
  }

  /**
   * The class walk (room15): the app connected to a helper at launch, the helper was stopped
   * mid-class, and the app — as root — started a new one within the second, unasked (with the
   * default state dir: /var/lib/glasshouse appeared). Only a launch that finds no helper starts one
   * by itself; a helper lost later is the status bar's to say, and Start's to bring back.
   */
  @Test
  void asRootAHelperLostAfterConnectingIsNotRestartedUnasked(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path log = dir.resolve("starts");
    HelperStarter unasked =
        HelperStarter.unasked(
            dir.resolve("s.sock"), java.util.List.of("/bin/sh", "-c", "echo start >> " + log));
    FakeLabService fake = new FakeLabService();
    ConnectionViewModel auto = new ConnectionViewModel(fake, Runnable::run, Runnable::run, unasked);
    fake.connection(ConnectionStatus.State.CONNECTING, "connecting");
    fake.connection(ConnectionStatus.State.CONNECTED, "connected to glasshouse-helper/0.1.0");
    fake.connection(ConnectionStatus.State.LOST, "the helper went away");
    fake.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    assertFalse(java.nio.file.Files.exists(log), "a helper lost later was restarted unasked");
    assertTrue(auto.canStart().get(), "Start helper… is offered instead");
  }

  /**
   * The package installed and systemd running: the app, even as root, only connects. The socket
   * unit is the helper (socket activation starts it on the first connection); a second helper
   * beside it would share its state dir and sweep its live containers.
   */
  @Test
  void asRootTheInstalledServiceWinsAndNothingIsStarted(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path root = dir.resolve("root");
    Path unit = root.resolve("lib/systemd/system/glasshouse.socket");
    java.nio.file.Files.createDirectories(unit.getParent());
    java.nio.file.Files.writeString(unit, "[Socket]\nListenStream=/run/glasshouse/helper.sock\n");
    java.nio.file.Files.createDirectories(root.resolve("run/systemd/system"));
    Path log = dir.resolve("starts");
    HelperStarter unasked =
        HelperStarter.unasked(
            dir.resolve("s.sock"),
            root,
            java.util.List.of("/bin/sh", "-c", "echo start >> " + log));
    assertTrue(unasked.startsByItself(), "as root: it would start a helper by itself");
    FakeLabService fake = new FakeLabService();
    ConnectionViewModel auto = new ConnectionViewModel(fake, Runnable::run, Runnable::run, unasked);
    fake.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    fake.connection(ConnectionStatus.State.LOST, "the helper went away");
    fake.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    assertFalse(java.nio.file.Files.exists(log), "no helper started beside the service");
    assertEquals("", auto.startMessageProperty().get());
    assertFalse(auto.canStart().get(), "no Start helper… offered either");
    assertTrue(
        auto.serviceNoteProperty().get().contains("systemctl status glasshouse.socket"),
        auto.serviceNoteProperty().get());
    java.io.IOException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class, unasked::start, "a direct start is refused too");
    assertTrue(refused.getMessage().contains("not starting a helper"), refused.getMessage());
    assertFalse(java.nio.file.Files.exists(log));
  }

  @Test
  void anOrdinaryStarterNeverStartsUnasked() {
    assertFalse(starter.startsByItself());
    assertEquals(
        Privilege.runningAsRoot(), HelperStarter.forApp(Path.of("/tmp/x.sock")).startsByItself());
    lab.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    assertEquals("", vm.startMessageProperty().get(), "nothing started: the user is asked");
  }
}
