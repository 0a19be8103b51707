package org.glasshouse.app.namespaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.glasshouse.app.TestSpecs;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.Inspection;
import org.glasshouse.app.core.LabEvent;
import org.junit.jupiter.api.Test;

class InsideOutsideViewModelTest {
  private final FakeLabService lab = new FakeLabService();
  private final ContainersViewModel containers = new ContainersViewModel(lab, Runnable::run);
  private final InsideOutsideViewModel vm = new InsideOutsideViewModel(lab, Runnable::run);

  private static Map<String, String> ns(String uts, String mnt) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("mnt", mnt);
    m.put("uts", uts);
    m.put("net", "net:[1]");
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
        "host",
        new Inspection("laptop", ns("uts:[10]", "mnt:[20]"), "/sbin/init", Map.of(), Map.of()));
    lab.inspections.put(
        "c1",
        new Inspection(
            "c1",
            ns("uts:[11]", "mnt:[21]"),
            "/bin/sh",
            Map.of("memory limit", "64.0 MiB"),
            Map.of("memory", "1.2 MiB")));
    vm.show(running());
    assertTrue(row("uts").differs());
    assertTrue(row("hostname").differs());
    assertFalse(row("net").differs(), "a shared namespace is not highlighted");
    assertEquals("/bin/sh", row("PID 1").container());
    assertEquals("64.0 MiB", row("memory limit").container());
  }

  @Test
  void withoutItsOwnPidNamespaceTheContainersPid1IsTheHostsAndNotMarked() {
    lab.inspections.put(
        "host", new Inspection("h", ns("uts:[1]", "mnt:[2]"), "/sbin/init", Map.of(), Map.of()));
    lab.inspections.put(
        "c1", new Inspection("h", ns("uts:[1]", "mnt:[2]"), null, Map.of(), Map.of()));
    vm.show(running());
    assertEquals("/sbin/init", row("PID 1").container());
    assertFalse(row("PID 1").differs());
  }

  @Test
  void telemetryUpdatesUsageLive() {
    lab.inspections.put(
        "host", new Inspection("h", ns("uts:[1]", "mnt:[2]"), "init", Map.of(), Map.of()));
    lab.inspections.put(
        "c1", new Inspection("c1", ns("uts:[3]", "mnt:[4]"), "sh", Map.of(), Map.of()));
    vm.show(running());
    lab.emit(new LabEvent.Telemetry("c1", Map.of("pids", "3"), null));
    assertEquals("3", row("pids").container());
  }

  @Test
  void anInspectionErrorIsANoteNotACrash() {
    vm.show(running());
    assertTrue(
        vm.noteProperty().get().startsWith("Could not inspect c1: "), vm.noteProperty().get());
  }
}
