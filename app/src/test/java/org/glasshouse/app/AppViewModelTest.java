package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.HelperStarter;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.levels.ProgressStore;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.NetworkInfo;
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

  private static InspectResult uts(String target, boolean own, String hostname) {
    return InspectResult.builder()
        .target(target)
        .pid(9)
        .namespaces(
            Map.of("uts", new InspectResult.NamespaceView(own ? 2L : 1L, 1L, !own, 1, List.of())))
        .processes(List.of())
        .network(new NetworkInfo(hostname, List.of(), null))
        .upperDir(List.of())
        .build();
  }

  /**
   * The last class walk restarted the app at level 06 (its containers re-attached) and it opened at
   * level 00: the presenter had to find the level again in front of the room.
   */
  @Test
  void aRestartedAppOpensAtTheLevelItClosedAt() {
    Path prefs = dir.resolve("glasshouse/preferences.properties");
    AppViewModel first = vm(new org.glasshouse.app.core.Preferences(prefs, Runnable::run));
    assertEquals(0, first.levels().selected().number(), "a first start opens at level 00");
    first.levels().select(6);
    AppViewModel again = vm(new org.glasshouse.app.core.Preferences(prefs, Runnable::run));
    assertEquals(6, again.levels().selected().number());
    assertEquals(6, again.run().levelProperty().get(), "the run panel with it");
  }

  private AppViewModel vm(org.glasshouse.app.core.Preferences preferences) {
    return new AppViewModel(
        lab,
        Runnable::run,
        Runnable::run,
        new ProgressStore(dir.resolve("progress")),
        new HelperStarter(dir.resolve("s.sock")),
        preferences);
  }

  @Test
  void aCheckReadsTheStudentsOwnContainerAndMarksTheLevelDone() {
    AppViewModel vm = vm();
    vm.levels().select(5);
    assertEquals(5, vm.run().levelProperty().get(), "the level drives the run panel");
    assertFalse(vm.check().join(), "no container of level 05 yet");
    assertTrue(vm.checkResultProperty().get().contains("no container of level 05"));
    lab.onRun =
        spec -> CompletableFuture.completedFuture(new LabService.Started("0123456789ab", 9));
    vm.run().run().join();
    lab.inspections.put("0123456789ab", uts("0123456789ab", true, "0123456789ab"));
    lab.inspections.put("host", uts("host", false, "laptop"));
    int runs = lab.runs.size();
    assertTrue(vm.check().join(), vm.checkResultProperty().get());
    assertEquals(runs, lab.runs.size(), "the check starts no container of its own");
    assertTrue(lab.requests.contains("inspect 0123456789ab upper"), lab.requests.toString());
    assertTrue(vm.levels().passed().contains(5));
    String text = vm.checkResultProperty().get();
    assertTrue(text.startsWith("Level 05 done"), text);
    assertTrue(text.contains("its hostname is 0123456789ab; the host's is still laptop"), text);
  }

  @Test
  void aCheckOfTheWrongThingSaysWhatItFoundInstead() {
    AppViewModel vm = vm();
    vm.levels().select(5);
    lab.onRun = spec -> CompletableFuture.completedFuture(new LabService.Started("c9", 9));
    vm.run().run().join();
    lab.inspections.put("c9", uts("c9", false, "laptop"));
    lab.inspections.put("host", uts("host", false, "laptop"));
    assertFalse(vm.check().join());
    assertFalse(vm.levels().passed().contains(5));
    String text = vm.checkResultProperty().get();
    assertTrue(
        text.contains("this container has no UTS namespace of its own: it shares the host's"),
        text);
    vm.levels().select(4);
    vm.levels().select(5);
    assertEquals(text, vm.checkResultProperty().get(), "the result stays until the next check");
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

  @Test
  void closingKeepsContainersUnlessTheClassroomPreferenceRemovesThemAll() throws Exception {
    AppViewModel vm = vm();
    String[] ids = {"aaaaaaaaaaa1", "aaaaaaaaaaa2"};
    int[] n = {0};
    lab.onRun =
        spec -> CompletableFuture.completedFuture(new LabService.Started(ids[n[0]++], 10 + n[0]));
    vm.run().run().get();
    vm.run().run().get();
    assertEquals(2, vm.containers().containers().size());
    vm.close(false).get();
    assertTrue(
        lab.requests.stream().noneMatch(r -> r.startsWith("remove")),
        "closing leaves them running: " + lab.requests);
    vm.close(true).get();
    assertTrue(lab.requests.contains("remove " + ids[0]), lab.requests.toString());
    assertTrue(lab.requests.contains("remove " + ids[1]), lab.requests.toString());
  }
}
