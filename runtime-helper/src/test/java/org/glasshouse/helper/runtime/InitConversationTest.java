package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.plan.InitMessage;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper's side of the init conversation ({@link InitSession}), without root: the init is a
 * script in this JVM on the real init socket ({@link InitServer} in a temp dir), and the process
 * the session watches is a harmless {@code sleep}. Every message and every way the init can fail.
 */
class InitConversationTest {

  /**
   * The fake init speaks Jackson's JSON, the helper its own codec: each conversation also checks
   * that they read each other.
   */
  private static final ObjectMapper FAKE_JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** As long as the runtime's floor: these conversations fail by message, never by the clock. */
  private static final InitTimeout TIMEOUT =
      InitTimeout.configured(InitTimeout.FLOOR, "InitConversationTest");

  @TempDir Path tmp;

  private FakeInitChannel channel;
  private final StepLog log = new StepLog(e -> {});
  private final AtomicInteger rootsEntered = new AtomicInteger();
  private final AtomicInteger readied = new AtomicInteger();
  private InitSession.OnReady enterRoots = rootsEntered::incrementAndGet;

  @BeforeEach
  void start() throws Exception {
    channel = new FakeInitChannel(tmp);
  }

  @AfterEach
  void stop() throws Exception {
    channel.close();
  }

  /** The init's end of the channel as the JVM init speaks it: JSON messages, hello first. */
  private final class FakeInit extends FakeInitChannel.End {
    FakeInit() throws IOException {
      super(channel.server.socket());
      send(new InitMessage("hello", channel.token, null, null, null, null));
    }

    void send(InitMessage m) throws IOException {
      say(FAKE_JSON.writeValueAsString(m));
    }

    InitMessage expect(String type) throws IOException {
      InitMessage m = FAKE_JSON.readValue(in.readLine(), InitMessage.class);
      assertEquals(type, m.type());
      return m;
    }
  }

  @FunctionalInterface
  private interface Script {
    void play(FakeInit f) throws Exception;
  }

  /**
   * Plays {@code script} as the init while the session runs; the script's own failure is thrown.
   */
  private long converse(InitPlan plan, Script script) throws Exception {
    return converse(plan, TIMEOUT, script);
  }

  /** As {@link #converse(InitPlan, Script)}, the session with its deadline at {@code timeout}. */
  private long converse(InitPlan plan, InitTimeout timeout, Script script) throws Exception {
    return FakeInitChannel.whilePlaying(
        () -> {
          try (FakeInit f = new FakeInit()) {
            script.play(f);
          }
        },
        () -> session(plan, timeout));
  }

  /** A deadline's failure: it says how to raise the timeout, and came no earlier than it. */
  private static void assertTheDeadline(InitSession.InitFailed e, long t0, long timeoutMs) {
    assertTrue(e.getMessage().contains("--init-timeout"), e.getMessage());
    long waitedMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(waitedMs >= timeoutMs, "waited for the deadline: " + waitedMs + " ms");
  }

  /** The conversation's failure when {@code script} plays the init; fails the test if none. */
  private InitSession.InitFailed failure(InitPlan plan, Script script) {
    return failure(plan, TIMEOUT, script);
  }

  private InitSession.InitFailed failure(InitPlan plan, InitTimeout timeout, Script script) {
    return assertThrows(InitSession.InitFailed.class, () -> converse(plan, timeout, script));
  }

  private long session(InitPlan plan) throws Exception {
    return session(plan, TIMEOUT);
  }

  private long session(InitPlan plan, InitTimeout timeout) throws Exception {
    return InitSession.run(
        channel.connecting,
        channel.init,
        plan,
        log,
        timeout,
        () -> enterRoots.run(),
        () -> {
          readied.incrementAndGet();
        });
  }

  private static InitPlan plan(Set<Feature> features) {
    return InitPlan.builder()
        .containerId("c0ffee000001")
        .features(features)
        .rootfs("/rootfs")
        .capabilities(List.of())
        .capLastCap(40)
        .targetPid(0)
        .build();
  }

  private static StepEntry step(String name, boolean ok) {
    return StepEntry.builder()
        .seq(0)
        .step(name)
        .stage("init")
        .call("sethostname")
        .args("\"box\", 3")
        .ok(ok)
        .result(ok ? "0" : "-1")
        .errno(ok ? null : "EPERM")
        .message(ok ? null : "Operation not permitted")
        .durationNanos(1000)
        .build();
  }

  private static InitMessage message(String type, StepEntry e, Long pid, String text) {
    return new InitMessage(type, null, null, e, pid, text);
  }

  @Test
  void planStepsReadyGoExecThenEndOfStreamIsASuccessfulExecve() throws Exception {
    long spawned =
        converse(
            plan(Set.of()),
            f -> {
              assertEquals("c0ffee000001", f.expect("plan").plan().containerId());
              f.send(message("step", step("hostname", true), null, null));
              f.send(message("ready", null, 1234L, null));
              f.expect("go");
              f.send(message("exec", step("exec", true), null, null));
              // execve: the close-on-exec channel closes.
            });
    assertEquals(0, spawned);
    assertEquals(0, rootsEntered.get(), "no cgroup namespace: no roots");
    assertEquals(1, readied.get());
    List<StepEntry> entries = log.entries();
    assertEquals(List.of("hostname", "exec"), entries.stream().map(StepEntry::step).toList());
    assertTrue(entries.get(1).ok());
    assertEquals("0", entries.get(1).result());
  }

  @Test
  void aCgroupNamespaceWaitsForTheRootsAfterThePlan() throws Exception {
    converse(
        plan(Set.of(Feature.CGROUP_NS)),
        f -> {
          f.expect("plan");
          f.expect("roots");
          f.send(message("ready", null, 1234L, null));
          f.expect("go");
          f.send(message("exec", step("exec", true), null, null));
        });
    assertEquals(1, rootsEntered.get());
  }

  @Test
  void anInitThatRefusesAStepAndHangsUpBeforeTheRootsIsNamedByItsStep() throws Exception {
    // Level 12 with an image whose /dev is a symlink: the init refuses its mount step and exits
    // while the helper still moves it into the root cgroups. The "roots" write then fails
    // (EPIPE); the refusal, already in the channel, is still the failure to report.
    java.util.concurrent.CountDownLatch hungUp = new java.util.concurrent.CountDownLatch(1);
    enterRoots =
        () -> {
          try {
            hungUp.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    InitSession.InitFailed e =
        failure(
            plan(Set.of(Feature.CGROUP_NS)),
            f -> {
              f.expect("plan");
              f.send(message("step", step("hostname", false), null, null));
              f.send(message("failed", null, null, "sethostname: EPERM"));
              f.close();
              hungUp.countDown();
            });
    assertEquals("sethostname: EPERM", e.getMessage());
    assertEquals("hostname", e.step().step());
  }

  @Test
  void aSpawnedCommandReturnsItsPid() throws Exception {
    long pid =
        converse(
            plan(Set.of()),
            f -> {
              f.expect("plan");
              f.send(message("spawned", null, 4321L, null));
            });
    assertEquals(4321, pid);
  }

  @Test
  void aSpawnWithoutPidIsAFailure() {
    InitSession.InitFailed e =
        failure(
            plan(Set.of()),
            f -> {
              f.expect("plan");
              f.send(message("spawned", null, null, null));
            });
    assertEquals("the init reported a spawn without a pid", e.getMessage());
  }

  @Test
  void aFailedStepAndTheInitsMessageMakeTheFailure() {
    InitSession.InitFailed e =
        failure(
            plan(Set.of()),
            f -> {
              f.expect("plan");
              f.send(message("step", step("hostname", false), null, null));
              f.send(message("failed", null, null, "sethostname: EPERM"));
            });
    assertEquals("sethostname: EPERM", e.getMessage());
    assertEquals("hostname", e.step().step());
    assertFalse(e.step().ok());
  }

  @Test
  void anUnknownMessageIsAFailure() {
    InitSession.InitFailed e =
        failure(
            plan(Set.of()),
            f -> {
              f.expect("plan");
              f.send(InitMessage.of("bogus"));
            });
    assertEquals("unexpected message from the init: bogus", e.getMessage());
    assertNull(e.step());
  }

  @Test
  void endOfStreamBeforeExecWhileTheInitLivesIsNamed() {
    InitSession.InitFailed e = failure(plan(Set.of()), f -> f.expect("plan"));
    assertEquals("the init stage stopped talking before exec", e.getMessage());
  }

  /** The channel is framed as the protocol is: a line over 1 MiB ends the conversation. */
  @Test
  void anEndlessLineIsRefusedNotBuffered() {
    InitSession.InitFailed e =
        failure(
            plan(Set.of()),
            f -> {
              f.expect("plan");
              byte[] line = new byte[JsonLines.MAX_LINE_BYTES + 1];
              java.util.Arrays.fill(line, (byte) 'x');
              try {
                f.out.write(line);
                f.out.flush();
              } catch (IOException closed) {
                // The session closed the channel as soon as the limit was passed.
              }
            });
    assertTrue(e.getMessage().contains("a line longer than 1048576 bytes"), e.getMessage());
  }

  @Test
  void anInitThatDiesBeforeConnectingIsNamedByItsDeath() throws Exception {
    channel.init.destroyForcibly();
    InitSession.InitFailed e =
        assertThrows(InitSession.InitFailed.class, () -> session(plan(Set.of())));
    assertEquals("the init stage was killed by signal 9 before exec", e.getMessage());
  }

  @Test
  void aFailingHelperStepAtReadyEndsTheConversation() throws Exception {
    StepException boom =
        assertThrows(
            StepException.class,
            () ->
                log.run(
                    "cgroup-join",
                    "helper",
                    "write",
                    "cgroup.procs",
                    null,
                    () -> {
                      throw new SyscallException(
                          "write", "cgroup.procs", 3, "ESRCH", "No such process");
                    }));
    StepException thrown =
        assertThrows(
            StepException.class,
            () ->
                FakeInitChannel.whilePlaying(
                    () -> {
                      try (FakeInit f = new FakeInit()) {
                        f.expect("plan");
                        f.send(message("ready", null, 1234L, null));
                      }
                    },
                    () ->
                        InitSession.run(
                            channel.connecting,
                            channel.init,
                            plan(Set.of()),
                            log,
                            TIMEOUT,
                            () -> {},
                            () -> {
                              throw boom;
                            })));
    assertSame(boom, thrown);
  }

  @Test
  void anInitThatNeverConnectsFailsAtTheConfiguredTimeoutSayingHowToRaiseIt() {
    InitTimeout oneSecond = InitTimeout.configured(java.time.Duration.ofSeconds(1), "this test");
    long t0 = System.nanoTime();
    InitSession.InitFailed failed =
        assertThrows(
            InitSession.InitFailed.class,
            () ->
                InitSession.run(
                    channel.connecting,
                    channel.init,
                    plan(Set.of()),
                    log,
                    oneSecond,
                    () -> {},
                    () -> {}));
    assertTrue(failed.getMessage().contains("did not connect within"), failed.getMessage());
    assertTheDeadline(failed, t0, 1000);
    assertEquals(0, rootsEntered.get());
  }

  /**
   * Connected, then silent (a hung channel.init, or one starved of CPU): the deadline closes the
   * channel and the failure says it was the deadline, with how to raise it, not that the init
   * "stopped talking".
   */
  @Test
  void anInitThatConnectsAndFallsSilentIsCutOffAtTheDeadline() {
    InitTimeout twoSeconds = InitTimeout.configured(java.time.Duration.ofSeconds(2), "this test");
    long t0 = System.nanoTime();
    InitSession.InitFailed e =
        failure(
            plan(Set.of()),
            twoSeconds,
            f -> {
              f.expect("plan");
              f.send(message("step", step("hostname", true), null, null));
              assertNull(f.in.readLine(), "the helper hangs up at the deadline");
            });
    assertTrue(
        e.getMessage().startsWith("the init stage connected but did not get to execve within 2"),
        e.getMessage());
    assertTheDeadline(e, t0, 2000);
    assertEquals(List.of("hostname"), log.entries().stream().map(StepEntry::step).toList());
  }

  /**
   * The helper cannot move a live init into the hierarchy roots (its cgroup write refused): that
   * step, not a later symptom, fails the start, and the conversation ends there.
   */
  @Test
  void aRootsStepRefusedWhileTheInitLivesFailsTheStartWithThatStep() {
    StepException refused =
        assertThrows(
            StepException.class,
            () ->
                log.run(
                    "cgroup-roots",
                    "helper",
                    "write",
                    "\"/sys/fs/cgroup/memory/cgroup.procs\", \"1234\"",
                    null,
                    () -> {
                      throw new SyscallException(
                          "write", "cgroup.procs", 13, "EACCES", "Permission denied");
                    }));
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
                    f -> {
                      f.expect("plan");
                      assertNull(f.in.readLine(), "no roots, no go: the helper hangs up");
                    }));
    assertSame(refused, thrown);
    assertEquals(0, readied.get());
  }
}
