package org.glasshouse.app.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Test;

class RunViewModelTest {
  private final FakeLabService lab = new FakeLabService();
  private final RunViewModel vm = new RunViewModel(new ContainersViewModel(lab, Runnable::run));

  @Test
  void stepsFollowTheLevelOutsideFreePlay() {
    vm.levelProperty().set(5);
    assertEquals(Feature.upTo(5), vm.selectedFeatures());
    assertTrue(vm.shown(Feature.UTS_NS).get());
    assertFalse(vm.shown(Feature.PID_NS).get());
    RunSpec s = vm.spec();
    assertEquals(5, s.level());
    assertNull(s.features(), "outside free play the level alone decides");
    assertTrue(s.tty());
  }

  @Test
  void freePlaySendsExactlyTheChosenSteps() {
    vm.levelProperty().set(4);
    vm.freePlayProperty().set(true);
    vm.feature(Feature.OVERLAY).set(false);
    vm.feature(Feature.BIND_ROOT).set(false);
    assertTrue(vm.shown(Feature.CGROUP_PIDS).get(), "free play shows every step");
    Feature[] expected = {
      Feature.CHROOT,
      Feature.PSEUDO_FS,
      Feature.MOUNT_NS,
      Feature.DEV_NODES,
      Feature.PIVOT_ROOT,
      Feature.NODEV
    };
    assertEquals(EnumSet.of(expected[0], expected), vm.spec().features());
    vm.freePlayProperty().set(false);
    assertTrue(vm.feature(Feature.OVERLAY).get(), "leaving free play restores the level");
  }

  @Test
  void anotherLevelEndsFreePlay() {
    // The 45-minute class (room6's walk): Try it 03-nodev-off left free play on with level 03's
    // steps minus nodev, and the next levels' Run kept them: level 04 ran without overlay, level 06
    // without a PID namespace, level 09 without its memory cgroup.
    vm.levelProperty().set(3);
    vm.freePlayProperty().set(true);
    vm.feature(Feature.NODEV).set(false);
    vm.levelProperty().set(4);
    assertFalse(vm.freePlayProperty().get(), "a new level runs that level's steps");
    assertEquals(Feature.upTo(4), vm.selectedFeatures());
    assertNull(vm.spec().features(), "outside free play the level alone decides");
    vm.freePlayProperty().set(true);
    vm.levelProperty().set(9);
    assertEquals(
        64L << 20, vm.spec().limits().memoryBytes(), "level 09's memory limit goes with its step");
  }

  @Test
  void anotherLevelStartsWithNoCapabilityAddedBack() {
    // The walk again: Try it 11-add-back's CAP_SYS_ADMIN stayed in Add caps at level 12 ("none
    // (1/16)"), so level 12 and 13's runs would have held it.
    vm.levelProperty().set(11);
    vm.capAdd().setAll("CAP_SYS_ADMIN");
    vm.capDrop().setAll("CAP_CHOWN");
    vm.levelProperty().set(12);
    assertTrue(vm.capAdd().isEmpty(), "level 12 starts from the level's capability set");
    assertTrue(vm.capDrop().isEmpty());
    assertNull(vm.spec().capAdd());
  }

  @Test
  void limitsUserAndHostnameGoOnlyWithTheirSteps() {
    vm.levelProperty().set(12);
    vm.memoryMibProperty().set("64");
    vm.pidsMaxProperty().set("20");
    vm.cpusProperty().set("0.5");
    vm.userProperty().set("1000:1000");
    vm.hostnameProperty().set("box");
    RunSpec s = vm.spec();
    assertEquals(64L * 1024 * 1024, s.limits().memoryBytes());
    assertEquals(20, s.limits().pidsMax());
    assertEquals(0.5, s.limits().cpus());
    assertEquals("1000:1000", s.user());
    assertEquals("box", s.hostname());
    vm.levelProperty().set(4);
    RunSpec low = vm.spec();
    assertNull(low.limits());
    assertNull(low.user());
    assertNull(low.hostname());
  }

  @Test
  void untouchedFieldsRunTheLevelsDefaultsAndShowThem() {
    vm.levelProperty().set(12);
    assertEquals("64", vm.memoryMibProperty().get(), "the field holds what Run applies");
    assertEquals("32", vm.pidsMaxProperty().get());
    assertEquals("", vm.userProperty().get(), "level 12's walls are the ones root meets");
    RunSpec s = vm.spec();
    assertEquals(64L * 1024 * 1024, s.limits().memoryBytes());
    assertEquals(32, s.limits().pidsMax());
    assertEquals(1024, s.limits().cpuShares());
    assertNull(s.limits().cpus(), "no CPU quota unless asked for");
    assertNull(s.user());
    vm.levelProperty().set(8);
    assertEquals("", vm.memoryMibProperty().get(), "level 08 has no memory step yet");
    assertEquals("", vm.userProperty().get());
    assertEquals(1024, vm.spec().limits().cpuShares());
    assertNull(vm.spec().limits().memoryBytes());
    vm.levelProperty().set(3);
    assertNull(vm.spec().limits());
    assertNull(vm.spec().user());
  }

  @Test
  void anEmptyFieldIsNoLimitSaidInWordsAndTheRunEchoesWhatItApplied() throws Exception {
    vm.levelProperty().set(12);
    vm.memoryMibProperty().set("");
    vm.userProperty().set(" ");
    RunSpec s = vm.spec();
    assertNull(s.limits().memoryBytes());
    assertNull(s.user());
    assertEquals(
        "cpu shares 1024 · cpus: no quota · memory: no limit · mem+swap: no limit · pids max 32"
            + " · capabilities: default set · user: root (0:0)",
        AppliedLimits.describe(s));
    assertEquals("no limit", AppliedLimits.NO_LIMIT);
    lab.onRun =
        spec ->
            java.util.concurrent.CompletableFuture.completedFuture(
                new org.glasshouse.app.core.LabService.Started("c0ffee000001", 7));
    vm.memoryMibProperty().set("48");
    vm.run().get();
    assertEquals(
        "Applied to c0ffee000001: cpu shares 1024 · cpus: no quota · memory 48.0 MiB"
            + " · mem+swap: no limit · pids max 32 · capabilities: default set · user: root (0:0)",
        vm.appliedProperty().get());
    RunSpec level3 = RunSpec.builder().argv(List.of("sh")).level(3).build();
    assertEquals("no cgroup limits at level 03 · user: root (0:0)", AppliedLimits.describe(level3));
    RunSpec free =
        RunSpec.builder()
            .argv(List.of("sh"))
            .level(12)
            .features(java.util.EnumSet.of(org.glasshouse.protocol.Feature.CHROOT))
            .build();
    assertEquals(
        "no cgroup limits: no cgroup step · user: root (0:0)", AppliedLimits.describe(free));
  }

  /**
   * After a restart mid-class the adopted container's spec came back (its Check used it), yet the
   * Applied line still said its limits were only in Inside vs outside. A container an earlier
   * window ran is echoed like one this window ran; one the app never ran (the CLI's) is not.
   */
  @Test
  void anAdoptedContainerWhoseSpecTheAppKeptEchoesItsLimits() {
    java.util.Map<String, RunSpec> kept = new java.util.HashMap<>();
    kept.put(
        "c0ffee000001",
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("/bin/sh"))
            .level(9)
            .limits(new org.glasshouse.protocol.Limits(64L << 20, null, 1024, null, null))
            .build());
    FakeLabService helper = new FakeLabService();
    helper.containers = List.of(row("c0ffee000001", 9), row("c1100000000f", 9));
    ContainersViewModel reopened = new ContainersViewModel(helper, Runnable::run, () -> "", kept);
    RunViewModel run = new RunViewModel(reopened);
    reopened.select("c0ffee000001");
    assertTrue(reopened.selected().adopted());
    assertTrue(
        run.appliedProperty().get().startsWith("Applied to c0ffee000001: cpu shares 1024"),
        run.appliedProperty().get());
    assertTrue(run.appliedProperty().get().contains("memory 64.0 MiB"));
    reopened.select("c1100000000f");
    assertEquals(
        "c1100000000f was started before this window: its limits are in Inside vs outside.",
        run.appliedProperty().get());
  }

  private static org.glasshouse.app.core.ContainerSummary row(String id, int level) {
    return new org.glasshouse.app.core.ContainerSummary(
        id,
        "busybox",
        List.of("/bin/sh"),
        level,
        "running",
        100L,
        null,
        null,
        false,
        java.time.Instant.parse("2026-12-02T10:00:00Z"));
  }

  @Test
  void theSummarySaysTheLevelsOwnSettingFirstAndItsCapabilities() {
    // The class walk (room12): folded at level 12 in presenter mode, the summary ended
    // "user 1000:1000 · pids …": the level's own setting was the one cut, and level 11's
    // capabilities were in neither the summary nor the echo of a run.
    vm.levelProperty().set(12);
    String summary = vm.settingsSummary().get();
    assertTrue(summary.startsWith("level 12: 19 steps · pids max 32 · CPU shares 1024"), summary);
    vm.levelProperty().set(11);
    summary = vm.settingsSummary().get();
    assertTrue(summary.startsWith("level 11: 18 steps · capabilities: default set · "), summary);
    vm.capAdd().setAll("CAP_SYS_ADMIN");
    vm.capDrop().setAll("CAP_CHOWN", "CAP_KILL");
    summary = vm.settingsSummary().get();
    assertTrue(
        summary.contains("capabilities: default set + CAP_SYS_ADMIN − CAP_CHOWN, CAP_KILL"),
        summary);
    assertTrue(
        AppliedLimits.describe(vm.spec())
            .contains("capabilities: default set + CAP_SYS_ADMIN − CAP_CHOWN, CAP_KILL"),
        AppliedLimits.describe(vm.spec()));
    vm.levelProperty().set(10);
    summary = vm.settingsSummary().get();
    assertTrue(summary.startsWith("level 10: 17 steps · user 1000:1000 · CPU shares"), summary);
    assertFalse(summary.contains("capabilities"), "no capabilities step at level 10: " + summary);
    assertFalse(AppliedLimits.describe(vm.spec()).contains("capabilities"));
  }

  /**
   * Level 00 folded (presenter mode, any view in front) read "level 00: 0 steps": it says what the
   * unfolded panel says, that the command runs as a plain child of the helper.
   */
  @Test
  void level00sSummarySaysItRunsAPlainChild() {
    vm.levelProperty().set(0);
    assertEquals("level 00: no steps, a plain child of the helper", vm.settingsSummary().get());
    vm.levelProperty().set(1);
    assertTrue(vm.settingsSummary().get().startsWith("level 01: 2 steps"));
  }

  @Test
  void theBonusRoundsControlsGoOnlyWithTheirStepsAndResetWithTheLevel() {
    vm.levelProperty().set(9);
    vm.memorySoftMibProperty().set("16");
    vm.swappinessProperty().set("0");
    vm.oomKillDisableProperty().set(true);
    vm.kernelMemoryMibProperty().set("8");
    vm.bridgeProperty().set(true);
    RunSpec s = vm.spec();
    assertEquals(16L << 20, s.limits().memorySoftBytes());
    assertEquals(0, s.limits().memorySwappiness(), "0 is a value, not 'none'");
    assertEquals(Boolean.TRUE, s.limits().oomKillDisable());
    assertNull(s.limits().oomGroup());
    assertEquals(8L << 20, s.limits().kernelMemoryBytes());
    assertNull(s.network(), "the bridge is level 07's bonus: not shown, not sent at level 09");
    assertTrue(AppliedLimits.describe(s).contains("soft limit 16"), AppliedLimits.describe(s));
    assertTrue(AppliedLimits.describe(s).contains("OOM killer off"));

    vm.swappinessProperty().set("101");
    assertThrows(IllegalArgumentException.class, vm::spec);

    vm.levelProperty().set(6);
    assertEquals("", vm.memorySoftMibProperty().get(), "a level starts with its own defaults");
    assertFalse(vm.bridgeProperty().get());
    vm.bridgeProperty().set(true);
    assertNull(vm.spec().network(), "no network namespace at level 06: nothing to wire");
  }

  @Test
  void theBridgeIsLevel07sBonusAndFreePlays() {
    vm.levelProperty().set(7);
    assertTrue(vm.bridgeShown().get());
    vm.bridgeProperty().set(true);
    assertEquals(RunSpec.NETWORK_BRIDGE, vm.spec().network());
    vm.levelProperty().set(12);
    assertFalse(vm.bridgeShown().get(), "level 12 teaches pids, not the bridge");
    vm.freePlayProperty().set(true);
    assertTrue(vm.bridgeShown().get(), "free play shows it with the net-ns step");
    vm.bridgeProperty().set(true);
    assertEquals(RunSpec.NETWORK_BRIDGE, vm.spec().network());
    vm.feature(Feature.NET_NS).set(false);
    assertFalse(vm.bridgeShown().get(), "no network namespace: nothing to wire");
    assertNull(vm.spec().network());
    vm.freePlayProperty().set(false);
    assertNull(vm.spec().network(), "a tick left from free play is not sent at level 12");
  }

  @Test
  void moreMemoryControlsOpenAtLevel09AndFreePlayAndRememberTheChoice() {
    vm.levelProperty().set(9);
    assertTrue(vm.moreMemoryProperty().get(), "level 09 teaches them: open");
    vm.levelProperty().set(12);
    assertFalse(vm.moreMemoryProperty().get(), "folded at level 12");
    vm.moreMemoryProperty().set(true);
    vm.levelProperty().set(9);
    vm.moreMemoryProperty().set(false);
    vm.levelProperty().set(10);
    assertFalse(vm.moreMemoryProperty().get());
    vm.levelProperty().set(12);
    assertTrue(vm.moreMemoryProperty().get(), "level 12 remembers it was opened");
    vm.levelProperty().set(9);
    assertFalse(vm.moreMemoryProperty().get(), "level 09 remembers it was folded");
    vm.freePlayProperty().set(true);
    assertTrue(vm.moreMemoryProperty().get(), "free play: open");
    vm.moreMemoryProperty().set(false);
    vm.freePlayProperty().set(false);
    vm.freePlayProperty().set(true);
    assertFalse(vm.moreMemoryProperty().get(), "free play remembers its own choice");
    vm.memorySoftMibProperty().set("16");
    assertEquals(16L << 20, vm.spec().limits().memorySoftBytes(), "folded values still apply");
  }

  @Test
  void eachLevelRemembersItsOwnCommand() {
    vm.levelProperty().set(12);
    assertEquals(RunViewModel.SUGGESTED_COMMAND, vm.commandProperty().get());
    String bomb = "sh -c \"for i in $(seq 1 100); do sleep 30 & done; wait\"";
    vm.commandProperty().set(bomb);
    vm.levelProperty().set(3);
    assertEquals(
        RunViewModel.SUGGESTED_COMMAND,
        vm.commandProperty().get(),
        "level 12's fork bomb must not follow the student to level 03");
    vm.commandProperty().set("ls /");
    vm.levelProperty().set(12);
    assertEquals(bomb, vm.commandProperty().get());
    vm.levelProperty().set(3);
    assertEquals("ls /", vm.commandProperty().get());
  }

  @Test
  void badInputIsExplainedAndNothingIsSent() {
    vm.levelProperty().set(9);
    vm.memoryMibProperty().set("lots");
    assertTrue(vm.run().isCompletedExceptionally());
    assertEquals(
        "memory limit must be a positive number, got 'lots'", vm.validationProperty().get());
    assertTrue(lab.runs.isEmpty());
    vm.memoryMibProperty().set("");
    vm.commandProperty().set("  ");
    assertThrows(IllegalArgumentException.class, vm::spec);
  }

  @Test
  void commandLinesSplitLikeAShell() {
    assertEquals(List.of("sh", "-c", "echo $$ 'x'"), CommandLine.split("sh -c \"echo $$ 'x'\""));
    assertEquals(List.of("a", "b c", ""), CommandLine.split(" a 'b c' '' "));
    assertThrows(IllegalArgumentException.class, () -> CommandLine.split("echo 'oops"));
  }
}
