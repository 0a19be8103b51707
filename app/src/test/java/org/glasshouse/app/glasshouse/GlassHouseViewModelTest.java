package org.glasshouse.app.glasshouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Navigator;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.glasshouse.HouseModel.GaugeModel;
import org.glasshouse.app.glasshouse.HouseModel.ProcessModel;
import org.glasshouse.app.glasshouse.HouseModel.RootFsModel;
import org.glasshouse.app.glasshouse.HouseModel.WallModel;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Test;

/**
 * The glass house's view-model fed by events and inspections recorded from a real helper (the
 * fixtures in {@code glasshouse/fixtures/}, see {@link GlassHouseFixtureRecorder}): the lessons of
 * each level, as the picture's model states them.
 */
class GlassHouseViewModelTest {

  private static Map<NsType, Boolean> standing(HouseModel h) {
    Map<NsType, Boolean> out = new LinkedHashMap<>();
    h.walls().forEach(w -> out.put(w.type(), w.standing()));
    return out;
  }

  private static HouseModel only(FixtureLab f) {
    assertEquals(1, f.scene().houses().size(), f.scene().houses().toString());
    return f.scene().houses().get(0);
  }

  @Test
  void level00HasNoWallsAndTheHostsRoot() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-00");
    f.playRunning(r);
    f.selectFirst(r);
    HouseModel h = only(f);
    assertTrue(h.walls().stream().noneMatch(WallModel::standing), standing(h).toString());
    assertTrue(h.walls().stream().allMatch(w -> w.colour() == -1 && w.inode() != null));
    assertEquals(RootFsModel.Kind.HOST, h.rootfs().kind());
    assertTrue(h.gauges().stream().noneMatch(GaugeModel::limited), "no cgroup of its own");
    assertFalse(h.net().own());
    assertFalse(h.processes().isEmpty());
    ProcessModel p = h.processes().get(0);
    assertEquals(p.hostPid(), (long) p.nsPid(), "one number: no PID wall");
    assertTrue(
        f.lab.requests.stream()
            .anyMatch(
                q -> q.startsWith("subscribe " + h.id() + " telemetry,namespaces,mounts 500")),
        f.lab.requests.toString());
  }

  /** Level 12's recorded run, as the app asks for it. */
  private static final RunSpec LEVEL_12 =
      RunSpec.builder()
          .image("busybox")
          .level(12)
          .argv(List.of("/bin/sh", "-c", "sleep 30 & exec sleep 30"))
          .build();

  private static final List<NsType> LEVEL_12_WALLS =
      List.of(NsType.MNT, NsType.UTS, NsType.IPC, NsType.PID, NsType.NET, NsType.CGROUP);

  private static boolean isUnshare(LabEvent e) {
    return e instanceof LabEvent.Step s && "unshare".equals(s.entry().call());
  }

  @Test
  void theStartingLineCutsALongCallTheStepLogKeepsWhole() {
    String classPath =
        String.join(":", java.util.Collections.nCopies(40, "/usr/share/glasshouse/lib/x.jar"));
    org.glasshouse.protocol.StepEntry spawn =
        org.glasshouse.app.core.FakeLabService.ok(
            7,
            "spawn",
            "posix_spawn",
            "\"/usr/lib/jvm/java-17/bin/java\", [\"-cp\", \"" + classPath + "\"]");
    String shown = HouseBuilder.startingCall(spawn);
    assertTrue(shown.length() <= HouseBuilder.STARTING_CALL_CHARS, shown);
    assertTrue(shown.startsWith("posix_spawn(\"/usr/lib/jvm/java-17/bin/java\""), shown);
    assertTrue(shown.endsWith("…)"), shown);
    org.glasshouse.protocol.StepEntry shortOne =
        org.glasshouse.app.core.FakeLabService.ok(2, "uts-ns", "unshare", "CLONE_NEWUTS");
    assertEquals("unshare(CLONE_NEWUTS)", HouseBuilder.startingCall(shortOne));
  }

  @Test
  void aStartingContainerShowsItsPlannedWallsNotAHostProcess() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-12");
    // The helper answers a run only once its container runs: until then the app has its steps.
    f.lab.onRun = s -> new java.util.concurrent.CompletableFuture<>();
    f.containers.run(LEVEL_12, false);
    List<LabEvent> rest = f.play(r, GlassHouseViewModelTest::isUnshare);
    HouseModel h = only(f);
    assertEquals(HouseModel.Phase.STARTING, h.phase());
    assertTrue(h.walls().stream().noneMatch(WallModel::standing), standing(h).toString());
    for (NsType t : LEVEL_12_WALLS) {
      assertTrue(h.wall(t).planned(), t + " is to come: " + h.walls());
    }
    assertFalse(h.wall(NsType.USER).planned(), "no level raises a user namespace");
    assertNotNull(h.starting(), "its rooms say it is being built");
    assertTrue(h.starting().contains("the walls MNT UTS IPC PID NET CGROUP"), h.starting());
    assertTrue(h.starting().contains("limits on cpu, memory, pids"), h.starting());
    assertEquals("/bin/sh -c sleep 30 & exec sleep 30", h.command());
    assertEquals(12, h.level());

    // The warm pool's unshare raises every wall at once: they stand, no longer planned.
    LabEvent started = null;
    for (LabEvent e : rest) {
      if (e instanceof LabEvent.Started) {
        started = e;
        break;
      }
      f.lab.emit(e);
    }
    h = only(f);
    for (NsType t : LEVEL_12_WALLS) {
      assertTrue(h.wall(t).standing() && !h.wall(t).planned(), t + ": " + h.walls());
    }
    assertNotNull(h.starting(), "still starting until its process runs");
    assertFalse(h.starting().contains("the walls"), h.starting());

    f.lab.emit(started);
    h = only(f);
    assertEquals(HouseModel.Phase.RUNNING, h.phase());
    assertEquals(null, h.starting(), "running: its rooms show its facts");
    assertTrue(h.walls().stream().noneMatch(WallModel::planned));
  }

  @Test
  void aContainerAnotherClientStartsSaysItIsBeingBuiltWithoutGuessing() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-12");
    f.play(r, GlassHouseViewModelTest::isUnshare);
    HouseModel h = only(f);
    assertEquals(HouseModel.Phase.STARTING, h.phase());
    assertTrue(
        h.walls().stream().noneMatch(w -> w.standing() || w.planned()), h.walls().toString());
    assertNotNull(h.starting());
    assertTrue(h.starting().startsWith("Starting… step "), h.starting());
    assertTrue(h.starting().contains("its rooms fill in once it runs"), h.starting());
  }

  @Test
  void level01IsAChrootWhoseMountsLeak() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-01");
    f.playRunning(r);
    f.selectFirst(r);
    HouseModel h = only(f);
    assertEquals(RootFsModel.Kind.CHROOT, h.rootfs().kind());
    assertTrue(h.rootfs().leak(), "it shares the host's mount namespace: its mounts leak");
    assertFalse(h.wall(NsType.MNT).standing());
  }

  @Test
  void level05RaisesUtsAndIpcWallsInColoursOfTheirOwn() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-05");
    f.playRunning(r);
    f.selectFirst(r);
    HouseModel h = only(f);
    Map<NsType, Boolean> s = standing(h);
    assertTrue(s.get(NsType.UTS) && s.get(NsType.IPC) && s.get(NsType.MNT), s.toString());
    assertFalse(s.get(NsType.PID) || s.get(NsType.NET) || s.get(NsType.USER), s.toString());
    WallModel uts = h.wall(NsType.UTS);
    WallModel ipc = h.wall(NsType.IPC);
    assertTrue(uts.colour() >= 0 && ipc.colour() >= 0, "not the host's colour");
    assertNotEquals(uts.colour(), ipc.colour(), "two namespaces, two colours");
    assertNotEquals(uts.letter(), ipc.letter());
    assertEquals(h.id(), uts.note(), "the hostname lives in the UTS wall");
    assertTrue(
        uts.builtBy().startsWith("unshare(") && uts.builtBy().contains("CLONE_NEWUTS"),
        uts.builtBy());
    assertEquals(h.id(), h.net().hostname());
    assertTrue(h.net().ownHostname());
    assertEquals(RootFsModel.Kind.OVERLAY, h.rootfs().kind());
  }

  @Test
  void level04CountsWhatTheContainerChangedNewAndDeleted() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-04");
    f.playRunning(r);
    f.selectFirst(r);
    HouseModel.Changes c = only(f).rootfs().changes();
    assertNotNull(c, "the upper dir was listed");
    assertEquals(1, c.created(), c.toString());
    assertEquals(1, c.changed(), c.toString());
    assertEquals(1, c.deleted(), c.toString());
    assertTrue(
        c.examples().contains("+ /new") && c.examples().contains("− /bin/ls"),
        c.examples().toString());
  }

  @Test
  void anExecAppearsInsideTheWallsOfTheContainerItJoined() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-06-exec");
    String container = r.events(LabEvent.Started.class).get(0).container();
    String exec = r.events(LabEvent.Started.class).get(1).container();
    // Up to the exec's exit: both run, the exec's process is in the container's namespaces.
    f.play(r, e -> e instanceof LabEvent.Exited);
    f.select(container);
    HouseModel h = only(f);
    assertEquals(
        container, h.id(), "the exec stands in its container's house, not in one of its own");
    ProcessModel joined =
        h.processes().stream()
            .filter(p -> exec.equals(p.exec()))
            .findFirst()
            .orElseThrow(() -> new AssertionError(h.processes().toString()));
    assertNotEquals(joined.hostPid(), (long) joined.nsPid(), "a PID of the container's namespace");
    assertTrue(h.wall(NsType.PID).standing());
    // Selected, the exec highlights the walls its setns calls joined.
    f.select(exec);
    int seq =
        f.scene().stages().stream()
            .filter(s -> s.step().equals("exec-ns"))
            .findFirst()
            .orElseThrow()
            .firstSeq();
    f.vm.selectStep(seq + 1);
    HouseModel lit = only(f);
    assertEquals(container, lit.id());
    assertTrue(lit.walls().stream().anyMatch(WallModel::highlighted), "setns joined a wall");
  }

  @Test
  void level09TheMemoryGaugeReachesTheLimitAndShowsTheOomKill() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-09-oom");
    f.play(r, e -> e instanceof LabEvent.Removed);
    f.selectFirst(r);
    GaugeModel m = only(f).gauge("memory");
    assertTrue(m.limited());
    assertEquals("32.0 MiB", m.max());
    assertTrue(m.peak() >= 0.9, "usage came to the limit: " + m.peak());
    assertEquals("OOM-killed", m.alarm());
    assertEquals(HouseModel.Phase.OOM_KILLED, only(f).phase());
  }

  /**
   * The lead's level 09 walk: after the OOM kill the house still listed its four processes (1, 17,
   * 18, 19 with host pids) as if alive, under "OOM-killed". Once the container has ended, none is
   * left: the room says so ("none: it has exited") and lists no process.
   */
  @Test
  void anOomKilledHouseListsNoProcessAsAlive() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-09-oom");
    f.play(r, e -> e instanceof LabEvent.Removed);
    f.selectFirst(r);
    HouseModel h = only(f);
    assertEquals(HouseModel.Phase.OOM_KILLED, h.phase());
    assertTrue(h.processes().isEmpty(), "processes after the kill: " + h.processes());
  }

  /**
   * Level 09's Try it kills its hog before the first 10 Hz reading: no telemetry, no inspection
   * with the cgroup's numbers. The house must still show the limit it was given (the step log wrote
   * it), with the OOM kill: the lesson is the limit that was hit, not "only the host's memory
   * limits it".
   */
  @Test
  void anOomKillBeforeAnyReadingStillShowsTheLimitItHit() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-09-oom");
    // No inspect answers, no telemetry: only the steps and the lifecycle, as a kill that came
    // first.
    for (LabEvent e : r.events()) {
      if (e instanceof LabEvent.Removed) {
        break;
      }
      if (!(e instanceof LabEvent.Telemetry)) {
        f.lab.emit(e);
      }
    }
    f.selectFirst(r);
    GaugeModel m = only(f).gauge("memory");
    assertEquals("OOM-killed", m.alarm());
    assertTrue(m.limited(), "its own limit, not the host's: " + m);
    assertEquals("32.0 MiB", m.max());
    assertTrue(
        m.settings().stream().anyMatch(l -> l.contains("memory.limit_in_bytes")),
        m.settings().toString());
  }

  /**
   * Level 12 killed before the first reading (an early kill, like level 09's hog): its steps wrote
   * a CPU quota and a pids limit, so the CPU and pids gauges say those, not "no cgroup of its own".
   */
  @Test
  void anEarlyKillStillShowsTheCpuQuotaAndPidsLimitItsStepsWrote() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-12");
    for (LabEvent e : r.events()) {
      if (e instanceof LabEvent.Removed) {
        break;
      }
      if (!(e instanceof LabEvent.Telemetry)) {
        f.lab.emit(e);
      }
    }
    f.selectFirst(r);
    GaugeModel cpu = only(f).gauge("cpu");
    assertTrue(cpu.limited(), "its own quota, not the host's: " + cpu);
    assertEquals("0.50 cores", cpu.max());
    assertTrue(
        cpu.settings().stream().anyMatch(l -> l.contains("cpu.cfs_quota_us")),
        cpu.settings().toString());
    GaugeModel pids = only(f).gauge("pids");
    assertTrue(pids.limited(), "its own pids.max: " + pids);
    assertEquals("32", pids.max());
    assertTrue(
        pids.settings().stream().anyMatch(l -> l.contains("pids.max")), pids.settings().toString());
  }

  /**
   * The student ran level 09 (OOM-killed, still selected) and now runs level 05: while it starts
   * (its steps come, its answer not yet, so the list still selects level 09), the house being built
   * takes the stage, not the stopped one's.
   */
  @Test
  void aContainerBeingBuiltTakesTheStageFromTheStoppedOne() {
    FixtureLab f = new FixtureLab();
    Recording old = FixtureLab.load("level-09-oom");
    f.play(old, e -> e instanceof LabEvent.Removed);
    ContainerItem stopped = f.selectFirst(old);
    assertEquals(stopped.id(), f.scene().focus());
    Recording next = FixtureLab.load("level-05");
    String id = next.events(LabEvent.Started.class).get(0).container();
    for (LabEvent e : next.events()) {
      if (e instanceof LabEvent.Started) {
        break;
      }
      f.lab.emit(e);
    }
    assertEquals(stopped, f.containers.selected(), "the list selects a run at its answer");
    assertEquals(id, f.scene().focus(), "the container being built is in front");
    assertNotNull(f.scene().house(id));
  }

  /** Level 12-two wrote only cpu.shares: the gauge is its own, weighed by those shares. */
  @Test
  void anEarlyKillWithSharesOnlyShowsTheShares() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-12-two");
    for (LabEvent e : r.events()) {
      if (e instanceof LabEvent.Removed) {
        break;
      }
      if (!(e instanceof LabEvent.Telemetry)) {
        f.lab.emit(e);
      }
    }
    f.selectFirst(r);
    GaugeModel cpu = f.scene().houses().get(0).gauge("cpu");
    assertTrue(cpu.limited(), cpu.toString());
    assertTrue(
        cpu.settings().stream().anyMatch(l -> l.contains("cpu.shares")), cpu.settings().toString());
  }

  @Test
  void level12TwoContainersStandSideBySideEachInItsOwnWalls() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-12-two");
    f.playRunning(r);
    f.selectFirst(r);
    SceneModel s = f.scene();
    assertEquals(2, s.houses().size());
    assertEquals(2, s.nest().children().size(), "nothing shared: two nests");
    assertTrue(s.nest().walls().isEmpty());
    HouseModel a = s.houses().get(0);
    HouseModel b = s.houses().get(1);
    for (NsType t :
        List.of(NsType.MNT, NsType.UTS, NsType.IPC, NsType.PID, NsType.NET, NsType.CGROUP)) {
      assertTrue(a.wall(t).standing() && b.wall(t).standing(), t.toString());
      assertNotEquals(
          a.wall(t).number(), b.wall(t).number(), "separate namespaces, separate identities: " + t);
    }
    assertFalse(a.wall(NsType.USER).standing() || a.wall(NsType.TIME).standing());
    ProcessModel pa = a.processes().get(0);
    assertEquals(1000L, pa.uid());
    assertEquals("student", pa.user(), "the name in the container's /etc/passwd");
    assertNotEquals("student", pa.hostUser(), "the host names uid 1000 differently");
    assertTrue(
        a.gauge("pids").limited() && a.gauge("memory").limited() && a.gauge("cpu").limited());
    assertEquals("64.0 MiB", a.gauge("memory").max());
    assertEquals("32.0 MiB", b.gauge("memory").max());
    assertFalse(pa.caps().full(), "level 11 cut the bounding set");
  }

  @Test
  void aWallsLabelIsItsNamespacesNotTheOrderItWasSeenIn() {
    // Two sessions of the app (two view models) on the same two containers, each selecting a
    // different one first: each namespace keeps its colour and letters, taken from its inode.
    Recording r = FixtureLab.load("level-12-two");
    List<String> ids =
        r.events(LabEvent.Started.class).stream().map(LabEvent.Started::container).toList();
    Map<Long, String> seen = new java.util.HashMap<>();
    for (String first : List.of(ids.get(1), ids.get(0))) {
      FixtureLab f = new FixtureLab();
      f.playRunning(r);
      f.select(first);
      assertEquals(first, f.scene().houses().get(0).id());
      for (HouseModel h : f.scene().houses()) {
        java.util.Set<String> inHouse = new java.util.HashSet<>();
        for (WallModel w : h.walls()) {
          if (!w.standing()) {
            continue;
          }
          assertNotNull(w.inode(), w.toString());
          String look = w.letter() + " c" + w.colour();
          assertEquals(Identities.letter(w.inode()), w.letter());
          assertEquals(Identities.colour(w.inode()), w.colour());
          String before = seen.putIfAbsent(w.inode(), look);
          assertEquals(before == null ? look : before, look, "the same namespace, the same label");
          assertTrue(inHouse.add(w.letter()), "two walls of one house read alike: " + w.letter());
        }
      }
    }
    assertTrue(seen.size() >= 12, seen.toString());
  }

  @Test
  void aReplayRaisesTheWallsInStepOrder() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-12");
    f.playRunning(r);
    f.selectFirst(r);
    f.vm.replay();
    assertTrue(f.scene().replaying() && f.scene().playing());
    assertFalse(only(f).built(), "a replay starts from the bare host");
    assertTrue(only(f).walls().stream().noneMatch(WallModel::standing));
    List<NsType> order = new ArrayList<>();
    int beats = 0;
    while (f.scene().playing() && beats++ < 200) {
      f.beat.advance(Replay.BEAT_MS);
      for (WallModel w : only(f).walls()) {
        if (w.standing() && !order.contains(w.type())) {
          order.add(w.type());
        }
      }
    }
    assertFalse(f.scene().playing(), "the replay ends at the last stage");
    assertEquals(f.scene().stages().size() - 1, f.scene().position());
    assertEquals(
        List.of(NsType.MNT, NsType.UTS, NsType.IPC, NsType.PID, NsType.NET, NsType.CGROUP), order);
    f.vm.live();
    assertFalse(f.scene().replaying());
  }

  @Test
  void theStepLogFollowsTheReplay() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-12");
    f.playRunning(r);
    String id = f.selectFirst(r).id();
    f.vm.replay();
    f.beat.advance(Replay.BEAT_MS);
    Navigator.StepFocus first = f.navigator.focusedStepProperty().get();
    assertEquals(new Navigator.StepFocus(id, f.scene().stages().get(0).firstSeq()), first);
    f.beat.advance(Replay.BEAT_MS);
    assertEquals(
        f.scene().stages().get(1).firstSeq(),
        f.navigator.focusedStepProperty().get().seq(),
        "each beat selects the first call of the stage it reached");
    f.vm.stepForward();
    assertEquals(
        f.scene().stages().get(2).firstSeq(), f.navigator.focusedStepProperty().get().seq());
    f.vm.stepBack();
    f.vm.stepBack();
    assertEquals(
        f.scene().stages().get(0).firstSeq(), f.navigator.focusedStepProperty().get().seq());
    f.vm.stepBack();
    assertNull(f.navigator.focusedStepProperty().get(), "before the first step: none selected");
    f.vm.seek(3);
    assertEquals(
        f.scene().stages().get(3).firstSeq(), f.navigator.focusedStepProperty().get().seq());
    f.vm.live();
    assertNull(f.navigator.focusedStepProperty().get(), "live: the step log's selection cleared");
  }

  @Test
  void stepsBackAndForthAndTheBuildStripPosition() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-05");
    f.playRunning(r);
    f.selectFirst(r);
    int uts = index(f.scene(), "uts-ns");
    f.vm.seek(uts - 1);
    assertFalse(only(f).wall(NsType.UTS).highlighted());
    f.vm.stepForward();
    assertEquals(uts, f.scene().position());
    assertTrue(only(f).wall(NsType.UTS).highlighted(), "the stage just reached is lit");
    f.vm.stepBack();
    assertEquals(uts - 1, f.scene().position());
    assertFalse(f.scene().playing());
  }

  @Test
  void selectingAStageHighlightsWhatItBuiltAndFocusesTheStepLog() {
    FixtureLab f = new FixtureLab();
    Recording r = FixtureLab.load("level-05");
    f.playRunning(r);
    String id = f.selectFirst(r).id();
    f.vm.selectStage(index(f.scene(), "pivot-root"));
    HouseModel h = only(f);
    assertTrue(h.rootfs().highlighted().contains("pivot"), h.rootfs().highlighted().toString());
    assertTrue(h.walls().stream().noneMatch(WallModel::highlighted));
    Navigator.StepFocus focus = f.navigator.focusedStepProperty().get();
    assertEquals(id, focus.container());
    // The step log selects another step: the glass house follows.
    int seq = f.scene().stages().get(index(f.scene(), "namespaces")).firstSeq();
    f.navigator.highlightStep(id, seq);
    HouseModel after = only(f);
    assertTrue(after.wall(NsType.UTS).highlighted() && after.wall(NsType.MNT).highlighted());
    assertTrue(after.rootfs().highlighted().isEmpty());
  }

  @Test
  void theFactsOfAnExitedContainerStayForItsReplay() {
    Recording r = FixtureLab.load("level-05");
    // Exited, not removed: still in the list, still drawn with the walls it had.
    FixtureLab g = new FixtureLab();
    g.play(r, e -> e instanceof LabEvent.Removed);
    g.selectFirst(r);
    HouseModel h = only(g);
    assertEquals(HouseModel.Phase.EXITED, h.phase());
    assertTrue(h.wall(NsType.UTS).own(), "known from the step log alone");
  }

  private static int index(SceneModel s, String step) {
    return s.stages().stream().filter(x -> x.step().equals(step)).findFirst().orElseThrow().index();
  }
}
