package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.glasshouse.helper.linux.JnaProcConnectorCalls;
import org.glasshouse.helper.linux.ProcConnectorCalls;
import org.glasshouse.helper.linux.SockFilter;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link NamespaceTracker} on the kernel's process events: a "container" that is a shell, PID 1 of
 * a pid namespace of its own. A tick where nothing happened reads nothing; a process that comes or
 * goes is read on the next tick; a namespace left without an exec (no event) is seen by the next
 * sweep, not before. Without the events, every tick reads every container, said once in the log.
 */
@Tag("root")
@EnabledOnOs(OS.LINUX)
class NamespaceTrackerRootTest {

  private Process unshare;
  private long shell;
  private OutputStream shellIn;

  @BeforeEach
  void start() throws Exception {
    TestSupport.requireRoot("process events and pid namespaces");
    unshare =
        new ProcessBuilder(
                "unshare", "--pid", "--fork", "--kill-child", "sh", "-c", "echo ready; exec sh -s")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    var out =
        new BufferedReader(new InputStreamReader(unshare.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("ready", out.readLine());
    shell = unshare.toHandle().children().findFirst().orElseThrow().pid();
    shellIn = unshare.getOutputStream();
    // "ready" comes before the shell's exec of sh -s: wait for that exec, so that its event is
    // not taken for one of the test's.
    java.nio.file.Path cmdline = java.nio.file.Path.of("/proc/" + shell + "/cmdline");
    await(
        "sh -s",
        () -> {
          try {
            return !new String(java.nio.file.Files.readAllBytes(cmdline), StandardCharsets.UTF_8)
                .contains("ready");
          } catch (java.io.IOException e) {
            return false;
          }
        });
    Thread.sleep(100);
  }

  @AfterEach
  void stop() throws Exception {
    if (unshare != null) {
      List<ProcessHandle> rest = unshare.descendants().toList();
      unshare.destroyForcibly().waitFor();
      for (ProcessHandle p : rest) {
        p.destroyForcibly();
        p.onExit().get(10, TimeUnit.SECONDS);
      }
    }
  }

  private void shell(String line) throws Exception {
    shellIn.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    shellIn.flush();
  }

  private List<ProcessHandle> children() {
    return ProcessHandle.of(shell).orElseThrow().children().toList();
  }

  private static void await(String what, java.util.function.BooleanSupplier ok) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!ok.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  private static String uts(long pid) throws Exception {
    return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/" + pid + "/ns/uts"))
        .toString();
  }

  @Test
  void readsOnlyWhereEventsSayAndTheSweepCatchesAnUnshareWithoutExec() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000);
    List<String> log = new ArrayList<>();
    Inspector inspector = Inspector.real();
    ProcEventWatch w = ProcEventWatch.open(new JnaProcConnectorCalls(), log::add);
    assertNotNull(w, log.toString());
    try (NamespaceTracker t = new NamespaceTracker(inspector, w, clock::get, log::add)) {
      Map<String, Long> c = Map.of("c", shell);
      var first = t.tick(c, Set.of("c"));
      assertEquals(Set.of(shell), first.get("c").orElseThrow().keySet());
      assertEquals(Map.of(), t.tick(c, Set.of()), "nothing happened: nothing read");

      shell("sleep 30 &");
      await("sleep", () -> children().size() == 1);
      long sleep = children().get(0).pid();
      var joined = t.tick(c, Set.of());
      assertEquals(Set.of(shell, sleep), joined.get("c").orElseThrow().keySet(), "a fork is read");
      assertEquals(Map.of(), t.tick(c, Set.of()));

      shell("kill $!; wait");
      await("sleep's exit, reaped", () -> children().isEmpty());
      var left = t.tick(c, Set.of());
      assertEquals(Set.of(shell), left.get("c").orElseThrow().keySet(), "an exit is read");

      // A process that leaves its UTS namespace a second after its exec: no event says so.
      shell(
          "python3 -c 'import ctypes, time; time.sleep(1);"
              + " ctypes.CDLL(None).unshare(0x04000000); time.sleep(30)' &");
      await(
          "python",
          () ->
              children().size() == 1
                  && children().get(0).info().command().orElse("").contains("python"));
      long py = children().get(0).pid();
      Thread.sleep(100); // its exec's event queued
      String before = uts(shell);
      var started = t.tick(c, Set.of());
      assertEquals(Set.of(shell, py), started.get("c").orElseThrow().keySet());
      long utsBefore = started.get("c").orElseThrow().get(py).get("uts");
      await(
          "the unshare",
          () -> {
            try {
              return !uts(py).equals(before);
            } catch (Exception e) {
              return false;
            }
          });
      assertEquals(Map.of(), t.tick(c, Set.of()), "an unshare without an exec has no event");
      clock.addAndGet(NamespaceTracker.SWEEP_MS);
      Optional<Map<Long, Map<String, Long>>> swept = t.tick(c, Set.of()).get("c");
      assertNotNull(swept, "the sweep reads every container");
      assertNotEquals(utsBefore, swept.orElseThrow().get(py).get("uts"), "the sweep sees it");
      assertEquals(List.of(), log);
    }
  }

  @Test
  void withoutProcessEventsEveryTickReadsEverythingAndTheLogSaysSoOnce() throws Exception {
    ProcConnectorCalls refusing =
        new ProcConnectorCalls() {
          @Override
          public int open(List<SockFilter> filter, int receiveBuffer, byte[] listen)
              throws SyscallException {
            throw new SyscallException(
                "socket",
                "AF_NETLINK, …, NETLINK_CONNECTOR",
                1,
                "EPERM",
                "Operation not permitted");
          }

          @Override
          public byte[] receive(int fd) {
            throw new AssertionError("never opened");
          }

          @Override
          public void close(int fd, byte[] goodbye) {}
        };
    List<String> log = new ArrayList<>();
    try (NamespaceTracker t = NamespaceTracker.open(Inspector.real(), refusing, log::add)) {
      Map<String, Long> c = Map.of("c", shell);
      for (int i = 0; i < 3; i++) {
        assertEquals(Set.of(shell), t.tick(c, Set.of()).get("c").orElseThrow().keySet());
      }
      assertEquals(1, log.size(), log.toString());
      assertTrue(log.get(0).contains("EPERM") || log.get(0).contains("permitted"), log.get(0));
    }
  }
}
