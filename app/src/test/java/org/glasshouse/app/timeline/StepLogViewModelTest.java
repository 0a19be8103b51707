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
        StepEntry.builder()
            .seq(31)
            .step("cgroup-pids")
            .stage("helper")
            .call("write")
            .args("\"" + longDir + "/pids.max\", \"32\"")
            .ok(true)
            .result("2")
            .durationNanos(120_000)
            .build();
    vm.focus(write);
    String d = vm.detailProperty().get();
    assertTrue(d.contains("write(\"" + longDir + "/pids.max\", \"32\")"), d);
    assertTrue(d.contains("= 2"), d);
    assertTrue(d.contains("#31 cgroup-pids, in the helper"), d);
    StepEntry mknod =
        StepEntry.builder()
            .seq(12)
            .step("dev-nodes")
            .stage("init")
            .call("mknod")
            .args("\"/dev/null\", S_IFCHR|0666, makedev(1, 3)")
            .ok(false)
            .errno("EPERM")
            .message("Operation not permitted")
            .explanation("creating device nodes needs CAP_MKNOD")
            .durationNanos(8000)
            .build();
    vm.focus(mknod);
    d = vm.detailProperty().get();
    assertTrue(d.contains("mknod(\"/dev/null\", S_IFCHR|0666, makedev(1, 3))"), d);
    assertTrue(d.contains("= -1 EPERM (Operation not permitted)"), d);
    assertTrue(d.contains("creating device nodes needs CAP_MKNOD"), d);
    assertTrue(d.contains("8 µs"), d);
    vm.focus(null);
    assertEquals(StepLogViewModel.NO_STEP, vm.detailProperty().get());
  }

  /**
   * The Call column shows the part of a call that matters: a cgroup write's file and value, a
   * mknod's node, an fd's directory — each long path cut to its end; short paths stay whole.
   */
  @Test
  void theShortCallKeepsTheEndOfEachLongPath() {
    String state = "/tmp/glasshouse-test-x/state/containers/3f9a0c1d2e4b";
    assertEquals(
        "write(\"…/pids.max\", \"32\")",
        StepLogViewModel.shortCall(
            FakeStep.of(
                "write", "\"/sys/fs/cgroup/pids/glasshouse/3f9a0c1d2e4b/pids.max\", \"32\"")));
    assertEquals(
        "mknod(\"…/dev/null\", S_IFCHR|0666, makedev(1, 3))",
        StepLogViewModel.shortCall(
            FakeStep.of(
                "mknod", "\"" + state + "/merged/dev/null\", S_IFCHR|0666, makedev(1, 3)")));
    assertEquals(
        "openat2(66<…/merged>, \"proc\", {flags=O_RDONLY})",
        StepLogViewModel.shortCall(
            FakeStep.of("openat2", "66<" + state + "/merged>, \"proc\", {flags=O_RDONLY}")));
    assertEquals(
        "symlink(\"/proc/self/fd\", \"…/dev/fd\")",
        StepLogViewModel.shortCall(
            FakeStep.of("symlink", "\"/proc/self/fd\", \"" + state + "/merged/dev/fd\"")));
    assertEquals(
        "pivot_root(\".\", \".oldroot\")",
        StepLogViewModel.shortCall(FakeStep.of("pivot_root", "\".\", \".oldroot\"")));
  }

  /** A step entry with a call and its arguments. */
  private static final class FakeStep {
    static StepEntry of(String call, String args) {
      return StepEntry.builder()
          .seq(1)
          .step("s")
          .stage("init")
          .call(call)
          .args(args)
          .ok(true)
          .result("0")
          .durationNanos(1000)
          .build();
    }
  }

  @Test
  void aStepSelectedBySeqOpensInTheDetailAndGoesWithItsContainer() {
    // The navigator (glass house, mounts) selects by seq, not through the table: the detail
    // follows.
    ContainerItem c = new ContainerItem("c1");
    c.steps()
        .add(
            StepEntry.builder()
                .seq(7)
                .step("uts")
                .stage("init")
                .call("sethostname")
                .args("\"c1\"")
                .ok(true)
                .result("0")
                .durationNanos(900)
                .build());
    vm.show(c);
    vm.select(7);
    assertTrue(
        vm.detailProperty().get().contains("sethostname(\"c1\")"), vm.detailProperty().get());
    vm.show(null);
    assertEquals(StepLogViewModel.NO_STEP, vm.detailProperty().get());
  }
}
