package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.linux.ErrorProbe;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;

/**
 * The helper's spawn of an init says its two steps as their errors would: the {@code unshare} and
 * the {@code posix_spawn} entries read exactly as the {@code SyscallException} of the same call,
 * with the same arguments, on the real wrappers ({@code StepTextTest} holds the init stage's own
 * steps to the same rule).
 */
class InitSpawnerStepTextTest {

  @Test
  void theUnshareAndSpawnEntriesReadAsTheirErrorsWould() throws Exception {
    ErrorProbe probe = new ErrorProbe();
    List<String> entries = new ArrayList<>();
    List<String> disagreements = new ArrayList<>();
    StepLog log =
        new StepLog(
            e -> {
              String logged = e.call() + "(" + e.args() + ")";
              entries.add(logged);
              List<String> errors = probe.takeErrors();
              if (!errors.contains(logged)) {
                disagreements.add("step log: " + logged + "\n  errors: " + errors);
              }
            });
    InitSpawner.Command cmd =
        new InitSpawner.Command(
            List.of("/usr/lib/jvm/java/bin/java", "-Xshare:auto", "org.glasshouse.Init"),
            Map.of("PATH", "/usr/bin", "GLASSHOUSE_INIT_SOCKET", "/run/x.sock"),
            "/");
    int flags = Flags.CLONE_NEWNS | Flags.CLONE_NEWUTS;
    InitProcess p = InitSpawner.spawn(probe.syscalls(), log, flags, null, cmd);
    p.onExit().get();
    assertEquals(List.of(), disagreements, "steps whose text is not their error's");
    assertEquals(
        List.of(
            "unshare(" + Flags.cloneFlags(flags) + ")",
            "posix_spawn(\"/usr/lib/jvm/java/bin/java\", [\"/usr/lib/jvm/java/bin/java\","
                + " \"-Xshare:auto\", \"org.glasshouse.Init\"], [/* 2 vars */])"),
        entries);
  }

  @Test
  void aFailedSpawnIsLoggedAsTheCallThatFailed() {
    StepLog.StepException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StepLog.StepException.class,
            () ->
                InitSpawner.spawn(
                    org.glasshouse.helper.linux.FailingLibc.syscalls(),
                    new StepLog(x -> {}),
                    Flags.CLONE_NEWPID,
                    null,
                    new InitSpawner.Command(List.of("/bin/java"), Map.of(), "/")));
    StepEntry failed = e.entry();
    assertEquals("unshare(CLONE_NEWPID)", failed.call() + "(" + failed.args() + ")");
    assertEquals("EPERM", failed.errno());
    assertEquals("unshare(CLONE_NEWPID) = -1 EPERM (Operation not permitted)", e.getMessage());
  }
}
