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
}
