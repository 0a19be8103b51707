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

  /**
   * Level 08's contention Try it shows only its pair in the glass house and the charts; at level 09
   * the next run's house stood next to that pair and its chart among theirs. Another level ends the
   * experiment's choice; ticks the student made stay.
   */
  @Test
  void anotherLevelEndsAnExperimentsChoiceButNotTheStudentsTicks() {
    AppViewModel vm = vm();
    vm.levels().select(8);
    var compare = vm.glassHouse().compare();
    compare.showOnly(List.of("c1", "c2"));
    vm.levels().select(9);
    assertEquals(true, compare.allRunningProperty().get(), "every running container again");
    assertEquals(java.util.Set.of(), java.util.Set.copyOf(compare.ticked()));
    compare.show("c3", true);
    vm.levels().select(10);
    assertEquals(false, compare.allRunningProperty().get(), "the student's own choice stays");
    assertEquals(java.util.Set.of("c3"), java.util.Set.copyOf(compare.ticked()));
  }

  /**
   * Issue #14: the compare menu's ticks (which containers the glass house and the charts show next
   * to the selected one) were forgotten on restart, while the containers themselves keep running
   * and re-attach: a presenter's side-by-side pair was gone. They are kept with the other
   * preferences; a removed container's tick goes with it.
   */
  @Test
  void theCompareMenusTicksSurviveARestart() throws Exception {
    Path prefs = dir.resolve("glasshouse/preferences.properties");
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    lab.onRun =
        spec ->
            CompletableFuture.completedFuture(
                new LabService.Started("c" + n.incrementAndGet() + "0000000000", 10 + n.get()));
    AppViewModel first = vm(new org.glasshouse.app.core.Preferences(prefs, Runnable::run));
    for (int i = 0; i < 3; i++) {
      first.run().run().join();
    }
    var compare = first.glassHouse().compare();
    assertTrue(compare.allRunningProperty().get(), "every running container by default");
    compare.allRunningProperty().set(false);
    compare.show("c10000000000", true);
    compare.show("c30000000000", true);

    AppViewModel again = vm(new org.glasshouse.app.core.Preferences(prefs, Runnable::run));
    var kept = again.glassHouse().compare();
    assertFalse(kept.allRunningProperty().get(), "\"Every running container\" stays unticked");
    assertEquals(
        java.util.Set.of("c10000000000", "c30000000000"), java.util.Set.copyOf(kept.ticked()));
    // Adopted again (the helper still runs them), the ticked ones are the ones shown.
    lab.onPs =
        () ->
            CompletableFuture.completedFuture(
                List.of(row("c10000000000"), row("c20000000000"), row("c30000000000")));
    // A reconnect, as after a restart: the helper's ps is read again and its rows adopted.
    lab.connection(org.glasshouse.app.core.ConnectionStatus.State.CONNECTING, "reconnecting");
    lab.connection(org.glasshouse.app.core.ConnectionStatus.State.CONNECTED, "connected");
    assertEquals(
        List.of("c10000000000", "c30000000000"),
        kept.shown().stream()
            .map(org.glasshouse.app.containers.ContainerItem::id)
            .sorted()
            .toList());
    lab.emit(new LabEvent.Removed("c30000000000"));
    assertEquals(java.util.Set.of("c10000000000"), java.util.Set.copyOf(kept.ticked()));

    AppViewModel third = vm(new org.glasshouse.app.core.Preferences(prefs, Runnable::run));
    assertEquals(
        java.util.Set.of("c10000000000"),
        java.util.Set.copyOf(third.glassHouse().compare().ticked()));
    third.glassHouse().compare().allRunningProperty().set(true);
    AppViewModel fourth = vm(new org.glasshouse.app.core.Preferences(prefs, Runnable::run));
    assertTrue(fourth.glassHouse().compare().allRunningProperty().get());
  }

  /**
   * Issue #14's walk: a start that failed at level 02 (Image field "nosuchimage") still showed its
   * card and its red error after moving to level 00, where nothing had failed. Another level puts
   * the failure away, as another container on show does.
   */
  @Test
  void anotherLevelPutsAFailedStartAway() {
    AppViewModel vm = vm();
    vm.levels().select(2);
    org.glasshouse.protocol.StepEntry bad =
        org.glasshouse.protocol.StepEntry.builder()
            .seq(2)
            .step("image")
            .stage("helper")
            .call("image")
            .args("\"nosuchimage\"")
            .ok(false)
            .result("-1")
            .explanation("the image must exist as <images>/nosuchimage.tar and extract cleanly")
            .durationNanos(9000)
            .build();
    lab.onRun =
        spec -> {
          lab.emit(new LabEvent.Step("f1", bad));
          return CompletableFuture.failedFuture(
              new org.glasshouse.app.core.LabException("step_failed", "image failed", bad, "f1"));
        };
    vm.run().run().join();
    assertTrue(vm.containers().failedStartProperty().get() != null, "precondition: it failed");
    assertFalse(vm.containers().errorProperty().get().isEmpty(), "precondition: its error");
    vm.levels().select(0);
    assertEquals(null, vm.containers().failedStartProperty().get());
    assertEquals("", vm.containers().errorProperty().get());
  }

  /**
   * Issue #14's walk: after a restart, Check did nothing at any level — the helper's ps listed a
   * free-play container (level 02's "switch mount-ns off" Try it) with no level, and reading its
   * level threw on the FX thread. A container without a level is of no level; the others are
   * checked.
   */
  @Test
  void aFreePlayContainerFoundAfterARestartDoesNotStopTheCheck() {
    AppViewModel vm = vm();
    lab.onPs =
        () ->
            CompletableFuture.completedFuture(
                List.of(
                    new org.glasshouse.app.core.ContainerSummary(
                        "f00000000001",
                        "busybox",
                        List.of("/bin/sh"),
                        null,
                        "running",
                        41L,
                        null,
                        null,
                        false,
                        java.time.Instant.parse("2026-12-04T22:00:00Z")),
                    new org.glasshouse.app.core.ContainerSummary(
                        "a00000000005",
                        "busybox",
                        List.of("/bin/sh"),
                        5,
                        "running",
                        42L,
                        null,
                        null,
                        false,
                        java.time.Instant.parse("2026-12-04T22:01:00Z"))));
    // A reconnect, as after a restart: the helper's ps is read again and its rows adopted.
    lab.connection(org.glasshouse.app.core.ConnectionStatus.State.CONNECTING, "reconnecting");
    lab.connection(org.glasshouse.app.core.ConnectionStatus.State.CONNECTED, "connected");
    assertEquals(2, vm.containers().containers().size(), "both adopted");
    vm.levels().select(5);
    assertEquals(
        List.of("a00000000005"),
        vm.candidatesFor(5).stream().map(org.glasshouse.app.containers.ContainerItem::id).toList());
    assertTrue(vm.candidatesFor(2).isEmpty());
    vm.check();
  }

  private static org.glasshouse.app.core.ContainerSummary row(String id) {
    return new org.glasshouse.app.core.ContainerSummary(
        id, "busybox", List.of("/bin/sh"), 4, "running", 99L, null, null, false, null);
  }

  /**
   * A Try it that starts two containers (07-bridge) ran its second from whatever the run panel
   * showed when the first had started: a student who moved to another level meanwhile (a key in the
   * levels list) got a second container of that level, without the bridge. Both run the
   * experiment's own spec.
   */
  @Test
  void aLevelChosenWhileATryItStartsDoesNotChangeItsSecondContainer() {
    AppViewModel vm = vm();
    CompletableFuture<LabService.Started> firstReply = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    lab.onRun =
        spec ->
            n.incrementAndGet() == 1
                ? firstReply
                : CompletableFuture.completedFuture(new LabService.Started("second000000", 12));
    CompletableFuture<List<org.glasshouse.app.containers.ContainerItem>> tried =
        vm.tryIt("07-bridge");
    assertEquals(1, lab.runs.size(), "the second waits for the first");
    vm.levels().select(3);
    firstReply.complete(new LabService.Started("first0000000", 11));
    assertEquals(2, tried.join().size());
    assertEquals(2, lab.runs.size());
    for (org.glasshouse.protocol.RunSpec spec : lab.runs) {
      assertEquals(7, spec.level(), "each container of the experiment at its level: " + spec);
      assertEquals(org.glasshouse.protocol.RunSpec.NETWORK_BRIDGE, spec.network());
    }
    assertEquals(3, vm.run().levelProperty().get(), "the level the student chose stays");
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
    // The result described that container at that level: another level on show drops it, and
    // coming back does not bring back a result about a moment gone (the level's mark stays).
    vm.levels().select(4);
    assertEquals("", vm.checkResultProperty().get(), "level 04 shows no level-05 result");
    vm.levels().select(5);
    assertEquals("", vm.checkResultProperty().get(), "no stale result back at level 05");
    assertEquals(null, vm.levels().outcomeProperty().get());
  }

  /** Level-05 containers: "c-run" with its own UTS namespace, answers for the host too. */
  private void level05(String id, boolean ownUts) {
    lab.inspections.put(id, uts(id, ownUts, ownUts ? id : "laptop"));
    lab.inspections.put("host", uts("host", false, "laptop"));
  }

  private static CompletableFuture<LabService.Started> started(String id) {
    return CompletableFuture.completedFuture(new LabService.Started(id, 9));
  }

  /**
   * The class walk: Run at level 05 (a shell, running), then a Try it whose command ends at once —
   * the Try it's container is the selected one, and Check read it: "not running any more". Check
   * looks at the level's containers, the running ones first: the shell passes.
   */
  @Test
  void aCheckAfterATryItWhoseContainerEndedChecksTheLevelsRunningContainer() {
    AppViewModel vm = vm();
    vm.levels().select(5);
    lab.onRun = spec -> started("aaaaaaaa0001");
    vm.run().run().join();
    level05("aaaaaaaa0001", true);
    lab.onRun = spec -> started("bbbbbbbb0002");
    vm.tryIt("05-no-uts").join();
    lab.emit(new LabEvent.Exited("bbbbbbbb0002", 0, null, false, 5));
    assertEquals("bbbbbbbb0002", vm.containers().selected().id(), "the Try it's, ended");
    assertTrue(vm.check().join(), vm.checkResultProperty().get());
    String text = vm.checkResultProperty().get();
    assertTrue(text.startsWith("Level 05 done (container aaaaaaaa0001)"), text);
    assertFalse(lab.requests.contains("inspect bbbbbbbb0002 upper"), "an ended one is not read");
  }

  /** Nothing of the level runs any more: the result says so and what to do, in words. */
  @Test
  void aCheckWithNoContainerRunningSaysRunTheLevelFirst() {
    AppViewModel vm = vm();
    vm.levels().select(5);
    lab.onRun = spec -> started("cccccccc0003");
    vm.run().run().join();
    level05("cccccccc0003", true);
    lab.emit(new LabEvent.Exited("cccccccc0003", 0, null, false, 5));
    assertFalse(vm.check().join());
    String text = vm.checkResultProperty().get();
    assertTrue(text.contains("(container cccccccc0003)"), text);
    assertTrue(text.contains("it has ended (exit 0)"), text);
    assertTrue(text.contains("Run the level first (the Run button)"), text);
  }

  /**
   * Level 09: the student's shell runs (no OOM kill in it), the Try it's memory hog was OOM-killed
   * and ended. With the shell selected, Check read only the shell and failed; the level's OOM kill
   * is in the other container, and that one passes.
   */
  @Test
  void aLevel09CheckFindsTheOomKillInTheContainerThatEnded() {
    AppViewModel vm = vm();
    lab.onRun = spec -> started("dddddddd0004");
    vm.tryIt("09-oom").join();
    lab.emit(
        new LabEvent.Step(
            "dddddddd0004",
            FakeLabService.ok(
                30, "cgroup-memory", "write", "\"/x/memory.limit_in_bytes\", \"16777216\"")));
    lab.emit(new LabEvent.Exited("dddddddd0004", null, "KILL", true, 5));
    vm.run().commandProperty().set("/bin/sh");
    lab.onRun = spec -> started("eeeeeeee0005");
    vm.run().run().join();
    lab.inspections.put(
        "eeeeeeee0005",
        TestInspections.inspection(
            "eeeeeeee0005", Map.of("mem", 1L), "sh", TestInspections.stats(1L << 20, null, null)));
    lab.inspections.put("host", uts("host", false, "laptop"));
    assertEquals("eeeeeeee0005", vm.containers().selected().id(), "the shell, selected");
    assertTrue(vm.check().join(), vm.checkResultProperty().get());
    assertTrue(
        vm.checkResultProperty().get().startsWith("Level 09 done (container dddddddd0004)"),
        vm.checkResultProperty().get());
  }

  /**
   * A result is about one container at one moment: another container selected, or the checked one
   * ending, takes it off the guide (it read as the new selection's); a check that completes after
   * the student moved to another level is not shown there (its pass still marks the level).
   */
  @Test
  void aCheckResultGoesWhenTheSelectionChangesOrItsContainerEnds() {
    AppViewModel vm = vm();
    vm.levels().select(5);
    lab.onRun = spec -> started("ffffffff0006");
    vm.run().run().join();
    level05("ffffffff0006", true);
    lab.onRun = spec -> started("ffffffff0007");
    vm.run().run().join();
    level05("ffffffff0007", true);
    assertTrue(vm.check().join());
    assertTrue(vm.checkResultProperty().get().contains("ffffffff0007"));
    vm.containers().select("ffffffff0006");
    assertEquals("", vm.checkResultProperty().get(), "another container on show");
    assertEquals(null, vm.levels().outcomeProperty().get());

    assertTrue(vm.check().join());
    assertTrue(vm.checkResultProperty().get().contains("ffffffff0006"));
    lab.emit(new LabEvent.Exited("ffffffff0006", 0, null, false, 5));
    assertEquals("", vm.checkResultProperty().get(), "the container it read ended");
  }

  @Test
  void aCheckThatCompletesAfterTheLevelChangedIsNotShownUnderTheOtherLevel() {
    java.util.ArrayDeque<Runnable> later = new java.util.ArrayDeque<>();
    Runnable drain =
        () -> {
          while (!later.isEmpty()) {
            later.poll().run();
          }
        };
    AppViewModel vm =
        new AppViewModel(
            lab,
            later::add,
            Runnable::run,
            new ProgressStore(dir.resolve("progress")),
            new HelperStarter(dir.resolve("s.sock")));
    drain.run();
    vm.levels().select(5);
    lab.onRun = spec -> started("abababab0008");
    CompletableFuture<?> run = vm.run().run();
    drain.run();
    run.join();
    level05("abababab0008", true);
    CompletableFuture<Boolean> check = vm.check();
    assertTrue(vm.checkResultProperty().get().startsWith("Checking level 05"));
    vm.levels().select(6);
    drain.run();
    assertTrue(check.join(), "it passed");
    assertTrue(vm.levels().passed().contains(5), "and the level is marked done");
    assertEquals("", vm.checkResultProperty().get(), "but level 06 shows no level-05 result");
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
