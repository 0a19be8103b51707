package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attack: a container without a PID namespace of its own (levels 00–05) leaves processes behind
 * when it is removed — a background child, a {@code setsid} daemon that double-forked away to the
 * host's PID 1, a job in a process group of its own (a shell with job control puts each job in
 * one), a fork loop racing the kill ({@link MarkedProcesses#workload}) — and none of them may
 * outlive {@code rm -f}, the helper's shutdown, or a {@code kill -9} of the helper followed by a
 * new one's start-up sweep.
 */
@Tag("root")
class LeftBehindRootTest {

  /** The workload in a shell on a terminal (job control needs one), at {@code level}. */
  static RunSpec spec(int level, MarkedProcesses m) {
    return RunSpec.builder()
        .image("busybox")
        .argv(List.of("/bin/sh", "-c", m.workload()))
        .env(RootHarness.ENV)
        .tty(true)
        .cols(80)
        .rows(24)
        .level(level)
        .build();
  }

  @ParameterizedTest(name = "level {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void rmForceEndsEveryProcessTheContainerStarted(int level) throws Exception {
    MarkedProcesses m = MarkedProcesses.create();
    try (RootHarness h = new RootHarness()) {
      Container c = h.runtime.start(RootHarness.newId(), spec(level, m), new CollectingListener());
      var before = m.awaitEscapes(c::hostPid, c.steps());
      h.runtime.remove(c.id(), true);
      m.assertNoneLeft("after rm -f at level " + level + " (before it: " + before + ")");
    } finally {
      m.killLeftovers();
    }
  }

  @ParameterizedTest(name = "level {0}")
  @ValueSource(ints = {0, 3})
  void theHelperShuttingDownEndsEveryProcessOfItsContainers(int level) throws Exception {
    MarkedProcesses m = MarkedProcesses.create();
    try (RootHarness h = new RootHarness()) {
      Container c = h.runtime.start(RootHarness.newId(), spec(level, m), new CollectingListener());
      var before = m.awaitEscapes(c::hostPid, c.steps());
      // What the helper does on SIGTERM (HelperCommand's shutdown hook); the CLI's
      // HelperShutdownRootTest sends a real helper the signal.
      h.runtime.close();
      m.assertNoneLeft("after the helper's shutdown (before it: " + before + ")");
    } finally {
      m.killLeftovers();
    }
  }

  @ParameterizedTest(name = "level {0}")
  @ValueSource(ints = {0, 3})
  void aNewHelperAfterAKillMinus9EndsEveryProcessTheDeadOneLeft(int level) throws Exception {
    MarkedProcesses m = MarkedProcesses.create();
    try (RootHarness h = new RootHarness()) {
      Container c = h.runtime.start(RootHarness.newId(), spec(level, m), new CollectingListener());
      var before = m.awaitEscapes(c::hostPid, c.steps());
      h.crash();
      try (LinuxContainerRuntime next =
          new LinuxContainerRuntime(
              RuntimeConfig.of(h.state, TestSupport.imagesDir())
                  .withCgroupParent(h.cgroupParent))) {
        assertTrue(next.recovery().clean(), next.recovery().toString());
        m.assertNoneLeft("after the start-up sweep (before it: " + before + ")");
      }
    } finally {
      m.killLeftovers();
    }
  }
}
