package org.glasshouse.app.glasshouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.ContainerSummary;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Recording;
import org.junit.jupiter.api.Test;

/**
 * Issue #9's "house shown half-built": however a container comes into focus — selected, standing in
 * ("Newest running") after the shown one was removed, ticked in the compare menu, adopted when the
 * app connects — its house is built from its step log (its root filesystem's layers built, its
 * limits written) and its build can be replayed, whether the app saw its steps come or the helper
 * had to be asked for them (the fake answers {@code steps} with the recorded step log, as the
 * helper does).
 */
class FocusBuiltTest {
  /** Level 12's recorded container (walls, limits, overlay): started first. */
  private static final Recording LEVEL_12 = FixtureLab.load("level-12");

  /** Level 04's recorded container (overlay only, no walls but mnt): started second, the newest. */
  private static final Recording LEVEL_04 = FixtureLab.load("level-04");

  private static String id(Recording r) {
    return r.events(LabEvent.Started.class).get(0).container();
  }

  private static final String L12 = id(LEVEL_12);
  private static final String L04 = id(LEVEL_04);

  private static ContainerSummary row(Recording r, int second) {
    com.fasterxml.jackson.databind.JsonNode spec = r.header().get("spec");
    List<String> argv = new ArrayList<>();
    spec.get("argv").forEach(a -> argv.add(a.asText()));
    LabEvent.Started s = r.events(LabEvent.Started.class).get(0);
    return new ContainerSummary(
        s.container(),
        spec.get("image").asText(),
        argv,
        spec.get("level").asInt(),
        "running",
        s.pid(),
        null,
        null,
        false,
        Instant.parse("2026-12-04T21:00:00Z").plusSeconds(second));
  }

  /**
   * Both containers started from the command line before the app connected: it learns of them from
   * ps, and of their steps only by asking (no step event of theirs comes).
   */
  private static FixtureLab adoptedAtLaunch() {
    FixtureLab f = new FixtureLab();
    f.lab.answerFrom(LEVEL_12);
    f.lab.answerFrom(LEVEL_04);
    f.lab.containers = List.of(row(LEVEL_12, 0), row(LEVEL_04, 2));
    f.lab.connection(ConnectionStatus.State.CONNECTING, "connecting");
    f.lab.connection(ConnectionStatus.State.CONNECTED, "connected");
    return f;
  }

  /** Both started from the command line while the app runs: their steps come as events. */
  private static FixtureLab startedWhileConnected() {
    FixtureLab f = new FixtureLab();
    f.compare.allRunningProperty().set(false);
    List<LabEvent> rest = new ArrayList<>(f.playRunning(LEVEL_12));
    rest.addAll(f.playRunning(LEVEL_04));
    f.lab.containers = List.of(row(LEVEL_12, 0), row(LEVEL_04, 2));
    return f;
  }

  private static HouseModel house(FixtureLab f, String id) {
    return f.scene().houses().stream()
        .filter(h -> h.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " not shown: " + f.scene().houses()));
  }

  /** The house of {@code id} is built from its steps, and is the one in focus, replayable. */
  private static void builtInFocus(FixtureLab f, String id) {
    SceneModel s = f.scene();
    assertEquals(id, s.focus(), "the house in focus; note: " + s.note());
    assertFalse(s.stages().isEmpty(), "its build can be replayed: " + s.note());
    built(f, id);
  }

  private static void built(FixtureLab f, String id) {
    HouseModel h = house(f, id);
    assertEquals(HouseModel.RootFsModel.Kind.OVERLAY, h.rootfs().kind(), id);
    assertTrue(
        h.rootfs().built().containsAll(List.of("image", "overlay", "pivot")),
        id + "'s root filesystem layers built (not faded): " + h.rootfs().built());
    if (id.equals(L12)) {
      assertTrue(
          h.gauges().stream().anyMatch(HouseModel.GaugeModel::limited),
          "level 12's limits are written: " + h.gauges());
    }
  }

  @Test
  void adoptedAtLaunchTheSelectedContainersHouseIsBuilt() {
    FixtureLab f = adoptedAtLaunch();
    assertEquals(L04, f.containers.selected().id(), "the newest running is selected");
    builtInFocus(f, L04);
    assertTrue(f.lab.requests.contains("steps " + L04), f.lab.requests.toString());
  }

  @Test
  void adoptedContainersHaveTheirStepsInTheAppForTheStepLogToo() {
    FixtureLab f = adoptedAtLaunch();
    for (ContainerItem i : f.containers.containers()) {
      assertEquals(
          f.lab.stepLogs.get(i.id()).size(), i.steps().size(), i.id() + "'s steps: " + i.steps());
    }
  }

  @Test
  void afterTheSelectedOneIsRemovedTheNextSelectedIsBuilt() {
    FixtureLab f = adoptedAtLaunch();
    f.compare.allRunningProperty().set(false);
    f.lab.emit(new LabEvent.Exited(L04, null, "SIGKILL", false, 10));
    f.lab.emit(new LabEvent.Removed(L04));
    assertEquals(L12, f.containers.selected().id());
    builtInFocus(f, L12);
  }

  @Test
  void aStandInAfterTheShownOneIsRemovedIsBuiltAndInFocus() {
    FixtureLab f = adoptedAtLaunch();
    f.compare.allRunningProperty().set(false);
    f.containers.selectedProperty().set(null);
    builtInFocus(f, L04);
    assertTrue(f.scene().note().startsWith("Newest running"), f.scene().note());
    f.vm.selectStage(1);
    assertEquals(
        new org.glasshouse.app.core.Navigator.StepFocus(L04, f.scene().selectedSeq()),
        f.navigator.focusedStepProperty().get(),
        "its steps light up, in the step log too");
    f.lab.emit(new LabEvent.Exited(L04, null, "SIGKILL", false, 10));
    f.lab.emit(new LabEvent.Removed(L04));
    builtInFocus(f, L12);
  }

  @Test
  void aStandInStartedWhileTheAppRunsIsInFocusAndReplayable() {
    FixtureLab f = startedWhileConnected();
    builtInFocus(f, L04);
    f.vm.replay();
    assertTrue(f.scene().replaying(), "its replay starts");
    f.vm.stepForward();
    assertTrue(f.scene().note().startsWith("Step 1 of "), "the replay's note: " + f.scene().note());
    f.vm.live();
    assertTrue(f.scene().note().startsWith("Newest running"), f.scene().note());
    f.lab.emit(new LabEvent.Exited(L04, null, "SIGKILL", false, 10));
    f.lab.emit(new LabEvent.Removed(L04));
    builtInFocus(f, L12);
  }

  @Test
  void aContainerTickedInTheCompareMenuIsBuilt() {
    FixtureLab f = adoptedAtLaunch();
    f.compare.allRunningProperty().set(false);
    assertEquals(1, f.scene().houses().size());
    f.compare.show(L12, true);
    assertEquals(2, f.scene().houses().size());
    builtInFocus(f, L04);
    built(f, L12);
    f.vm.focusOn(L12);
    builtInFocus(f, L12);
  }

  @Test
  void aContainerTheAppConnectedToMidStartGetsTheStepsItMissed() {
    // The app connects while a start from the command line is under way: ps lists it "created",
    // only its last steps come as events; the rest, asked once it runs, complete its house.
    FixtureLab f = new FixtureLab();
    f.lab.answerFrom(LEVEL_12);
    ContainerSummary r = row(LEVEL_12, 0);
    f.lab.containers =
        List.of(
            new ContainerSummary(
                r.id(),
                r.image(),
                r.argv(),
                r.level(),
                "created",
                null,
                null,
                null,
                false,
                r.createdAt()));
    f.lab.connection(ConnectionStatus.State.CONNECTING, "connecting");
    f.lab.connection(ConnectionStatus.State.CONNECTED, "connected");
    List<LabEvent.Step> steps = LEVEL_12.events(LabEvent.Step.class);
    steps.subList(steps.size() - 5, steps.size()).forEach(f.lab::emit);
    f.lab.containers = List.of(r);
    f.lab.emit(new LabEvent.Started(L12, r.pid()));
    f.containers.select(L12);
    builtInFocus(f, L12);
    ContainerItem item = f.containers.selected();
    assertEquals(steps.size(), item.steps().size(), "every step once, in order");
    for (int k = 1; k < item.steps().size(); k++) {
      assertTrue(
          item.steps().get(k - 1).seq() < item.steps().get(k).seq(), item.steps().toString());
    }
  }
}
