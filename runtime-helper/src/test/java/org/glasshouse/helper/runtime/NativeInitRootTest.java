package org.glasshouse.helper.runtime;

import static org.glasshouse.helper.runtime.RootHarness.level;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.runtime.RootHarness.Result;
import org.glasshouse.protocol.RunSpec;
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
    return initSteps(r.container(), h);
  }

  private static List<String> initSteps(Container c, RootHarness h) {
    String id = c.id();
    List<String> out = new ArrayList<>();
    for (StepEntry e : c.steps()) {
      if (!"init".equals(e.stage())) {
        continue;
      }
      String text =
          (e.step() + " " + e.call() + "(" + e.args() + ") = " + e.result() + " " + e.errno())
              .replace(h.state.toString(), "STATE")
              .replace(id, "ID")
              .replaceAll("\\d+<", "N<")
              .replaceAll("/proc/self/fd/\\d+", "/proc/self/fd/N")
              .replaceAll("/proc/\\d+/", "/proc/PID/")
              .replaceAll("\\((\\d+)([,) ])", "(N$2")
              .replaceAll("[0-9a-f]{12}", "ID")
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

  /** What one exec did: its container, how it ended, what it wrote. */
  private record Exec(Container exec, ExitStatus status, String out, String err) {}

  /** Starts a container at {@code spec}, execs {@code exec} into it, removes it. */
  private static Exec exec(RootHarness h, RunSpec spec, RunSpec exec) throws Exception {
    CollectingListener main = new CollectingListener();
    Container c = h.runtime.start(RootHarness.newId(), spec, main);
    try {
      CollectingListener l = new CollectingListener();
      Container e = h.runtime.exec(c.id(), RootHarness.newId(), exec, l);
      ExitStatus s = l.await();
      return new Exec(e, s, l.stdout(), l.stderr());
    } finally {
      h.runtime.remove(c.id(), true);
    }
  }

  private static RunSpec sh(String script) {
    return RootHarness.plain(null, null, RootHarness.ENV, "/bin/sh", "-c", script);
  }

  /** The helper's spawn entry of a container: it names the init's executable. */
  private static String spawnStep(Container c) {
    return c.steps().stream()
        .filter(e -> e.step().equals("spawn"))
        .map(StepEntry::args)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void everyLevelsExecRunsThroughTheNativeInitAndLogsTheJvmInitsSteps() throws Exception {
    String script = "echo hi; id -u; hostname; ls / | head -3; exit 3";
    for (int n = 0; n <= 13; n++) {
      RunSpec main = level(n, "read x");
      Exec j = exec(jvm, main, sh(script));
      Exec r = exec(nat, main, sh(script));
      assertEquals(3, r.status().code(), "level " + n + ": " + r);
      assertEquals(j.status().code(), r.status().code(), "level " + n);
      assertEquals(
          j.out().replaceAll("[0-9a-f]{12}", "ID"), r.out().replaceAll("[0-9a-f]{12}", "ID"));
      assertEquals(initSteps(j.exec(), jvm), initSteps(r.exec(), nat), "level " + n);
      assertTrue(spawnStep(r.exec()).contains(NativeInit.NAME), spawnStep(r.exec()));
      assertFalse(spawnStep(j.exec()).contains(NativeInit.NAME), spawnStep(j.exec()));
      // From level 06 the command is spawned into the PID namespace, and the init waits for it.
      boolean spawns = n >= 6;
      assertEquals(
          spawns,
          r.exec().steps().stream()
              .anyMatch(e -> e.call().equals("posix_spawn") && "init".equals(e.stage())),
          "level " + n + ": " + r.exec().steps());
    }
  }

  @Test
  void anExecKilledBySignalEndsAsTheJvmInitsDoes() throws Exception {
    for (int n : new int[] {5, 12}) {
      Exec j = exec(jvm, level(n, "read x"), sh("kill -TERM $$"));
      Exec r = exec(nat, level(n, "read x"), sh("kill -TERM $$"));
      assertEquals(15, r.status().signal(), "level " + n + ": " + r);
      assertEquals(j.status().signal(), r.status().signal(), "level " + n);
    }
  }

  @Test
  void anExecsFailureIsTheJvmInitsFailure() throws Exception {
    // Level 05 execs the command (execve), level 12 spawns it into its PID namespace.
    for (int n : new int[] {5, 12}) {
      for (RunSpec bad :
          List.of(
              RootHarness.plain(null, null, RootHarness.ENV, "no-such-command"),
              sh("true").toBuilder().workdir("/nonexistent").build())) {
        Exception j = null;
        Exception r = null;
        try {
          exec(jvm, level(n, "read x"), bad);
        } catch (StartFailedException e) {
          j = e;
        }
        try {
          exec(nat, level(n, "read x"), bad);
        } catch (StartFailedException e) {
          r = e;
        }
        assertTrue(j != null && r != null, "both execs fail at level " + n);
        assertEquals(
            j.getMessage().replaceAll("/proc/\\d+/", "/proc/PID/"),
            r.getMessage().replaceAll("/proc/\\d+/", "/proc/PID/"),
            "level " + n);
        StepEntry failed = ((StartFailedException) r).failedStep();
        assertEquals(((StartFailedException) j).failedStep().call(), failed.call());
        assertEquals(((StartFailedException) j).failedStep().args(), failed.args());
      }
    }
  }

  /**
   * A hostile argv and env (issue 16's op lines are text): newlines that look like the channel's
   * own words, the escape character, quotes, the "absent" mark, spaces, UTF-8, an empty argument.
   * Each reaches the command exactly.
   */
  @Test
  void aHostileArgvReachesTheCommandWhole() throws Exception {
    List<String> args =
        List.of("a\nend\ngo", "%00", "%", "~", "'", " ", "", "glashüs", "0 ok 0 0", "bad 1 x");
    List<String> argv =
        new ArrayList<>(List.of("/bin/sh", "-c", "printf '[%s]\\n' \"$@\"; echo \"[$V]\"", "sh"));
    argv.addAll(args);
    RunSpec hostile =
        RunSpec.builder()
            .argv(argv)
            .env(java.util.Map.of("PATH", "/bin", "V", "x\nend\n%41 ~"))
            .build();
    StringBuilder expected = new StringBuilder();
    for (String a : args) {
      expected.append('[').append(a).append("]\n");
    }
    expected.append("[x\nend\n%41 ~]\n");
    // Not compared with the init JVM's: it passes argv to execve in its default charset, which
    // without a UTF-8 locale (its environment has none) turns the "ü" into "?".
    for (int n : new int[] {5, 12}) {
      Exec r = exec(nat, level(n, "read x"), hostile);
      assertEquals(0, r.status().code(), "level " + n + ": " + r);
      assertEquals(expected.toString(), r.out(), "level " + n);
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

  @Test
  void aNonAsciiArgumentReachesTheCommandUnderBothInits() throws Exception {
    // The init JVM is spawned with no locale in its environment: before the fix its JNA turned
    // every non-ASCII character of argv into '?' (US-ASCII), the native init passed the bytes.
    var spec =
        level(12, "true").toBuilder()
            .argv(List.of("/bin/sh", "-c", "printf '%s\\n' \"$1\"", "sh", "h\u00e9llo \u6f22"))
            .build();
    Result j = jvm.runAndRemove(spec);
    Result r = nat.runAndRemove(spec);
    assertEquals("h\u00e9llo \u6f22\n", r.out(), "native init: " + r);
    assertEquals("h\u00e9llo \u6f22\n", j.out(), "JVM init: " + j);
  }
}
