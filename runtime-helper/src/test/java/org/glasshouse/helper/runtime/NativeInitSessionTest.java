package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.helper.runtime.init.InitOp;
import org.glasshouse.helper.runtime.init.OpRecorder;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper's side of the conversation with the native init ({@link NativeInitSession}), without
 * root: the init is a script in this JVM speaking glasshouse-init's answer lines on the real init
 * socket ({@link InitServer} in a temp dir), the op list is the one {@link OpRecorder} records for
 * the plan, and the process the session watches is a harmless {@code sleep}. The success path and
 * every way the native init can fail: a refused op list ({@code bad}), a failing op ({@code err}),
 * a failed execve, the helper's refusal reached ({@code refused}), answers out of order or
 * malformed, death before connecting or mid-list, silence until the deadline, and the helper's own
 * steps failing at roots and at ready. (The executor's side of the same lines is {@code
 * NativeInitExecutorTest}.)
 */
class NativeInitSessionTest {

  /** As long as the runtime's floor: these conversations fail by answer, never by the clock. */
  private static final InitTimeout TIMEOUT =
      InitTimeout.configured(InitTimeout.FLOOR, "NativeInitSessionTest");

  @TempDir Path tmp;

  private FakeInitChannel channel;
  private final StepLog log = new StepLog(e -> {});
  private final AtomicInteger rootsEntered = new AtomicInteger();
  private final AtomicInteger readied = new AtomicInteger();
  private InitSession.OnReady enterRoots = rootsEntered::incrementAndGet;
  private InitSession.OnReady onReady = readied::incrementAndGet;

  /** The ops the fake init answered "ok" (or "ready", or a sync point's "ok"), in order. */
  private final List<Integer> answeredOk = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    channel = new FakeInitChannel(tmp);
  }

  @AfterEach
  void stop() throws Exception {
    channel.close();
  }

  /** The init's end of the channel as glasshouse-init speaks it: hello, the op list, answers. */
  private final class FakeNativeInit extends FakeInitChannel.End {
    /** The op lines the helper sent, up to its {@code end}. */
    final List<String> ops = new ArrayList<>();

    FakeNativeInit(String token) throws IOException {
      super(channel.server.socket());
      say("{\"type\":\"hello\",\"token\":\"" + token + "\"}");
      for (String line = in.readLine(); !"end".equals(line); line = in.readLine()) {
        assertTrue(line != null, "the op list ends with \"end\": " + ops);
        ops.add(line);
      }
    }

    /** The index of the first op called {@code name}. */
    int first(String name) {
      for (int i = 0; i < ops.size(); i++) {
        if (ops.get(i).startsWith(name + " ")) {
          return i;
        }
      }
      throw new AssertionError("no " + name + " op in " + ops);
    }

    /**
     * Answers ops from {@code from} up to (not including) {@code to} as the executor does when
     * every call succeeds: skips what an op's success rules out, waits for the helper's word at its
     * sync points, and says "ready" with a pid. Returns where it stopped.
     */
    int runOk(int from, int to) throws IOException {
      int skip = 0;
      for (int i = from; i < to; i++) {
        String[] w = ops.get(i).split(" ");
        if (skip > 0) {
          skip--;
          say(i + " skip");
          continue;
        }
        switch (w[0]) {
          case "roots", "go" -> {
            assertEquals(w[0], in.readLine(), "the helper's word at op " + i);
            say(i + " ok 0 1000");
          }
          case "ready" -> say(i + " ready 4321");
          default -> {
            say(i + " ok " + (w[1].equals("-1") ? "0" : w[1]) + " 1000");
            skip = Integer.parseInt(w[3]);
          }
        }
        answeredOk.add(i);
      }
      return to;
    }
  }

  @FunctionalInterface
  private interface Script {
    void play(FakeNativeInit f) throws Exception;
  }

  /** Plays {@code script} as the init while the session runs; the script's failure is thrown. */
  private void converse(InitPlan plan, InitTimeout timeout, Script script) throws Exception {
    converseOn(channel.connecting, channel.token, plan, timeout, script);
  }

  /** The same on another token of the same init socket (a second conversation in one test). */
  private void converseOn(
      CompletableFuture<InitServer.Connection> connection,
      String withToken,
      InitPlan plan,
      Script script)
      throws Exception {
    converseOn(connection, withToken, plan, TIMEOUT, script);
  }

  private void converseOn(
      CompletableFuture<InitServer.Connection> connection,
      String withToken,
      InitPlan plan,
      InitTimeout timeout,
      Script script)
      throws Exception {
    FakeInitChannel.whilePlaying(
        () -> {
          try (FakeNativeInit f = new FakeNativeInit(withToken)) {
            script.play(f);
          }
        },
        () -> {
          session(connection, plan, timeout);
          return null;
        });
  }

  private void session(InitPlan plan, InitTimeout timeout) throws Exception {
    session(channel.connecting, plan, timeout);
  }

  private void session(
      CompletableFuture<InitServer.Connection> connection, InitPlan plan, InitTimeout timeout)
      throws Exception {
    NativeInitSession.run(
        connection,
        channel.init,
        plan,
        OpRecorder.record(plan),
        log,
        timeout,
        () -> enterRoots.run(),
        () -> onReady.run());
  }

  /** The conversation's failure when {@code script} plays the init; fails the test if none. */
  private InitSession.InitFailed failure(InitPlan plan, Script script) {
    return failure(plan, TIMEOUT, script);
  }

  private InitSession.InitFailed failure(InitPlan plan, InitTimeout timeout, Script script) {
    return assertThrows(InitSession.InitFailed.class, () -> converse(plan, timeout, script));
  }

  private static InitPlan plan(Set<Feature> features) {
    return InitPlan.builder()
        .containerId("c0ffee000001")
        .spec(RunSpec.builder().image("busybox").argv("/bin/sh", "-c", "true").build())
        .features(features)
        .rootfs("/rootfs")
        .capabilities(List.of())
        .capLastCap(40)
        .workdir("/")
        .build();
  }

  /** A plan with ops before "ready" (chroot into the rootfs, chdir): level 01's. */
  private static InitPlan chrootPlan() {
    return plan(EnumSet.of(Feature.CHROOT));
  }

  /** A plan the recorder ends with the helper's refusal (pivot_root without a mount namespace). */
  private static InitPlan refusedPlan() {
    return plan(EnumSet.of(Feature.PIVOT_ROOT, Feature.BIND_ROOT));
  }

  private List<String> calls() {
    return log.entries().stream().map(StepEntry::call).toList();
  }

  /** The calls of the logged ops among those answered "ok": the entries the helper must make. */
  private List<String> okCalls(InitPlan plan) {
    List<InitOp> ops = OpRecorder.record(plan);
    return answeredOk.stream()
        .map(ops::get)
        .filter(InitOp::logged)
        .map(o -> o.call().name())
        .toList();
  }

  @Test
  void opsReadyGoExecThenEndOfStreamIsASuccessfulExecve() throws Exception {
    converse(
        chrootPlan(),
        TIMEOUT,
        f -> {
          int exec = f.runOk(0, f.first("execve"));
          f.say(exec + " exec '/bin/sh");
        });
    assertEquals(1, readied.get(), "the helper's steps ran once, at ready");
    assertEquals(0, rootsEntered.get(), "no cgroup namespace, no roots");
    StepEntry last = log.entries().get(log.entries().size() - 1);
    assertEquals("execve", last.call());
    assertTrue(last.ok());
    assertTrue(last.args().startsWith("\"/bin/sh\""), "the path the executor found: " + last);
    List<String> expected = new ArrayList<>(okCalls(chrootPlan()));
    expected.add("execve");
    assertEquals(expected, calls(), "one entry per op answered ok, then the execve");
  }

  @Test
  void aCgroupNamespaceGetsItsRootsBeforeTheOpsWaitForThem() throws Exception {
    converse(
        plan(Set.of(Feature.CGROUP_NS)),
        TIMEOUT,
        f -> {
          int exec = f.runOk(0, f.first("execve"));
          f.say(exec + " exec '/bin/sh");
        });
    assertEquals(1, rootsEntered.get());
    assertEquals(1, readied.get());
    assertEquals("execve", calls().get(calls().size() - 1));
  }

  @Test
  void aRefusedOpListIsNamedWithTheExecutorsReason() {
    InitSession.InitFailed e = failure(plan(Set.of()), f -> f.say("bad 3 no op called frobnicate"));
    assertEquals("the native init refused its op list: 3 no op called frobnicate", e.getMessage());
    assertNull(e.step());
    assertEquals(0, readied.get());
  }

  /** A failing op: the step-log entry and the failure read as strace, from the same entry. */
  @Test
  void anAbortMidRunIsNamedAsSuchWithItsOpNotAsARefusedList() {
    AtomicInteger at = new AtomicInteger(-1);
    InitSession.InitFailed e =
        failure(
            chrootPlan(),
            f -> {
              at.set(f.first("go"));
              f.runOk(0, at.get());
              // As the executor: the helper's word read (here "go", taken for another), then the
              // answer.
              assertEquals("go", f.in.readLine());
              f.say(at.get() + " abort expected go from the helper, got x");
            });
    assertEquals(
        "the native init stopped mid-run at op "
            + at.get()
            + " (go): expected go from the helper, got x",
        e.getMessage());
  }

  @Test
  void aFailingOpIsItsErrnoInTheStepLogAndTheFailure() {
    InitSession.InitFailed e =
        failure(
            chrootPlan(),
            f -> {
              int i = f.runOk(0, f.first("chroot"));
              f.say(i + " err 1 2000 'Operation%20not%20permitted");
            });
    StepEntry failed = e.step();
    assertEquals(failed, log.entries().get(log.entries().size() - 1));
    assertEquals("EPERM", failed.errno());
    assertEquals("Operation not permitted", failed.message());
    assertEquals(
        failed.call() + "(" + failed.args() + ") = -1 EPERM (Operation not permitted)",
        e.getMessage());
    assertEquals(0, readied.get(), "failed before ready: no helper step ran");
  }

  /** execve answers "exec" with the path found, then "err": the failure names that path. */
  @Test
  void aFailedExecveNamesThePathTheExecutorFound() {
    InitSession.InitFailed e =
        failure(
            chrootPlan(),
            f -> {
              int exec = f.runOk(0, f.first("execve"));
              f.say(exec + " exec '/bin/sh");
              f.say(exec + " err 13 3000 'Permission%20denied");
            });
    assertEquals("execve", e.step().call());
    assertTrue(e.step().args().startsWith("\"/bin/sh\""), e.step().args());
    assertTrue(
        e.getMessage().startsWith("execve(\"/bin/sh\"")
            && e.getMessage().endsWith(") = -1 EACCES (Permission denied)"),
        e.getMessage());
    assertEquals(1, readied.get());
  }

  @Test
  void theHelpersRefusalReachedFailsTheStartWithItsStep() {
    InitSession.InitFailed e =
        failure(
            refusedPlan(),
            f -> {
              int refuse = f.first("refuse");
              assertEquals(f.ops.size() - 1, refuse, "the refusal ends the list");
              f.runOk(0, refuse);
              f.say(refuse + " refused");
            });
    assertEquals("pivot-root", e.step().step());
    assertTrue(
        e.getMessage().startsWith("refused: pivot_root needs a mount namespace"), e.getMessage());
    assertEquals(e.step(), log.entries().get(log.entries().size() - 1));
  }

  @Test
  void anAnswerForAnEarlierOpIsAFailure() {
    InitSession.InitFailed e =
        failure(
            chrootPlan(),
            f -> {
              f.say("1 skip");
              f.say("0 ok 0 1000");
            });
    assertEquals("the native init answered out of order: 0 ok 0 1000", e.getMessage());
  }

  @Test
  void anAnswerPastTheLastOpIsAFailure() {
    InitSession.InitFailed e = failure(plan(Set.of()), f -> f.say(f.ops.size() + " ok 0 1000"));
    assertTrue(
        e.getMessage().startsWith("the native init answered out of order: "), e.getMessage());
  }

  @Test
  void aMalformedAnswerIsAFailureNamingIt() {
    InitSession.InitFailed e = failure(chrootPlan(), f -> f.say("0 tol soon"));
    assertEquals("the native init answered: 0 tol soon", e.getMessage());
  }

  @Test
  void anUnknownAnswerIsAFailureNamingIt() {
    InitSession.InitFailed e = failure(plan(Set.of()), f -> f.say("0 maybe"));
    assertEquals("the native init answered: 0 maybe", e.getMessage());
  }

  @Test
  void anErrnoMessageThatIsNoStringIsAFailureNamingTheAnswer() {
    InitSession.InitFailed e = failure(chrootPlan(), f -> f.say("0 err 1 2000 %zz"));
    assertEquals("the native init answered: 0 err 1 2000 %zz", e.getMessage());
  }

  /**
   * An answer that does not fit its op (an errno for a sync point, "exec" for a mount, "ready" or
   * "refused" where the list has neither) is a failure naming it — never an exception from the
   * helper's own code, nor the helper's steps run at the wrong point.
   */
  @Test
  void anAnswerThatDoesNotFitItsOpIsAFailureNamingIt() throws Exception {
    InitPlan plan = chrootPlan();
    List<InitOp> ops = OpRecorder.record(plan);
    int ready = indexOf(ops, "ready");
    int chroot = indexOf(ops, "chroot");
    List<String> answers =
        List.of(
            ready + " err 1 1000 'Operation%20not%20permitted",
            ready + " tol 1000",
            chroot + " exec '/bin/sh",
            chroot + " ready 4321",
            chroot + " refused");
    for (String answer : answers) {
      answeredOk.clear();
      CompletableFuture<InitServer.Connection> next = new CompletableFuture<>();
      String nextToken = channel.server.expect(next);
      InitSession.InitFailed e =
          assertThrows(
              InitSession.InitFailed.class,
              () -> converseOn(next, nextToken, plan, f -> f.say(answer)),
              answer);
      assertEquals("the native init answered: " + answer, e.getMessage());
    }
    assertEquals(0, readied.get(), "the helper's steps never ran for a misplaced ready");
  }

  private static int indexOf(List<InitOp> ops, String name) {
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no " + name + " op in " + ops);
  }

  @Test
  void anInitThatDiesBeforeConnectingIsNamedByItsDeath() {
    channel.init.destroyForcibly();
    InitSession.InitFailed e =
        assertThrows(InitSession.InitFailed.class, () -> session(plan(Set.of()), TIMEOUT));
    assertEquals("the init stage was killed by signal 9 before exec", e.getMessage());
  }

  /** Dead mid-list (a crash, a kill): its death is the failure, after what it had answered. */
  @Test
  void anInitThatDiesMidListIsNamedByItsDeath() {
    InitSession.InitFailed e =
        failure(
            chrootPlan(),
            f -> {
              f.runOk(0, 1);
              channel.init.destroyForcibly();
              channel.init.onExit().get(30, TimeUnit.SECONDS);
            });
    assertEquals("the init stage was killed by signal 9 before exec", e.getMessage());
    assertEquals(okCalls(chrootPlan()), calls(), "the op it answered is in the step log");
  }

  @Test
  void endOfStreamBeforeExecWhileTheInitLivesIsNamed() {
    InitSession.InitFailed e = failure(chrootPlan(), f -> f.runOk(0, 1));
    assertEquals("the init stage stopped talking before exec", e.getMessage());
  }

  @Test
  void anInitThatNeverConnectsFailsAtTheTimeoutSayingHowToRaiseIt() {
    InitTimeout oneSecond = InitTimeout.configured(Duration.ofSeconds(1), "this test");
    long t0 = System.nanoTime();
    InitSession.InitFailed e =
        assertThrows(InitSession.InitFailed.class, () -> session(plan(Set.of()), oneSecond));
    assertTrue(e.getMessage().contains("did not connect within"), e.getMessage());
    assertTheDeadline(e, t0, 1000);
  }

  /** Connected, answering, then silent: the deadline hangs up and the failure says so. */
  @Test
  void anInitThatFallsSilentIsCutOffAtTheDeadline() {
    InitTimeout twoSeconds = InitTimeout.configured(Duration.ofSeconds(2), "this test");
    long t0 = System.nanoTime();
    InitSession.InitFailed e =
        failure(
            chrootPlan(),
            twoSeconds,
            f -> {
              f.runOk(0, 1);
              assertNull(f.in.readLine(), "the helper hangs up at the deadline");
            });
    assertTrue(
        e.getMessage().startsWith("the init stage connected but did not get to execve within 2"),
        e.getMessage());
    assertTheDeadline(e, t0, 2000);
    assertEquals(okCalls(chrootPlan()), calls());
  }

  /** A helper step failing at ready (a cgroup join): that step is the failure, and no "go". */
  @Test
  void aFailingHelperStepAtReadyEndsTheConversationWithoutGo() throws Exception {
    StepException boom = helperStepFailure("cgroup-join", "ESRCH");
    onReady =
        () -> {
          throw boom;
        };
    StepException thrown =
        assertThrows(
            StepException.class,
            () ->
                converse(
                    plan(Set.of()),
                    TIMEOUT,
                    f -> {
                      f.runOk(0, f.first("ready") + 1);
                      assertNull(f.in.readLine(), "no go: the helper hangs up");
                    }));
    assertSame(boom, thrown);
  }

  /** The helper cannot move a live init into the hierarchy roots: that step fails the start. */
  @Test
  void aRootsStepRefusedWhileTheInitLivesFailsTheStartWithThatStep() throws Exception {
    StepException refused = helperStepFailure("cgroup-roots", "EACCES");
    enterRoots =
        () -> {
          throw refused;
        };
    StepException thrown =
        assertThrows(
            StepException.class,
            () ->
                converse(
                    plan(Set.of(Feature.CGROUP_NS)),
                    TIMEOUT,
                    f -> assertNull(f.in.readLine(), "no roots: the helper hangs up")));
    assertSame(refused, thrown);
    assertEquals(0, readied.get());
  }

  /** A helper step's failure, as its step log makes it. */
  private StepException helperStepFailure(String step, String errno) {
    return assertThrows(
        StepException.class,
        () ->
            log.run(
                step,
                "helper",
                "write",
                "cgroup.procs",
                null,
                () -> {
                  throw new SyscallException("write", "cgroup.procs", 1, errno, "refused");
                }));
  }

  /** A deadline's failure: it says how to raise the timeout, and came no earlier than it. */
  private static void assertTheDeadline(InitSession.InitFailed e, long t0, long timeoutMs) {
    assertTrue(e.getMessage().contains("--init-timeout"), e.getMessage());
    long waitedMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(waitedMs >= timeoutMs, "waited for the deadline: " + waitedMs + " ms");
  }
}
