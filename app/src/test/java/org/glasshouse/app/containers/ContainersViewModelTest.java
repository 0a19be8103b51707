package org.glasshouse.app.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.glasshouse.app.TestSpecs;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.ContainerSummary;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.core.LabService;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;

class ContainersViewModelTest {
  private final FakeLabService lab = new FakeLabService();
  private final ContainersViewModel vm = new ContainersViewModel(lab, Runnable::run);

  private static RunSpec spec(String... argv) {
    return TestSpecs.level5Tty(argv);
  }

  @Test
  void eventsBeforeTheReplyLandOnTheClaimedContainer() {
    lab.onRun =
        s -> {
          lab.emit(new LabEvent.Step("abc", FakeLabService.ok(1, "uts-ns", "sethostname", "abc")));
          lab.emit(new LabEvent.Output("abc", "pty", "abc\r\n".getBytes(StandardCharsets.UTF_8)));
          return CompletableFuture.completedFuture(new LabService.Started("abc", 4242));
        };
    ContainerItem item = vm.run(spec("hostname"), false).join();
    assertEquals("abc", item.id());
    assertSame(item, vm.selected());
    assertEquals(1, vm.containers().size());
    assertEquals("sethostname", item.steps().get(0).call());
    assertEquals("abc\r\n", item.outputText());
    assertEquals(ContainerState.RUNNING, item.state());
    assertEquals("running · pid 4242", item.summaryProperty().get());
    assertEquals("hostname", item.commandLine());
  }

  @Test
  void whileItStartsAContainerIsTakenForTheRunAwaitedItsSpecClaimedOnlyByTheReply() {
    CompletableFuture<LabService.Started> reply = new CompletableFuture<>();
    lab.onRun = s -> reply;
    RunSpec check = spec("true");
    vm.run(spec("sh"), false);
    vm.run(check, true);
    lab.emit(new LabEvent.Step("first", FakeLabService.ok(1, "container", "mkdir", "x")));
    lab.emit(new LabEvent.Step("second", FakeLabService.ok(1, "container", "mkdir", "y")));
    lab.emit(new LabEvent.Step("first", FakeLabService.ok(2, "image", "image", "busybox")));
    ContainerItem first = vm.containers().get(1);
    ContainerItem second = vm.containers().get(0);
    assertEquals("first", first.id());
    assertEquals(null, first.spec(), "not claimed: the helper has not named it in a reply yet");
    assertEquals(List.of("sh"), first.plannedSpec().argv());
    assertFalse(first.isCheck());
    assertSame(check, second.plannedSpec());
    assertTrue(second.isCheck(), "a check's container is one from its first step");
    lab.emit(new LabEvent.Step("third", FakeLabService.ok(1, "container", "mkdir", "z")));
    assertEquals(null, vm.containers().get(0).plannedSpec(), "no run awaited: nothing guessed");
  }

  @Test
  void exitAndOomAreReported() {
    ContainerItem item = vm.run(spec("sh"), false).join();
    assertTrue(vm.selectedLiveProperty().get());
    lab.emit(new LabEvent.Exited("c1", 0, null, false, 12));
    assertEquals("exited 0", item.summaryProperty().get());
    assertFalse(vm.selectedLiveProperty().get(), "Stop is off once the process ended");
    assertTrue(item.exitedFuture().isDone());
    lab.onRun = s -> CompletableFuture.completedFuture(new LabService.Started("c2", 5));
    ContainerItem hog = vm.run(spec("hog"), false).join();
    lab.emit(new LabEvent.Exited("c2", null, "KILL", true, 12));
    assertEquals(ContainerState.OOM_KILLED, hog.state());
    assertEquals("OOM-killed", hog.summaryProperty().get());
  }

  @Test
  void aStartThatFailsWithoutAStepLeavesNoStartingContainerBehind() {
    // The init stage's timeout on a loaded machine: its steps arrived, the run failed with no
    // failing step, and the helper undid the start. The list once kept it "starting" forever.
    lab.onRun =
        s -> {
          lab.emit(
              new LabEvent.Step(
                  "slow", FakeLabService.ok(1, "mount-ns", "unshare", "CLONE_NEWNS")));
          return CompletableFuture.failedFuture(
              new LabException(
                  "step_failed", "the init stage did not connect within 42 s", null, "slow"));
        };
    ContainerItem item = vm.run(spec("sh"), false).join();
    assertEquals("slow", item.id());
    assertEquals(ContainerState.FAILED, item.state());
    assertTrue(vm.containers().isEmpty(), vm.containers().toString());
    assertSame(item, vm.failedStartProperty().get(), "its steps stay on show");
    assertTrue(vm.errorProperty().get().contains("did not connect"), vm.errorProperty().get());
  }

  @Test
  void aFailedStepMarksTheContainerAndExplains() {
    StepEntry bad =
        StepEntry.builder()
            .seq(7)
            .step("pivot-root")
            .stage("init")
            .call("pivot_root")
            .args("\".\", \".oldroot\"")
            .ok(false)
            .errno("EBUSY")
            .message("Device or resource busy")
            .explanation("the new root is not a mount point: switch bind-root or overlay on")
            .durationNanos(9000)
            .build();
    lab.onRun =
        s -> {
          lab.emit(
              new LabEvent.Step(
                  "dead", FakeLabService.ok(6, "mount-ns", "unshare", "CLONE_NEWNS")));
          lab.emit(new LabEvent.Step("dead", bad));
          return CompletableFuture.failedFuture(
              new LabException("step_failed", "pivot_root failed", bad, "dead"));
        };
    ContainerItem item = vm.run(spec("sh"), false).join();
    assertEquals("dead", item.id());
    assertEquals(ContainerState.FAILED, item.state());
    assertEquals(2, item.steps().size());
    assertTrue(vm.errorProperty().get().contains("EBUSY"), vm.errorProperty().get());
    assertTrue(vm.errorProperty().get().contains("not a mount point"), vm.errorProperty().get());
    // The helper undid the start: it has no such container (ps -a, rm), so neither has the list.
    // The failed start stays on show (its steps, for the step log) until something else is.
    assertTrue(vm.containers().isEmpty(), vm.containers().toString());
    assertSame(item, vm.failedStartProperty().get());
    lab.onRun = s -> CompletableFuture.completedFuture(new LabService.Started("ok1", 5));
    ContainerItem next = vm.run(spec("sh"), false).join();
    assertEquals(List.of(next), vm.containers());
    assertEquals("", vm.errorProperty().get());
    assertEquals(null, vm.failedStartProperty().get());
  }

  private static StepEntry ebusy(int seq) {
    return StepEntry.builder()
        .seq(seq)
        .step("pivot-root")
        .stage("init")
        .call("pivot_root")
        .args("\".\", \".oldroot\"")
        .ok(false)
        .errno("EBUSY")
        .message("Device or resource busy")
        .durationNanos(9000)
        .build();
  }

  @Test
  void aFailedRunClaimsTheContainerItsReplyNamesNotAnotherClientsThatFailedAlike() {
    // Two clients start the same lesson at once (the window and the CLI, or two windows): both
    // starts fail at the same step. The reply names the window's own; nothing is guessed.
    StepEntry bad = ebusy(7);
    lab.onRun =
        s -> {
          lab.emit(new LabEvent.Step("mine", FakeLabService.ok(6, "mount-ns", "unshare", "NS")));
          lab.emit(new LabEvent.Step("theirs", FakeLabService.ok(6, "mount-ns", "unshare", "NS")));
          lab.emit(new LabEvent.Step("mine", bad));
          lab.emit(new LabEvent.Step("theirs", bad));
          return CompletableFuture.failedFuture(
              new LabException("step_failed", "pivot_root failed", bad, "mine"));
        };
    ContainerItem item = vm.run(spec("sh"), false).join();
    assertEquals("mine", item.id());
    assertEquals(ContainerState.FAILED, item.state());
    assertSame(item, vm.failedStartProperty().get());
    assertEquals(List.of("theirs"), vm.containers().stream().map(ContainerItem::id).toList());
    assertEquals(ContainerState.STARTING, vm.containers().get(0).state(), "not this app's");
    // The helper tells every follower that the other start was undone too.
    lab.emit(new LabEvent.Removed("theirs"));
    assertTrue(vm.containers().isEmpty(), vm.containers().toString());
    assertSame(item, vm.failedStartProperty().get(), "another client's failure is not ours");
  }

  @Test
  void aFailedRunWhoseRemovalCameBeforeItsReplyKeepsItsSteps() {
    // The helper says "removed" to every follower before it answers the starter: the reply still
    // finds the run's steps by the id it names.
    StepEntry bad = ebusy(7);
    lab.onRun =
        s -> {
          lab.emit(new LabEvent.Step("mine", FakeLabService.ok(6, "mount-ns", "unshare", "NS")));
          lab.emit(new LabEvent.Step("mine", bad));
          lab.emit(new LabEvent.Removed("mine"));
          return CompletableFuture.failedFuture(
              new LabException("step_failed", "pivot_root failed", bad, "mine"));
        };
    ContainerItem item = vm.run(spec("sh"), false).join();
    assertEquals("mine", item.id());
    assertEquals(2, item.steps().size(), item.steps().toString());
    assertEquals(ContainerState.FAILED, item.state());
    assertTrue(vm.containers().isEmpty(), vm.containers().toString());
    assertSame(item, vm.failedStartProperty().get());
    assertTrue(vm.errorProperty().get().contains("EBUSY"), vm.errorProperty().get());
  }

  @Test
  void aStartThatFailsWithoutAStepClaimsTheContainerItsReplyNames() {
    // The init stage's timeout: no failing step. Another client's start is as far along.
    lab.onRun =
        s -> {
          lab.emit(new LabEvent.Step("mine", FakeLabService.ok(1, "mount-ns", "unshare", "NS")));
          lab.emit(new LabEvent.Step("theirs", FakeLabService.ok(1, "mount-ns", "unshare", "NS")));
          lab.emit(new LabEvent.Step("theirs", FakeLabService.ok(2, "uts-ns", "unshare", "UTS")));
          return CompletableFuture.failedFuture(
              new LabException(
                  "start_failed", "the init stage did not connect within 42 s", null, "mine"));
        };
    ContainerItem item = vm.run(spec("sh"), false).join();
    assertEquals("mine", item.id());
    assertEquals(ContainerState.FAILED, item.state());
    assertEquals(List.of("theirs"), vm.containers().stream().map(ContainerItem::id).toList());
  }

  @Test
  void anErrorAboutAContainerGoesWithTheContainer() {
    ContainerItem item = vm.run(spec("sh"), false).join();
    vm.report(
        CompletableFuture.failedFuture(new LabException("busy", "try later")), "stop c1", item);
    assertTrue(vm.errorProperty().get().contains("try later"), vm.errorProperty().get());
    lab.emit(new LabEvent.Removed(item.id()));
    assertTrue(vm.containers().isEmpty());
    assertEquals("", vm.errorProperty().get(), "no error may outlive its container");
  }

  @Test
  void aContainerStartedFromTheCliWhileTheAppRunsGetsItsCommand() {
    ContainerItem mine = vm.run(spec("sh"), false).join();
    lab.containers =
        List.of(
            row(mine.id(), "running", 100L, null),
            new ContainerSummary(
                "c11",
                "busybox",
                List.of("top", "-b"),
                6,
                "running",
                77L,
                null,
                null,
                false,
                null));
    // `glasshouse run -d …` in another terminal: the app hears of it by its events alone.
    lab.emit(new LabEvent.Step("c11", FakeLabService.ok(1, "pid-ns", "unshare", "CLONE_NEWPID")));
    lab.emit(new LabEvent.Started("c11", 77));
    ContainerItem cli =
        vm.containers().stream().filter(i -> i.id().equals("c11")).findFirst().orElseThrow();
    assertEquals("top -b", cli.commandLine());
    assertTrue(cli.adopted(), "its terminal is opened on demand");
    assertFalse(mine.adopted(), "the app's own container is not adopted by that ps");
    assertSame(mine, vm.selected(), "a CLI start does not take the selection");
  }

  @Test
  void aRefusedRunWithoutStepsIsAnErrorNotAContainer() {
    lab.onRun =
        s ->
            CompletableFuture.failedFuture(
                new LabException("bad_request", "image 'nope' is not known"));
    CompletableFuture<ContainerItem> f = vm.run(spec("sh"), false);
    assertTrue(f.isCompletedExceptionally());
    assertEquals("image 'nope' is not known", vm.errorProperty().get());
    assertTrue(vm.containers().isEmpty());
  }

  @Test
  void stopKillsAndRemoveDropsTheSelectedContainer() {
    vm.run(spec("sh"), false).join();
    vm.stopSelected();
    assertTrue(lab.requests.contains("signal c1 KILL"), lab.requests.toString());
    vm.removeSelected();
    assertTrue(lab.requests.contains("remove c1"));
    assertTrue(vm.containers().isEmpty());
  }

  @Test
  void losingTheHelperMarksRunningContainersLost() {
    ContainerItem item = vm.run(spec("sh"), false).join();
    lab.connection(ConnectionStatus.State.LOST, "gone");
    assertEquals(ContainerState.LOST, item.state());
    assertEquals(ConnectionStatus.State.LOST, vm.connectionProperty().get().state());
  }

  /**
   * A run whose connection closed before the helper answered was shown as "start failed" and
   * dropped from the list, though the helper may well have started it (its first step came). It
   * stays, selected, saying what is known; the reconnect's ps shows the truth: running.
   */
  @Test
  void aRunUnansweredWhenTheConnectionClosesMayBeRunningAndTheReconnectSays() {
    CompletableFuture<LabService.Started> reply = new CompletableFuture<>();
    lab.onRun = s -> reply;
    CompletableFuture<ContainerItem> run = vm.run(spec("sh"), false);
    lab.emit(new LabEvent.Step("c7", FakeLabService.ok(1, "container", "mkdir", "x")));
    lab.connection(ConnectionStatus.State.LOST, "the helper closed the connection");
    reply.completeExceptionally(
        new LabException(
            LabException.UNANSWERED, "the connection closed before the helper answered"));
    ContainerItem item = run.join();
    assertEquals("c7", item.id());
    assertEquals(ContainerState.LOST, item.state(), item.summaryProperty().get());
    assertTrue(
        item.summaryProperty().get().contains("the connection closed before the helper answered"),
        item.summaryProperty().get());
    assertTrue(vm.containers().contains(item), "still listed: it may be running");
    assertSame(item, vm.selected());
    assertEquals(null, vm.failedStartProperty().get(), "not a failed start");
    assertTrue(vm.errorProperty().get().contains("may be running"), vm.errorProperty().get());
    assertTrue(
        vm.errorProperty().get().contains("will show up when the app reconnects"),
        vm.errorProperty().get());

    lab.containers = List.of(row("c7", "running", 77L, null));
    lab.connection(ConnectionStatus.State.CONNECTED, "connected");
    assertEquals(ContainerState.RUNNING, item.state());
    assertEquals("running · pid 77", item.summaryProperty().get());
    assertFalse(item.adopted(), "the run's own container, with its spec");
    assertEquals(List.of("sh"), item.spec().argv());
    assertSame(item, vm.selected());
    assertEquals("", vm.errorProperty().get());
  }

  /** The same, the reply's failure first and the outage after it; the helper never started it. */
  @Test
  void aRunUnansweredThatTheHelperDoesNotListAfterTheReconnectGoesAsAFailedStart() {
    CompletableFuture<LabService.Started> reply = new CompletableFuture<>();
    lab.onRun = s -> reply;
    CompletableFuture<ContainerItem> run = vm.run(spec("sh"), false);
    lab.emit(new LabEvent.Step("c8", FakeLabService.ok(1, "container", "mkdir", "x")));
    reply.completeExceptionally(
        new LabException(
            LabException.UNANSWERED, "the connection closed before the helper answered"));
    lab.connection(ConnectionStatus.State.LOST, "the helper closed the connection");
    ContainerItem item = run.join();
    assertEquals(ContainerState.LOST, item.state());
    assertTrue(item.summaryProperty().get().contains("may be running"));
    assertTrue(vm.containers().contains(item));

    lab.containers = List.of();
    lab.connection(ConnectionStatus.State.CONNECTED, "connected");
    assertEquals(ContainerState.FAILED, item.state());
    assertFalse(vm.containers().contains(item), "the helper has none: the list neither");
    assertSame(item, vm.failedStartProperty().get(), "on show as the failed start it was");
    assertTrue(
        vm.errorProperty().get().contains("its start did not complete"), vm.errorProperty().get());
  }

  /** No step came before the connection closed: no container to show, the words still said. */
  @Test
  void aRunUnansweredWithoutAStepSaysSoOnTheErrorLine() {
    lab.onRun =
        s ->
            CompletableFuture.failedFuture(
                new LabException(
                    LabException.UNANSWERED, "the connection closed before the helper answered"));
    CompletableFuture<ContainerItem> run = vm.run(spec("sh"), false);
    assertTrue(run.isCompletedExceptionally());
    assertTrue(vm.containers().isEmpty());
    assertTrue(vm.errorProperty().get().contains("may be running"), vm.errorProperty().get());
  }

  /**
   * The app started with --run: the connect's ps answered after the run's container existed and
   * before the run's reply, and the app's own container was adopted — its terminal said "started
   * before the app connected: earlier output is not replayed" (seen at 1366×768, level 01). It is
   * the run's, awaiting its reply: not adopted, no note.
   */
  @Test
  void theConnectsPsBeforeTheRunsReplyDoesNotAdoptTheRunsOwnContainer() {
    FakeLabService helper = new FakeLabService();
    helper.connection(ConnectionStatus.State.CONNECTING, "connecting");
    ContainersViewModel app = new ContainersViewModel(helper, Runnable::run);
    CompletableFuture<LabService.Started> reply = new CompletableFuture<>();
    helper.onRun = s -> reply;
    CompletableFuture<ContainerItem> run = app.run(spec("sh"), false);
    helper.emit(new LabEvent.Step("c9", FakeLabService.ok(1, "container", "mkdir", "x")));
    helper.containers = List.of(row("c9", "running", 99L, null));
    helper.connection(ConnectionStatus.State.CONNECTED, "connected");
    ContainerItem item = app.find("c9").orElseThrow();
    assertFalse(item.adopted(), "the run's own, not adopted");
    assertFalse(item.outputText().contains("earlier output is not replayed"), item.outputText());
    reply.complete(new LabService.Started("c9", 99));
    assertSame(item, run.join());
    assertEquals(List.of("sh"), item.spec().argv());
    assertEquals(ContainerState.RUNNING, item.state());
  }

  /**
   * Issue 14, level 09's OOM experiment: the terminal of a container this window had just started
   * said "started before the app connected". A ps was in flight (asked for by another client's
   * start) when the student ran; another client's container showed its first step while the run
   * awaited its reply and was taken for the run's (the guess is first come, first taken), and the
   * ps, answered before the run's reply, listed the run's own container: no guess pointed at it, so
   * it was adopted. A row the app cannot place while its runs await their reply is decided after
   * the replies, by another ps — never adopted on a guess.
   */
  @Test
  void aPsAnsweredWhileARunAwaitsItsReplyNeverAdoptsTheRunsOwnContainer() {
    ContainerItem mine = vm.run(spec("sh"), false).join();
    CompletableFuture<List<ContainerSummary>> heldPs = new CompletableFuture<>();
    lab.onPs = () -> heldPs;
    // Another client's container starts: the app asks ps who it is.
    lab.emit(new LabEvent.Step("cli1", FakeLabService.ok(1, "pid-ns", "unshare", "CLONE_NEWPID")));
    lab.emit(new LabEvent.Started("cli1", 70));
    assertTrue(lab.requests.contains("ps"));
    // The student runs the experiment before ps answers.
    CompletableFuture<LabService.Started> reply = new CompletableFuture<>();
    lab.onRun = s -> reply;
    CompletableFuture<ContainerItem> run = vm.run(spec("sh", "-c", "hog"), false);
    // A second container of the other client shows its first step first.
    lab.emit(new LabEvent.Step("cli2", FakeLabService.ok(1, "pid-ns", "unshare", "CLONE_NEWPID")));
    // ps answers: both clients' containers and the run's own, created before its first step.
    List<ContainerSummary> rows =
        List.of(
            row(mine.id(), "running", 100L, null),
            cliRow("cli1", 70L),
            cliRow("cli2", 71L),
            new ContainerSummary(
                "oom9",
                "busybox",
                List.of("sh", "-c", "hog"),
                9,
                "running",
                90L,
                null,
                null,
                false,
                null));
    lab.containers = rows;
    lab.onPs = null;
    heldPs.complete(rows);
    ContainerItem oom = vm.find("oom9").orElseThrow();
    assertFalse(oom.adopted(), "the run's own container, awaiting its reply");
    assertFalse(oom.outputText().contains("earlier output is not replayed"), oom.outputText());
    lab.emit(new LabEvent.Step("oom9", FakeLabService.ok(1, "container", "mkdir", "x")));
    reply.complete(new LabService.Started("oom9", 90));
    assertSame(oom, run.join());
    assertFalse(oom.adopted());
    assertFalse(oom.outputText().contains("earlier output is not replayed"), oom.outputText());
    assertEquals(List.of("sh", "-c", "hog"), oom.spec().argv());
    // After the reply, ps settles the other client's containers: adopted, with their commands.
    ContainerItem cli2 = vm.find("cli2").orElseThrow();
    assertTrue(cli2.adopted(), "another client's container, once the runs are answered");
    assertEquals("top -b", cli2.commandLine());
    assertTrue(vm.find("cli1").orElseThrow().adopted());
    assertSame(oom, vm.selected());
  }

  private static ContainerSummary cliRow(String id, long pid) {
    return new ContainerSummary(
        id, "busybox", List.of("top", "-b"), 6, "running", pid, null, null, false, null);
  }

  /**
   * A Try it whose command ends at once (00-exit): a ps in flight (the connect's, or the one an
   * earlier run's early start event asked for) listed the run's container, exited, before the run's
   * reply and before any step of it had come. It is the pending run's (same command), not a
   * container "started before the app connected".
   */
  @Test
  void aPsRowOfThePendingRunsCommandIsTheRunsEvenBeforeItsFirstStep() {
    FakeLabService helper = new FakeLabService();
    helper.connection(ConnectionStatus.State.CONNECTING, "connecting");
    ContainersViewModel app = new ContainersViewModel(helper, Runnable::run);
    CompletableFuture<LabService.Started> reply = new CompletableFuture<>();
    helper.onRun = s -> reply;
    CompletableFuture<ContainerItem> run = app.run(spec("sh", "-c", "exit 3"), false);
    helper.containers =
        List.of(
            new ContainerSummary(
                "c7",
                "busybox",
                List.of("sh", "-c", "exit 3"),
                0,
                "exited",
                77L,
                3,
                null,
                false,
                null));
    helper.connection(ConnectionStatus.State.CONNECTED, "connected");
    ContainerItem item = app.find("c7").orElseThrow();
    assertFalse(item.adopted(), "the run's own, not adopted");
    assertFalse(item.outputText().contains("earlier output is not replayed"), item.outputText());
    reply.complete(new LabService.Started("c7", 77));
    assertSame(item, run.join());
    assertEquals(ContainerState.EXITED, item.state());
  }

  /**
   * 00-exit's {@code sh -c "exit 3"} writes nothing: its terminal stayed black while the guide
   * asked for the exit code (the lead's class walk). The end is a line in the terminal, after the
   * output, on a line of its own.
   */
  @Test
  void theEndOfAContainerIsALineInItsTerminal() {
    ContainerItem quiet = vm.run(spec("sh", "-c", "exit 3"), false).join();
    lab.emit(new LabEvent.Exited("c1", 3, null, false, 12));
    assertEquals("[glasshouse: exited 3]\r\n", quiet.outputText());
    lab.onRun = s -> CompletableFuture.completedFuture(new LabService.Started("c2", 200));
    ContainerItem said = vm.run(spec("echo", "hi"), false).join();
    lab.emit(new LabEvent.Output("c2", "pty", "hi\r\n".getBytes(StandardCharsets.UTF_8)));
    lab.emit(new LabEvent.Exited("c2", 0, null, false, 12));
    assertEquals("hi\r\n[glasshouse: exited 0]\r\n", said.outputText());
    lab.onRun = s -> CompletableFuture.completedFuture(new LabService.Started("c3", 300));
    ContainerItem killed = vm.run(spec("sh"), false).join();
    lab.emit(new LabEvent.Output("c3", "pty", "/ # ".getBytes(StandardCharsets.UTF_8)));
    lab.emit(new LabEvent.Exited("c3", null, "KILL", true, 12));
    assertEquals("/ # \r\n[glasshouse: OOM-killed]\r\n", killed.outputText());
  }

  @Test
  void aLateTerminalGetsTheHistoryThenTheStream() {
    ContainerItem item = vm.run(spec("sh"), false).join();
    lab.emit(new LabEvent.Output("c1", "pty", "one ".getBytes(StandardCharsets.UTF_8)));
    List<String> seen = new ArrayList<>();
    item.attach(b -> seen.add(new String(b, StandardCharsets.UTF_8)));
    lab.emit(new LabEvent.Output("c1", "pty", "two".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("one ", "two"), seen);
  }

  private static ContainerSummary row(String id, String state, Long pid, Integer code) {
    return new ContainerSummary(
        id, "busybox", List.of("/bin/sh"), 6, state, pid, code, null, false, null);
  }

  @Test
  void anAdoptedContainersStepsAreAskedOnceRunningAtConnectAndExitedWhenSelected() {
    List<StepEntry> log =
        List.of(
            FakeLabService.ok(1, "container", "mkdir", "\"/c\""),
            FakeLabService.ok(2, "pid-ns", "unshare", "CLONE_NEWPID"));
    lab.stepLogs.put("up", log);
    lab.stepLogs.put("done", log);
    lab.containers = List.of(row("up", "running", 77L, null), row("done", "exited", null, 0));
    lab.connection(ConnectionStatus.State.LOST, "gone");
    lab.connection(ConnectionStatus.State.CONNECTED, "connected");
    ContainerItem up = vm.containers().stream().filter(i -> i.id().equals("up")).findFirst().get();
    ContainerItem done =
        vm.containers().stream().filter(i -> i.id().equals("done")).findFirst().get();
    assertEquals(log, up.steps(), "a running one's steps, asked at connect");
    assertTrue(done.steps().isEmpty(), "an exited one's are not asked for yet");
    assertFalse(lab.requests.contains("steps done"), lab.requests.toString());
    vm.select("done");
    assertEquals(log, done.steps(), "asked once it is selected");
    vm.select("up");
    vm.select("done");
    lab.connection(ConnectionStatus.State.LOST, "gone");
    lab.connection(ConnectionStatus.State.CONNECTED, "connected");
    assertEquals(
        2,
        lab.requests.stream().filter(r -> r.startsWith("steps ")).count(),
        "each asked once: " + lab.requests);
  }

  @Test
  void aReconnectResyncsFromPsAdoptingUnknownContainersAndDroppingTheGoneOnes() {
    ContainerItem known = vm.run(spec("sh"), false).join();
    lab.onRun = s -> CompletableFuture.completedFuture(new LabService.Started("c2", 200));
    ContainerItem blip = vm.run(spec("sh"), false).join();
    lab.connection(ConnectionStatus.State.LOST, "the helper closed the connection");
    assertEquals(ContainerState.LOST, known.state());
    assertEquals(ContainerState.LOST, blip.state());

    // The helper came back still running c2 (only the connection dropped), plus two containers
    // this app never ran; c1 is gone.
    lab.containers =
        List.of(
            row("c2", "running", 200L, null),
            row("d1", "running", 300L, null),
            row("d2", "exited", 301L, 3));
    lab.emit(new LabEvent.Output("d1", "pty", "late\r\n".getBytes(StandardCharsets.UTF_8)));
    lab.connection(ConnectionStatus.State.CONNECTED, "connected");

    assertTrue(lab.requests.contains("ps"), lab.requests.toString());
    // c1 is gone with the helper's restart: off the list (its terminal tab closes with it), and
    // the status bar says why.
    assertFalse(vm.containers().contains(known), "the helper no longer has c1");
    assertTrue(
        vm.errorProperty().get().contains("no longer has container c1"), vm.errorProperty().get());
    assertEquals(ContainerState.RUNNING, blip.state());
    assertFalse(blip.adopted());
    assertTrue(blip.outputText().contains("output written while the helper was unreachable"));
    ContainerItem d1 = byId("d1");
    assertTrue(d1.adopted());
    assertEquals(ContainerState.RUNNING, d1.state());
    assertEquals(300, d1.pid());
    assertEquals("/bin/sh", d1.commandLine());
    assertTrue(d1.outputText().endsWith("earlier output is not replayed]\r\n"), d1.outputText());
    // One line in the narrowest terminal a class sees (1366×768 presenter, guide open: 69
    // columns): wrapped in two, it left the prompt alone in the three rows the house leaves.
    String note = d1.outputText().substring(d1.outputText().lastIndexOf("[glasshouse:"));
    assertTrue(note.strip().length() <= 64, note);
    assertTrue(d1.outputText().startsWith("late\r\n"), "events before ps still count");
    ContainerItem d2 = byId("d2");
    assertEquals(ContainerState.EXITED, d2.state());
    assertEquals("exited 3", d2.summaryProperty().get());
    assertEquals(3, vm.containers().size());

    // Events after the resync keep the adopted items current.
    lab.emit(new LabEvent.Exited("d1", 0, null, false, 10));
    assertEquals("exited 0", d1.summaryProperty().get());
    // A stale row never moves a container back: d1 exited, ps still said running.
    lab.connection(ConnectionStatus.State.LOST, "again");
    lab.connection(ConnectionStatus.State.CONNECTED, "connected");
    assertEquals(ContainerState.EXITED, d1.state());
  }

  private static ContainerSummary row(String id, String state, int minute) {
    return new ContainerSummary(
        id,
        "busybox",
        List.of("/bin/sh"),
        5,
        state,
        state.equals("running") ? 100L + minute : null,
        state.equals("running") ? null : 0,
        null,
        false,
        java.time.Instant.parse(String.format("2026-12-02T10:%02d:00Z", minute)));
  }

  /** The helper lists its containers in no particular order; the app opened after a restart. */
  private static final List<ContainerSummary> LEFT_RUNNING =
      List.of(
          row("older", "running", 1),
          row("newest", "running", 4),
          row("exited", "exited", 5),
          row("middle", "running", 2));

  /**
   * The class walk, app restarted mid-way: the next window adopted level 08's container with only
   * what the helper lists (image, command, level), and Check said "no CPU shares were set for it"
   * of the container run with shares 1024. The spec each run was asked with is kept (the app's
   * preferences) and the adopted container gets it back; a container removed is forgotten.
   */
  @Test
  void aReopenedAppAdoptsItsContainersWithTheSpecTheyWereRunWith() {
    java.util.Map<String, RunSpec> kept = new java.util.HashMap<>();
    FakeLabService helper = new FakeLabService();
    ContainersViewModel first = new ContainersViewModel(helper, Runnable::run, () -> "", kept);
    RunSpec asked =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("/bin/sh"))
            .level(5)
            .limits(new org.glasshouse.protocol.Limits(64L << 20, null, 512, null, 32))
            .user("1000:1000")
            .build();
    helper.onRun =
        s -> CompletableFuture.completedFuture(new LabService.Started("c0ffee000001", 7));
    first.run(asked, false).join();
    // The window closes; the helper keeps the container; the next window lists it.
    helper.containers = List.of(row("c0ffee000001", "running", 1));
    FakeLabService again = new FakeLabService();
    again.containers = helper.containers;
    ContainersViewModel reopened = new ContainersViewModel(again, Runnable::run, () -> "", kept);
    ContainerItem adopted = reopened.containers().get(0);
    assertTrue(adopted.adopted(), "not run by this window");
    assertEquals(asked.limits(), adopted.spec().limits(), "the limits it was run with");
    assertEquals("1000:1000", adopted.spec().user());
    // Removed: forgotten.
    again.emit(new LabEvent.Removed("c0ffee000001"));
    assertFalse(kept.containsKey("c0ffee000001"), "a removed container's spec is dropped");
    // One the helper no longer lists at the next start (removed while the app was closed).
    kept.put("dead00000001", asked);
    new ContainersViewModel(again, Runnable::run, () -> "", kept);
    assertFalse(kept.containsKey("dead00000001"), "a spec of a container gone is dropped");
  }

  /**
   * Walk: `glasshouse run -t -l 12 --rm -- true` from the CLI with the window open left a container
   * "true · starting" in the list and the house for good, though the helper had removed it. Its
   * start (a container no run of this window claims) asked ps what it runs; the answer, listing it,
   * was applied after its removed event and brought it back. A removed container never comes back.
   */
  @Test
  void aContainerRemovedBeforeALateListComesInStaysRemoved() {
    FakeLabService helper = new FakeLabService();
    ContainersViewModel app = new ContainersViewModel(helper, Runnable::run);
    CompletableFuture<List<ContainerSummary>> late = new CompletableFuture<>();
    helper.onPs = () -> late;
    helper.emit(new LabEvent.Step("c11000000001", FakeLabService.ok(1, "uts-ns", "unshare", "x")));
    helper.emit(new LabEvent.Started("c11000000001", 4242));
    assertTrue(helper.requests.contains("ps"), "a start nobody claimed asks what it runs");
    helper.emit(new LabEvent.Exited("c11000000001", 0, null, false, 10));
    helper.emit(new LabEvent.Removed("c11000000001"));
    assertTrue(app.find("c11000000001").isEmpty());
    late.complete(List.of(row("c11000000001", "running", 1)));
    assertTrue(app.find("c11000000001").isEmpty(), "the late list brought it back");
    assertTrue(app.containers().isEmpty(), app.containers().toString());
    // Nor does a late event of it.
    helper.emit(
        new LabEvent.Step("c11000000001", FakeLabService.ok(2, "cgroup-pids", "rmdir", "x")));
    assertTrue(app.containers().isEmpty(), app.containers().toString());
  }

  @Test
  void aReopenedAppSelectsTheNewestRunningContainerAndListsNewestFirst() {
    FakeLabService helper = new FakeLabService();
    helper.containers = LEFT_RUNNING;
    ContainersViewModel reopened = new ContainersViewModel(helper, Runnable::run);
    assertEquals(
        List.of("exited", "newest", "middle", "older"),
        reopened.containers().stream().map(ContainerItem::id).toList());
    assertEquals("newest", reopened.selected().id(), "not whichever ps listed first");
  }

  @Test
  void aReopenedAppSelectsTheContainerItShowedWhenItClosedIfItStillRuns() {
    FakeLabService helper = new FakeLabService();
    helper.containers = LEFT_RUNNING;
    assertEquals(
        "middle", new ContainersViewModel(helper, Runnable::run, () -> "middle").selected().id());
    assertEquals(
        "newest",
        new ContainersViewModel(helper, Runnable::run, () -> "exited").selected().id(),
        "an exited one is not brought back: the newest running one is");
  }

  @Test
  void aLateListNeverTakesTheSelectionFromTheContainerTheStudentJustStarted() {
    FakeLabService helper = new FakeLabService();
    helper.connection(ConnectionStatus.State.CONNECTING, "connecting");
    ContainersViewModel app = new ContainersViewModel(helper, Runnable::run, () -> "older");
    // The student presses Run; the reply is slow (a first start of a level).
    CompletableFuture<LabService.Started> reply = new CompletableFuture<>();
    helper.onRun = s -> reply;
    helper.containers = LEFT_RUNNING;
    CompletableFuture<ContainerItem> mine = app.run(spec("sh"), false);
    // Meanwhile the connection comes (back): ps lists what ran before.
    helper.connection(ConnectionStatus.State.CONNECTED, "connected");
    assertEquals(null, app.selected(), "nothing is chosen while the student's run is pending");
    reply.complete(new LabService.Started("mine", 7));
    assertEquals("mine", mine.join().id());
    assertEquals("mine", app.selected().id());
    // A later list (the connection dropped, a CLI start) keeps it. The helper still has it: a
    // container ps no longer lists leaves the list (aReconnectResyncs…).
    List<ContainerSummary> withMine = new ArrayList<>(LEFT_RUNNING);
    withMine.add(row("mine", "running", 6));
    helper.containers = withMine;
    helper.connection(ConnectionStatus.State.LOST, "blip");
    helper.connection(ConnectionStatus.State.CONNECTED, "connected");
    assertEquals("mine", app.selected().id());
  }

  private ContainerItem byId(String id) {
    return vm.containers().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
  }
}
