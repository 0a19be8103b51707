package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.HelperStarter;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.levels.ProgressStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppViewModelTest {
  @TempDir Path dir;
  private final FakeLabService lab = new FakeLabService();

  private AppViewModel vm() {
    return new AppViewModel(
        lab,
        Runnable::run,
        Runnable::run,
        new ProgressStore(dir.resolve("progress")),
        new HelperStarter(dir.resolve("s.sock")));
  }

  @Test
  void aGreenCheckMarksTheLevelDone() {
    AppViewModel vm = vm();
    vm.levels().select(5);
    assertEquals(5, vm.run().levelProperty().get(), "the level drives the run panel");
    lab.onRun =
        spec -> {
          CompletableFuture<LabService.Started> f =
              CompletableFuture.completedFuture(new LabService.Started("0123456789ab", 9));
          return f.whenComplete(
              (r, t) -> {
                lab.emit(
                    new LabEvent.Output(
                        "0123456789ab",
                        "stdout",
                        "0123456789ab\n".getBytes(StandardCharsets.UTF_8)));
                lab.emit(new LabEvent.Exited("0123456789ab", 0, null, false, 3));
              });
        };
    assertTrue(vm.check().join());
    assertEquals(List.of("hostname"), lab.runs.get(0).argv());
    assertEquals(5, lab.runs.get(0).level());
    assertFalse(lab.runs.get(0).tty());
    assertTrue(vm.levels().passed().contains(5));
    assertTrue(vm.checkResultProperty().get().startsWith("Level 05 done"));
  }

  @Test
  void aWrongAnswerFailsTheCheckWithWhatItSaw() {
    AppViewModel vm = vm();
    vm.levels().select(5);
    lab.onRun =
        spec ->
            CompletableFuture.completedFuture(new LabService.Started("c9", 9))
                .whenComplete(
                    (r, t) -> {
                      lab.emit(
                          new LabEvent.Output(
                              "c9", "stdout", "myhost\n".getBytes(StandardCharsets.UTF_8)));
                      lab.emit(new LabEvent.Exited("c9", 0, null, false, 3));
                    });
    assertFalse(vm.check().join());
    assertFalse(vm.levels().passed().contains(5));
    assertTrue(vm.checkResultProperty().get().contains("'myhost'"), vm.checkResultProperty().get());
  }

  @Test
  void selectingAContainerFeedsStepLogAndInsideOutside() {
    AppViewModel vm = vm();
    lab.onRun =
        spec -> {
          lab.emit(
              new LabEvent.Step("c1", FakeLabService.ok(1, "uts-ns", "sethostname", "\"c1\"")));
          return CompletableFuture.completedFuture(new LabService.Started("c1", 9));
        };
    vm.run().run().join();
    assertEquals("sethostname", vm.stepLog().steps().get(0).call());
    assertTrue(lab.requests.contains("inspect c1"), lab.requests.toString());
    assertTrue(lab.requests.contains("subscribe c1 telemetry 1000"), lab.requests.toString());
  }
}
