package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
    // It ended at once (this stand-in): said in the status bar, not started again behind the
    // user's back on the next failed retry, nor when a helper is later lost.
    assertTrue(auto.startMessageProperty().get().contains("ended at once"));
    fake.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    fake.connection(ConnectionStatus.State.LOST, "the helper went away");
    fake.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    assertEquals(1, java.nio.file.Files.readAllLines(log).size(), "once only");
    assertTrue(auto.canStart().get(), "Start helper… is offered after that");
  }

  @Test
  void anOrdinaryStarterNeverStartsUnasked() {
    assertFalse(starter.startsByItself());
    assertEquals(
        HelperStarter.isRoot(), HelperStarter.forApp(Path.of("/tmp/x.sock")).startsByItself());
    lab.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    assertEquals("", vm.startMessageProperty().get(), "nothing started: the user is asked");
  }
}
