package org.glasshouse.app.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;

class StepLogViewModelTest {
  private final StepLogViewModel vm = new StepLogViewModel();

  @Test
  void theDetailShowsTheWholeCallResultErrnoAndExplanation() {
    String longDir = "/var/lib/glasshouse/cgroup/pids/glasshouse/3f9a0c1d2e4b";
    StepEntry write =
        new StepEntry(
            31,
            "cgroup-pids",
            "helper",
            "write",
            "\"" + longDir + "/pids.max\", \"32\"",
            true,
            "2",
            null,
            null,
            null,
            120_000);
    vm.focus(write);
    String d = vm.detailProperty().get();
    assertTrue(d.contains("write(\"" + longDir + "/pids.max\", \"32\")"), d);
    assertTrue(d.contains("= 2"), d);
    assertTrue(d.contains("#31 cgroup-pids, in the helper"), d);
    StepEntry mknod =
        new StepEntry(
            12,
            "dev-nodes",
            "init",
            "mknod",
            "\"/dev/null\", S_IFCHR|0666, makedev(1, 3)",
            false,
            null,
            "EPERM",
            "Operation not permitted",
            "creating device nodes needs CAP_MKNOD",
            8000);
    vm.focus(mknod);
    d = vm.detailProperty().get();
    assertTrue(d.contains("mknod(\"/dev/null\", S_IFCHR|0666, makedev(1, 3))"), d);
    assertTrue(d.contains("= -1 EPERM (Operation not permitted)"), d);
    assertTrue(d.contains("creating device nodes needs CAP_MKNOD"), d);
    assertTrue(d.contains("8 µs"), d);
    vm.focus(null);
    assertEquals(StepLogViewModel.NO_STEP, vm.detailProperty().get());
  }

  @Test
  void aStepSelectedBySeqOpensInTheDetailAndGoesWithItsContainer() {
    // The navigator (glass house, mounts) selects by seq, not through the table: the detail
    // follows.
    ContainerItem c = new ContainerItem("c1");
    c.steps()
        .add(
            new StepEntry(
                7, "uts", "init", "sethostname", "\"c1\"", true, "0", null, null, null, 900));
    vm.show(c);
    vm.select(7);
    assertTrue(
        vm.detailProperty().get().contains("sethostname(\"c1\")"), vm.detailProperty().get());
    vm.show(null);
    assertEquals(StepLogViewModel.NO_STEP, vm.detailProperty().get());
  }
}
