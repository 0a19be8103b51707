package org.glasshouse.app.mounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Recording;
import org.glasshouse.protocol.Findmnt;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.MountsResult;
import org.junit.jupiter.api.Test;

/** The Mounts tab's model, fed by what real helpers sent (the recorded fixtures). */
class MountsViewModelTest {
  private final FakeLabService lab = new FakeLabService();
  private final ContainersViewModel containers = new ContainersViewModel(lab, Runnable::run);
  private final MountsViewModel vm =
      new MountsViewModel(lab, Runnable::run, id -> containers.find(id).orElse(null));
  private final List<MountsViewModel.Update> updates = new ArrayList<>();

  MountsViewModelTest() {
    vm.addListener(updates::add);
  }

  private static MountsResult.Mount at(MountTable t, String point) {
    return t.all().stream()
        .filter(m -> m.mountPoint().equals(point))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no mount at " + point));
  }

  /** Level 01: proc, sys and dev are in both tables, marked leaked in both, paired. */
  @Test
  void theLevel01LeakIsMarkedInBothTreesAndExplained() {
    Recording r = Recording.load("level-01");
    ContainerItem c = MountsFixtures.run(r, lab, containers);
    vm.setActive(true);
    vm.show(c);
    assertTrue(lab.requests.contains("subscribe host mounts 500"), lab.requests.toString());
    assertTrue(
        lab.requests.contains("subscribe " + c.id() + " mounts 500"), lab.requests.toString());
    lab.emit(MountsFixtures.hostTable(r.mountsResults().get("host").entries()));

    assertEquals(3, vm.containerTable().size());
    for (MountsResult.Mount m : vm.containerTable().all()) {
      assertEquals(Mark.LEAKED, vm.mark(Side.CONTAINER, m.id()), m.mountPoint());
      Integer twin = vm.pair(Side.CONTAINER, m.id());
      assertNotNull(twin, "paired: " + m.mountPoint());
      MountsResult.Mount host = vm.hostTable().get(twin);
      assertEquals(c.id(), host.leakedFrom());
      assertTrue(host.mountPoint().endsWith("/rootfs" + m.mountPoint()), host.mountPoint());
      assertEquals(Mark.LEAKED, vm.mark(Side.HOST, twin));
    }
    MountsResult.Mount hostRoot = at(vm.hostTable(), "/");
    assertEquals(Mark.NOT_IN_CONTAINER, vm.mark(Side.HOST, hostRoot.id()), "outside its chroot");
    assertEquals(MountsViewModel.BannerKind.LEAK, vm.bannerKindProperty().get());
    String banner = vm.bannerProperty().get();
    assertTrue(banner.startsWith("Leaked: the container's /proc, /sys and /dev"), banner);
    assertTrue(vm.hostTitleProperty().get().contains("3 leaked"), vm.hostTitleProperty().get());

    // Selecting one side's mount marks its twin; the detail has the mountinfo line.
    MountsResult.Mount proc = at(vm.containerTable(), "/proc");
    vm.selectionProperty().set(new MountsViewModel.Selection(Side.CONTAINER, proc.id()));
    MountsViewModel.Detail d = vm.detailProperty().get();
    assertEquals(Findmnt.mountinfoLine(proc), d.mountinfo());
    assertTrue(d.mountinfo().startsWith(proc.id() + " " + proc.parentId() + " "), d.mountinfo());
    assertTrue(d.explanation().startsWith("Leaked"), d.explanation());
  }

  /** Level 04: its own overlay root; only /sys is the host's same filesystem at the same place. */
  @Test
  void atLevel04TheHostsTreeIsGoneFromTheContainersAndTheRootIsAnOverlay() {
    Recording r = Recording.load("level-04");
    ContainerItem c = MountsFixtures.run(r, lab, containers);
    vm.setActive(true);
    vm.show(c);
    // The host's table as the level-00 recording (same machine, same hour) saw it: a level-00
    // container's table is the host's.
    Recording zero = Recording.load("level-00");
    lab.emit(
        MountsFixtures.hostTable(
            zero.mountsResults().get(MountsFixtures.containerId(zero)).entries()));
    MountsResult.Mount root = at(vm.containerTable(), "/");
    assertEquals("overlay", root.fsType());
    assertEquals(Mark.ONLY_CONTAINER, vm.mark(Side.CONTAINER, root.id()));
    assertEquals(Mark.SHARED, vm.mark(Side.CONTAINER, at(vm.containerTable(), "/sys").id()));
    MountsResult.Mount hostRoot = at(vm.hostTable(), "/");
    assertEquals(Mark.NOT_IN_CONTAINER, vm.mark(Side.HOST, hostRoot.id()));
    assertTrue(vm.bannerProperty().get().startsWith("pivot_root"), vm.bannerProperty().get());
    assertEquals(MountsViewModel.BannerKind.INFO, vm.bannerKindProperty().get());
  }

  /** Level 00: the container's table is the host's; nothing differs and the banner says why. */
  @Test
  void atLevel00NothingDiffersAndTheViewSaysSoPlainly() {
    Recording r = Recording.load("level-00");
    ContainerItem c = MountsFixtures.run(r, lab, containers);
    vm.setActive(true);
    vm.show(c);
    lab.emit(MountsFixtures.hostTable(r.mountsResults().get(c.id()).entries()));
    assertFalse(vm.containerTable().isEmpty());
    for (MountsResult.Mount m : vm.containerTable().all()) {
      assertEquals(Mark.SHARED, vm.mark(Side.CONTAINER, m.id()), m.mountPoint());
    }
    assertTrue(vm.bannerProperty().get().contains("level 00"), vm.bannerProperty().get());
    vm.differencesOnlyProperty().set(true);
    assertTrue(
        vm.containerTable().roots().stream().noneMatch(m -> vm.shown(Side.CONTAINER, m.id())),
        "only differences: nothing to show");
  }

  @Test
  void theSearchKeepsTheParentsOfWhatMatches() {
    Recording r = Recording.load("level-01");
    vm.setActive(true);
    lab.emit(MountsFixtures.hostTable(r.mountsResults().get("host").entries()));
    vm.filterProperty().set("cgroup/MEMORY");
    MountsResult.Mount memory = at(vm.hostTable(), "/sys/fs/cgroup/memory");
    assertTrue(vm.shown(Side.HOST, memory.id()));
    for (MountsResult.Mount p = vm.hostTable().parent(memory);
        p != null;
        p = vm.hostTable().parent(p)) {
      assertTrue(vm.shown(Side.HOST, p.id()), "parent " + p.mountPoint() + " stays");
    }
    assertFalse(vm.shown(Side.HOST, at(vm.hostTable(), "/proc").id()));
    String text = vm.exportText(Side.HOST);
    assertTrue(text.contains("/sys/fs/cgroup/memory"), text);
    assertFalse(text.contains("/proc "), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("TARGET")), text);
  }

  /** Both ways: a mount(...) step selects its mount; the mount's detail names that step. */
  @Test
  void aMountStepSelectsItsMountAndTheMountNamesItsStep() {
    Recording r = Recording.load("level-01");
    ContainerItem c = MountsFixtures.run(r, lab, containers);
    // The helper (since this branch) names each mount's step; the recording predates it.
    Map<String, Integer> stepAt =
        c.steps().stream()
            .filter(s -> "mount".equals(s.call()))
            .collect(
                Collectors.toMap(
                    s -> s.args().split("\"")[3].replaceAll(".*/rootfs", ""), StepEntry::seq));
    MountsResult answered = lab.mountTables.get(c.id());
    lab.mountTables.put(
        c.id(),
        new MountsResult(
            answered.target(),
            answered.pid(),
            false,
            answered.root(),
            answered.entries().stream().map(m -> m.withStep(stepAt.get(m.mountPoint()))).toList(),
            List.of(),
            null));
    vm.setActive(true);
    vm.show(c);
    int sysStep = stepAt.get("/sys");
    assertTrue(vm.selectByStep(sysStep));
    MountsViewModel.Selection sel = vm.selectionProperty().get();
    assertEquals(Side.CONTAINER, sel.side());
    assertEquals("/sys", vm.containerTable().get(sel.id()).mountPoint());
    MountsViewModel.Detail d = vm.detailProperty().get();
    assertEquals(sysStep, d.step().seq());
    assertTrue(
        d.stepText().startsWith("#" + sysStep + " pseudo-fs: mount(\"sysfs\""), d.stepText());
    assertFalse(vm.selectByStep(1), "the mkdir step made no mount");
  }

  @Test
  void itSubscribesOnlyWhileShowingAndLeavesWhenTheContainerGoes() {
    Recording r = Recording.load("level-01");
    ContainerItem c = MountsFixtures.run(r, lab, containers);
    vm.show(c);
    assertTrue(
        lab.requests.stream().noneMatch(q -> q.startsWith("subscribe")), lab.requests.toString());
    vm.setActive(true);
    long subs = lab.requests.stream().filter(q -> q.startsWith("subscribe")).count();
    assertEquals(2, subs);
    vm.setActive(false);
    assertEquals(
        2,
        lab.requests.stream().filter(q -> q.startsWith("unsubscribe")).count(),
        lab.requests.toString());
    vm.setActive(true);
    lab.emit(r.events(LabEvent.Exited.class).get(0));
    assertTrue(vm.containerTable().isEmpty(), "an exited container has no mount table");
    assertTrue(vm.bannerProperty().get().contains("not running"), vm.bannerProperty().get());
    vm.show(null);
    assertNull(vm.selectionProperty().get());
  }

  /** The thousand-mount host: every event is one incremental update naming only what changed. */
  @Test
  void aThousandMountHostUpdatesByTheIdsThatChanged() {
    Recording r = Recording.load("host-mounts-1000");
    vm.setActive(true);
    List<LabEvent.Mounts> events = r.events(LabEvent.Mounts.class);
    lab.emit(MountsFixtures.asHost(events.get(0)));
    int n = vm.hostTable().size();
    assertTrue(n >= 1000, "mounts: " + n);
    for (LabEvent.Mounts e : events.subList(1, events.size())) {
      updates.clear();
      lab.emit(MountsFixtures.asHost(e));
      MountsResult.Diff d = e.mounts().diff();
      MountsViewModel.Update u =
          updates.stream().filter(x -> x.side() == Side.HOST).findFirst().orElseThrow();
      int touched =
          u.change().added().size() + u.change().removed().size() + u.change().updated().size();
      int named = d.added().size() + d.removed().size() + d.changed().size();
      assertTrue(touched <= named + 2, "touched " + touched + " for a diff of " + named);
      assertTrue(u.remarked().size() < 50, "remarked " + u.remarked().size());
      n = n + d.added().size() - d.removed().size();
      assertEquals(n, vm.hostTable().size());
    }
  }
}
