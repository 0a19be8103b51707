package org.glasshouse.helper.runtime;

import static org.glasshouse.helper.runtime.RootHarness.level;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.runtime.RootHarness.Result;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The native init stage on the real kernel (issue 16): every level's container started through
 * {@code glasshouse-init} runs its command, and its step log reads like the JVM init's for the same
 * level — the same init steps, calls, arguments and results, fd numbers and the container's own
 * names aside.
 */
@Tag("root")
class NativeInitRootTest {
  private static RootHarness jvm;
  private static RootHarness nat;

  @BeforeAll
  static void harnesses() throws Exception {
    jvm = new RootHarness(c -> c.withNativeInit(null));
    nat =
        new RootHarness(
            c ->
                c.withNativeInit(
                    NativeInit.find()
                        .orElseThrow(() -> new AssertionError("glasshouse-init is not built"))));
  }

  @AfterAll
  static void close() throws Exception {
    if (jvm != null) {
      jvm.close();
    }
    if (nat != null) {
      nat.close();
    }
  }

  /** The init stage's entries as text, with what differs between two containers made neutral. */
  private static List<String> initSteps(Result r, RootHarness h) {
    String id = r.container().id();
    List<String> out = new ArrayList<>();
    for (StepEntry e : r.container().steps()) {
      if (!"init".equals(e.stage())) {
        continue;
      }
      String text =
          (e.step() + " " + e.call() + "(" + e.args() + ") = " + e.result() + " " + e.errno())
              .replace(h.state.toString(), "STATE")
              .replace(id, "ID")
              .replaceAll("\\d+<", "N<")
              .replaceAll("/proc/self/fd/\\d+", "/proc/self/fd/N")
              .replaceAll("= \\d+ ", "= N ");
      out.add(text);
    }
    return out;
  }

  @Test
  void everyLevelRunsItsCommandAndLogsTheJvmInitsSteps() throws Exception {
    for (int n = 0; n <= 13; n++) {
      Result j = jvm.runAndRemove(level(n, "echo hi; hostname"));
      Result r = nat.runAndRemove(level(n, "echo hi; hostname"));
      assertEquals(0, r.status().code(), "level " + n + ": " + r);
      assertTrue(r.out().startsWith("hi\n"), "level " + n + ": " + r);
      assertEquals(
          j.out().replace(j.container().id(), "ID"),
          r.out().replace(r.container().id(), "ID"),
          "level " + n);
      assertEquals(initSteps(j, jvm), initSteps(r, nat), "level " + n);
      String spawn =
          r.container().steps().stream()
              .filter(e -> e.step().equals("spawn"))
              .map(StepEntry::args)
              .findFirst()
              .orElseThrow();
      assertTrue(spawn.contains(NativeInit.NAME), spawn);
      assertFalse(spawn.contains("warm pool"), spawn);
    }
  }

  @Test
  void aFailingStepIsTheJvmInitsFailure() throws Exception {
    // A working directory the image lacks: chdir fails after the root is made.
    var spec = level(12, "true").toBuilder().workdir("/nonexistent").build();
    Exception j = null;
    Exception r = null;
    try {
      jvm.run(spec);
    } catch (Exception e) {
      j = e;
    }
    try {
      nat.run(spec);
    } catch (Exception e) {
      r = e;
    }
    assertTrue(j != null && r != null, "both starts fail");
    assertEquals(j.getMessage(), r.getMessage());
    assertTrue(r.getMessage().contains("chdir failed with ENOENT"), r.getMessage());
  }

  @Test
  void aCommandThatIsNotThereFailsAtExecveWithThePathLookedUp() throws Exception {
    Exception r = null;
    try {
      nat.run(level(12, "true").toBuilder().argv(List.of("no-such-command")).build());
    } catch (Exception e) {
      r = e;
    }
    assertTrue(r != null, "the start fails");
    StartFailedException failed = (StartFailedException) r;
    assertEquals("execve", failed.failedStep().call());
    assertEquals("ENOENT", failed.failedStep().errno());
    // Not found in PATH: the name as given, as the JVM init's lookup leaves it.
    assertTrue(
        failed.failedStep().args().startsWith("\"no-such-command\""), failed.failedStep().args());
  }
}
