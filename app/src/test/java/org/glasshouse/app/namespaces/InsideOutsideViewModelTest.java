package org.glasshouse.app.namespaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.glasshouse.app.TestInspections;
import org.glasshouse.app.TestSpecs;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabService;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.junit.jupiter.api.Test;

class InsideOutsideViewModelTest {
  private final FakeLabService lab = new FakeLabService();
  private final ContainersViewModel containers = new ContainersViewModel(lab, Runnable::run);
  private final InsideOutsideViewModel vm = new InsideOutsideViewModel(lab, Runnable::run);

  private static Map<String, Long> ns(long uts, long mnt) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("mnt", mnt);
    m.put("uts", uts);
    m.put("net", 1L);
    return m;
  }

  private ContainerItem running() {
    return containers.run(TestSpecs.level5Tty("sh"), false).join();
  }

  private Comparison row(String label) {
    return vm.rows().stream().filter(r -> r.label().equals(label)).findFirst().orElseThrow();
  }

  @Test
  void differingNamespacesAndHostnamesAreMarked() {
    lab.inspections.put(
        "host", TestInspections.inspection("laptop", ns(10, 20), "/sbin/init", null));
    lab.inspections.put(
        "c1",
        TestInspections.inspection(
            "c1", ns(11, 21), "/bin/sh", TestInspections.stats(1_258_291L, 64L << 20, null)));
    vm.show(running());
    assertTrue(row("uts").differs());
    assertTrue(row("hostname").differs());
    assertFalse(row("net").differs(), "a shared namespace is not highlighted");
    assertEquals("/bin/sh", row("PID 1").container());
    assertEquals("64.0 MiB", row("memory limit").container());
  }

  /** v1's memory.memsw.limit_in_bytes is memory and swap together: not a "swap limit". */
  @Test
  void aV1MemSwapLimitRowSaysMemPlusSwap() {
    lab.inspections.put("host", TestInspections.inspection("h", ns(1, 2), "/sbin/init", null));
    org.glasshouse.protocol.inspect.CgroupStats v1 =
        new org.glasshouse.protocol.inspect.CgroupStats(
            "v1",
            null,
            new org.glasshouse.protocol.inspect.CgroupStats.Memory(
                1L << 20, 32L << 20, null, 0L, 32L << 20, null, null, null),
            null,
            null);
    lab.inspections.put("c1", TestInspections.inspection("c1", ns(11, 21), "/bin/sh", v1));
    vm.show(running());
    assertEquals("32.0 MiB", row("mem+swap limit").container());
    assertTrue(vm.rows().stream().noneMatch(r -> r.label().equals("swap limit")));
  }

  @Test
  void withoutItsOwnPidNamespaceTheContainersPid1IsTheHostsAndNotMarked() {
    lab.inspections.put("host", TestInspections.inspection("h", ns(1, 2), "/sbin/init", null));
    lab.inspections.put("c1", TestInspections.inspection("h", ns(1, 2), null, null));
    vm.show(running());
    assertEquals("/sbin/init", row("PID 1").container());
    assertFalse(row("PID 1").differs());
  }

  @Test
  void aSeccompFilterShowsAsADifferingSecurityRow() {
    lab.inspections.put(
        "host",
        TestInspections.locked(
            TestInspections.inspection("h", ns(1, 2), "init", null), false, "disabled", 0));
    lab.inspections.put(
        "c1",
        TestInspections.locked(
            TestInspections.inspection("c1", ns(3, 4), "sh", null), true, "filter", 1));
    vm.show(running());
    Comparison seccomp = row("seccomp");
    assertEquals("security", seccomp.section());
    assertEquals("disabled", seccomp.host());
    assertEquals("filter (1 filter)", seccomp.container());
    assertTrue(seccomp.differs());
    assertTrue(row("no_new_privs").differs());
    assertEquals("0", row("no_new_privs").host());
  }

  @Test
  void withoutAFilterCountTheSeccompRowIsTheModeAlone() {
    lab.inspections.put(
        "host",
        TestInspections.locked(
            TestInspections.inspection("h", ns(1, 2), "init", null), false, "disabled", null));
    lab.inspections.put(
        "c1",
        TestInspections.locked(
            TestInspections.inspection("c1", ns(3, 4), "sh", null), true, "filter", null));
    vm.show(running());
    assertEquals("filter", row("seccomp").container());
    assertEquals("1", row("no_new_privs").container());
  }

  @Test
  void telemetryUpdatesUsageLive() {
    lab.inspections.put("host", TestInspections.inspection("h", ns(1, 2), "init", null));
    lab.inspections.put("c1", TestInspections.inspection("c1", ns(3, 4), "sh", null));
    vm.show(running());
    lab.emit(
        new LabEvent.Telemetry(
            "c1", TestInspections.sample(null, TestInspections.stats(null, null, 3L))));
    assertEquals("3", row("pids").container());
  }

  @Test
  void anInspectionErrorIsANoteNotACrash() {
    vm.show(running());
    assertTrue(
        vm.noteProperty().get().startsWith("Could not inspect c1: "), vm.noteProperty().get());
  }

  @Test
  void aHostnameChangedInsideShowsWhileTheContainerRuns() {
    lab.inspections.put("host", TestInspections.inspection("laptop", ns(1, 2), "init", null));
    lab.inspections.put("c1", TestInspections.inspection("c1", ns(3, 4), "sh", null));
    vm.show(running());
    assertEquals("c1", row("hostname").container());
    // `hostname other` in the terminal: no event says so; the next sample's re-read does.
    lab.inspections.put("c1", TestInspections.inspection("other", ns(3, 4), "sh", null));
    lab.emit(
        new LabEvent.Telemetry(
            "c1", TestInspections.sample(null, TestInspections.stats(null, null, 1L))));
    assertEquals("other", row("hostname").container());
    assertEquals("laptop", row("hostname").host());
  }

  @Test
  void anOomKilledContainerSaysSoAndItsRowsGo() {
    lab.inspections.put("host", TestInspections.inspection("laptop", ns(1, 2), "init", null));
    lab.inspections.put("c1", TestInspections.inspection("c1", ns(3, 4), "sh", null));
    vm.show(running());
    assertFalse(vm.rows().isEmpty());
    lab.emit(new LabEvent.Exited("c1", null, "KILL", true, 40));
    assertEquals(
        "Container c1 is not running (OOM-killed): its namespaces are gone.",
        vm.noteProperty().get());
    assertTrue(vm.rows().isEmpty(), "the dead container's rows: " + vm.rows());
  }

  @Test
  void anotherContainerNeverShowsTheFirstOnesRows() {
    lab.inspections.put("host", TestInspections.inspection("laptop", ns(1, 2), "init", null));
    lab.inspections.put("c1", TestInspections.inspection("first", ns(3, 4), "sh", null));
    vm.show(running());
    assertEquals("first", row("hostname").container());
    // The second container cannot be inspected yet (still starting, or the helper refused):
    // nothing of the first may stand under its name meanwhile.
    lab.onRun = spec -> CompletableFuture.completedFuture(new LabService.Started("c2", 200));
    ContainerItem second = running();
    vm.show(second);
    assertTrue(
        vm.rows().stream()
            .noneMatch(r -> "first".equals(r.container()) || "sh".equals(r.container())),
        "rows of the first container under " + second.shortId() + ": " + vm.rows());
  }

  @Test
  void theHostsPid1IsShownWhenTheHostIsStoodForByAnotherProcess() {
    // Where PID 1's ns links are unreadable the helper stands for the host: the result lists the
    // stand-in first and PID 1 (nsPids [1]) after it.
    InspectResult host = TestInspections.inspection("laptop", ns(1, 2), null, null);
    lab.inspections.put(
        "host",
        host.toBuilder()
            .processes(
                List.of(
                    host.processes().get(0),
                    TestInspections.process(
                        1, List.of(1L), "init", List.of("/sbin/init", "splash"))))
            .build());
    lab.inspections.put("c1", TestInspections.inspection("c1", ns(3, 4), "sh", null));
    vm.show(running());
    assertEquals("/sbin/init splash", row("PID 1").host());
    assertEquals("sh", row("PID 1").container());
  }

  private static NetworkInfo.Interface iface(String name) {
    return new NetworkInfo.Interface(1, name, "UP", List.of("UP"), 1500, null, List.of(), 0L, 0L);
  }

  @Test
  void aBridgedContainerShowsBothEndsOfItsWiringNextToTheHost() {
    InspectResult host = TestInspections.inspection("laptop", ns(1, 2), "init", null);
    lab.inspections.put(
        "host",
        host.withNetwork(
            new NetworkInfo(
                "laptop",
                List.of(
                    iface("lo"),
                    iface("eth0"),
                    iface("glasshouse0"),
                    iface("gh-c1"),
                    iface("gh-c2"),
                    iface("docker0")),
                null)));
    InspectResult c1 = TestInspections.inspection("c1", ns(3, 4), "sh", null);
    lab.inspections.put(
        "c1",
        c1.withNetwork(
            new NetworkInfo("c1", List.of(iface("lo"), iface("eth0")), null)
                .withWiring(
                    new NetworkInfo.Wiring(
                        "glasshouse0",
                        "10.73.0.1/24",
                        "gh-c1",
                        2048L,
                        1024L,
                        "eth0",
                        1024L,
                        2048L,
                        "10.73.0.2/24",
                        "10.73.0.1",
                        "/run/netns/c1"))));
    vm.show(running());
    assertEquals("lo, eth0, glasshouse0, gh-c1 (+2)", row("interfaces").host());
    assertEquals("lo, eth0", row("interfaces").container());
    assertEquals("gh-c1 on glasshouse0", row("veth pair").host());
    assertEquals("eth0", row("veth pair").container());
    assertEquals("10.73.0.1/24", row("address").host());
    assertEquals("10.73.0.2/24", row("address").container());
    assertEquals("default via 10.73.0.1", row("route").container());
    assertEquals("rx 2.0 KiB · tx 1.0 KiB", row("veth bytes").host());
    assertEquals("rx 1.0 KiB · tx 2.0 KiB", row("veth bytes").container());
    assertEquals("/run/netns/c1", row("ip netns").host());
    assertEquals("network", row("veth pair").section());
  }

  @Test
  void withoutTheBridgeOnlyTheInterfacesAreCompared() {
    lab.inspections.put("host", TestInspections.inspection("h", ns(1, 2), "init", null));
    InspectResult c1 = TestInspections.inspection("c1", ns(3, 4), "sh", null);
    lab.inspections.put("c1", c1.withNetwork(new NetworkInfo("c1", List.of(iface("lo")), null)));
    vm.show(running());
    assertEquals("lo", row("interfaces").container());
    assertTrue(
        vm.rows().stream().noneMatch(r -> r.label().equals("veth pair")),
        "no wiring rows: " + vm.rows());
  }
}
