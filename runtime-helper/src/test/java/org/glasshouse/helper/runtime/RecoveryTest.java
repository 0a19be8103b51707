package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A helper started after a kill -9 of the previous one removes what that one left running. */
@Tag("root")
class RecoveryTest {

  @Test
  void aNewRuntimeKillsAndRemovesThePivotedContainersOfADeadOne() throws Exception {
    try (RootHarness h = new RootHarness()) {
      CollectingListener l = new CollectingListener();
      // Level 06: pivoted into its own mount and PID namespace, no cgroup to find it by.
      Container c = h.runtime.start(RootHarness.newId(), RootHarness.level(6, "read x"), l);
      long pid = c.hostPid();
      h.crash();
      try (LinuxContainerRuntime next =
          new LinuxContainerRuntime(
              RuntimeConfig.of(h.state, TestSupport.imagesDir())
                  .withCgroupParent(h.cgroupParent))) {
        assertTrue(
            next.recovery().done().stream().anyMatch(s -> s.startsWith("kill -9 " + pid)),
            next.recovery().toString());
        assertTrue(next.recovery().clean(), next.recovery().toString());
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isPresent()) {
          p.get().onExit().get(10, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(h.state.resolve("containers/" + c.id())), "its dir is gone");
      }
    }
  }
}
