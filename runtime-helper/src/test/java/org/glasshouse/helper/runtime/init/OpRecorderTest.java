package org.glasshouse.helper.runtime.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.helper.linux.Capability;
import org.glasshouse.helper.linux.Errno;
import org.glasshouse.helper.linux.RecordingSyscalls;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.runtime.seccomp.Arch;
import org.glasshouse.helper.runtime.seccomp.DefaultProfile;
import org.glasshouse.helper.runtime.seccomp.FilterPlan;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native init's op list against the JVM init's steps: for every level's plan, the entries the
 * helper makes from the ops' answers are, in order and word for word, those the JVM init logs for
 * the same plan — when every call succeeds, and when the tolerated answers (an existing node, a
 * path this kernel lacks) come back.
 */
class OpRecorderTest {
  @TempDir Path root;

  @BeforeEach
  void image() throws IOException {
    ImageFixture.create(root);
  }

  private InitPlan plan(Set<Feature> f, String tty, String user) {
    RunSpec spec =
        RunSpec.builder()
            .image("busybox")
            .argv("/bin/sh", "-c", "true")
            .env(Map.of("PATH", "/bin"))
            .tty(tty != null)
            .features(f)
            .user(user)
            .build();
    boolean overlay = f.contains(Feature.OVERLAY);
    return InitPlan.builder()
        .containerId("0123456789ab")
        .spec(spec)
        .features(f)
        .rootfs(root.toString())
        .overlayLower(overlay ? "/img" : null)
        .overlayUpper(overlay ? "/c/upper" : null)
        .overlayWork(overlay ? "/c/work" : null)
        .ptySlave(tty)
        .hostname("glashüs")
        .uid(user == null ? null : 1000)
        .gid(user == null ? null : 1000)
        .capabilities(Capability.containerDefault().stream().map(Capability::capName).toList())
        .capLastCap(40)
        .workdir("/")
        .seccomp(
            f.contains(Feature.SECCOMP) ? FilterPlan.of(DefaultProfile.program(Arch.X86_64)) : null)
        .build();
  }

  /** The JVM init's entries for {@code p}, against {@code sys}. */
  private static List<StepEntry> jvm(InitPlan p, RecordingSyscalls sys) throws Exception {
    List<StepEntry> entries = new ArrayList<>();
    InitLink link =
        new InitLink() {
          @Override
          public void step(StepEntry entry) {
            entries.add(entry);
          }

          @Override
          public void awaitRoots() {}

          @Override
          public void ready(long pid) {}

          @Override
          public void awaitGo() {}

          @Override
          public void aboutToExec(StepEntry pending) {}

          @Override
          public void spawned(long pid) {}
        };
    new InitStage(sys, p, link).run();
    return entries;
  }

  /**
   * The entries the helper makes of the ops' answers, as the executor would run them: each op
   * answers ok, except those {@code tolerated} says find their tolerated errno.
   */
  private static List<StepEntry> nativeEntries(
      List<InitOp> ops, java.util.function.Predicate<InitOp> tolerated) {
    List<StepEntry> entries = new ArrayList<>();
    int skip = 0;
    for (InitOp op : ops) {
      if (skip > 0) {
        skip--;
        continue;
      }
      if (!op.logged()) {
        continue;
      }
      if (op.name().equals("execve") || op.spawns()) {
        // The executor found the command; /bin/sh has a slash, so it is the path as given. A spawn
        // answers with the command's pid (RecordingSyscalls' for the JVM init's side).
        var call = op.commandAt("/bin/sh");
        entries.add(
            StepEntry.builder()
                .step("exec")
                .stage("init")
                .call(call.name())
                .args(call.args())
                .ok(true)
                .result(op.spawns() ? "4243" : "0")
                .build());
        continue;
      }
      if (op.tolerated != 0 && tolerated.test(op)) {
        entries.add(op.tolerated(0));
        skip = op.skipTolerated;
      } else {
        entries.add(op.ok(0));
        skip = op.skipOk;
      }
    }
    return entries;
  }

  private static List<String> text(List<StepEntry> entries) {
    List<String> t = new ArrayList<>();
    for (StepEntry e : entries) {
      t.add(e.step() + " " + e.call() + "(" + e.args() + ") = " + e.result() + " ok=" + e.ok());
    }
    return t;
  }

  private List<InitPlan> plans() {
    List<InitPlan> plans = new ArrayList<>();
    for (int level = 0; level <= 13; level++) {
      plans.add(plan(Feature.upTo(level), null, null));
      plans.add(plan(Feature.upTo(level), "/dev/pts/7", "1000:1000"));
    }
    // Device nodes made rather than bound: level 02's nodes without nodev.
    plans.add(plan(EnumSet.of(Feature.MOUNT_NS, Feature.CHROOT, Feature.DEV_NODES), null, null));
    plans.addAll(execPlans());
    return plans;
  }

  /** An exec into a running container at every level, with and without a terminal and a user. */
  private List<InitPlan> execPlans() {
    List<InitPlan> plans = new ArrayList<>();
    for (int level = 0; level <= 13; level++) {
      for (boolean tty : new boolean[] {false, true}) {
        InitPlan p = plan(Feature.upTo(level), tty ? "/dev/pts/7" : null, tty ? "1000:1000" : null);
        plans.add(
            p.toBuilder()
                .rootfs(level == 0 ? null : "/proc/4242/root")
                .execMode(true)
                .targetPid(4242)
                .build());
      }
    }
    return plans;
  }

  @Test
  void everyLevelsOpsAnsweredOkAreTheJvmInitsSteps() throws Exception {
    for (InitPlan p : plans()) {
      List<InitOp> ops = OpRecorder.record(p);
      assertEquals(
          text(jvm(p, new RecordingSyscalls())),
          text(nativeEntries(ops, op -> false)),
          "features " + p.features() + ", tty " + p.ptySlave());
      for (InitOp op : ops) {
        assertTrue(op.line().startsWith(op.name() + " "), op.line());
      }
    }
  }

  @Test
  void theToleratedAnswersTakeTheJvmInitsOtherBranch() throws Exception {
    String all = "";
    for (InitPlan p : plans()) {
      // Every node already in the image's /dev, no masked path on this kernel: the JVM init takes
      // its fallbacks, and the executor's skips must land on the same steps.
      RecordingSyscalls sys = new RecordingSyscalls();
      sys.alsoFailWhen(c -> c.startsWith("openat2(") && c.contains("O_EXCL"), Errno.EEXIST);
      sys.alsoFailWhen(c -> c.startsWith("mkdirat("), Errno.EEXIST);
      sys.alsoFailWhen(
          c -> c.startsWith("mount(") && c.matches(".*\"/proc/self/fd/\\d+/.*"), Errno.ENOENT);
      List<InitOp> ops = OpRecorder.record(p);
      List<String> expected = text(jvm(p, sys));
      assertEquals(
          expected,
          text(nativeEntries(ops, op -> true)),
          "features " + p.features() + ", tty " + p.ptySlave());
      all += expected;
    }
    // The branches were taken: the fallback opens, the kept directories, the unmasked paths.
    assertTrue(all.contains("= -1 EEXIST (tolerated) ok=true"), all);
    assertTrue(all.contains("= -1 EEXIST (kept"), all);
    assertTrue(all.contains("= " + MaskedPaths.ABSENT + " ok=true"), all);
  }

  @Test
  void aFileThatExistsIsOpenedAgainInTheSameSlot() {
    List<InitOp> ops = OpRecorder.record(plan(Feature.upTo(3), null, null));
    InitOp made = ops.stream().filter(o -> o.line().contains("'null ")).findFirst().orElseThrow();
    int i = ops.indexOf(made);
    assertEquals(Errno.EEXIST, made.tolerated);
    assertEquals(1, made.skipOk, "created: the fallback open is skipped");
    assertEquals(0, made.skipTolerated);
    assertEquals(made.slot, ops.get(i + 1).slot, "the fallback opens into the same slot");
    assertTrue(ops.get(i + 2).line().startsWith("mount -1 0 0 0 '/dev/null '/proc/self/fd/"));
  }

  @Test
  void aRefusedStepEndsTheListWithItsRefusal() {
    Set<Feature> f = EnumSet.of(Feature.PIVOT_ROOT, Feature.BIND_ROOT);
    List<InitOp> ops = OpRecorder.record(plan(f, null, null));
    InitOp last = ops.get(ops.size() - 1);
    assertEquals("refuse", last.name());
    StepEntry e = last.refused();
    assertEquals("pivot-root", e.step());
    assertTrue(e.message().startsWith("refused: pivot_root needs a mount namespace"), e.message());
  }

  @Test
  void anExecIntoAPidNamespaceSpawnsWaitsAndEndsAsTheCommandInThatOrder() {
    InitPlan exec = execPlans().get(2 * 12 + 1); // level 12, with a terminal and a user
    List<String> names = OpRecorder.record(exec).stream().map(InitOp::name).toList();
    // The container's PID namespace is joined (for children only) after its root, and the last
    // three ops are the command's spawn, the wait for it, and the end as it ended.
    int root = names.indexOf("chroot");
    int pidNs = names.lastIndexOf("setns");
    assertTrue(root > 0 && pidNs > root, names.toString());
    assertEquals(
        List.of("close_range_cloexec", "spawn", "waitpid", "end_as"),
        names.subList(names.size() - 4, names.size()));
    List<InitOp> ops = OpRecorder.record(exec);
    InitOp spawn = ops.get(ops.size() - 3);
    assertTrue(spawn.line().endsWith(" 1"), "in the terminal's foreground: " + spawn.line());
    assertTrue(
        spawn.line().startsWith("spawn -1 0 0 0 '/bin/sh '/bin 3 '/bin/sh '-c 'true 1 'PATH=/bin"),
        spawn.line());
    assertEquals("posix_spawn", spawn.commandAt("/bin/sh").name());
    assertTrue(!ops.get(ops.size() - 2).logged() && !ops.get(ops.size() - 1).logged());
  }

  @Test
  void anExecWithoutAPidNamespaceBecomesTheCommand() {
    InitPlan exec = execPlans().get(2 * 5); // level 05: UTS, no PID namespace
    List<InitOp> ops = OpRecorder.record(exec);
    List<String> names = ops.stream().map(InitOp::name).toList();
    assertEquals("execve", names.get(names.size() - 1), names.toString());
    assertTrue(!names.contains("spawn") && !names.contains("waitpid"), names.toString());
    // The mount namespace and the root are the container's, joined through the target's /proc.
    assertTrue(
        ops.stream().anyMatch(o -> o.line().contains("'/proc/4242/ns/mnt ")), ops.toString());
    assertTrue(
        ops.stream().anyMatch(o -> o.line().startsWith("chroot -1 0 0 0 '.")), ops.toString());
  }

  @Test
  void stringsTravelEscapedAndComeBackWhole() {
    StringBuilder b = new StringBuilder();
    String s = "a b%c\nglashüs";
    InitOp.str(b, s);
    assertEquals("'a%20b%25c%0Aglash%C3%BCs", b.toString());
    assertEquals(s, InitOp.unstring(b.toString()));
    assertThrows(IllegalArgumentException.class, () -> InitOp.unstring("'%4"));
    assertThrows(IllegalArgumentException.class, () -> InitOp.unstring("x"));
  }
}
