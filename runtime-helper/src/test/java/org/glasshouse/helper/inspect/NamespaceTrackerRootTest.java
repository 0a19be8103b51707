package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.glasshouse.Await;
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
  private BufferedReader shellOut;

  @BeforeEach
  void start() throws Exception {
    TestSupport.requireRoot("process events and pid namespaces");
    unshare =
        new ProcessBuilder(
                "unshare", "--pid", "--fork", "--kill-child", "sh", "-c", "echo ready; exec sh -s")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    shellOut =
        new BufferedReader(new InputStreamReader(unshare.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("ready", line("the shell's first word"));
    shell = unshare.toHandle().children().findFirst().orElseThrow().pid();
    shellIn = unshare.getOutputStream();
    // "ready" comes before the shell's exec of sh -s: an answer from sh -s is after that exec,
    // whose event the kernel sent during the execve (before the watch a test opens).
    shell("echo sh-s");
    assertEquals("sh-s", line("sh -s to answer"));
  }

  /**
   * The shell's next line of output, within 10 s: a process that says it runs has had its exec, and
   * the kernel queued that exec's event during the execve, before the process ran.
   */
  private String line(String what) throws Exception {
    try {
      return CompletableFuture.supplyAsync(
              () -> {
                try {
                  return shellOut.readLine();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no line from the shell within 10 s: waiting for " + what);
    }
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
    Await.until(what, Duration.ofSeconds(10), Duration.ofMillis(10), ok);
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

      // A child that says it runs: its fork's and exec's events are queued by then, so the tick
      // after reads them all, and the next one finds nothing.
      shell("python3 -c 'import time; print(\"up\", flush=True); time.sleep(30)' &");
      assertEquals("up", line("the child to start"));
      await("the child", () -> children().size() == 1);
      long child = children().get(0).pid();
      var joined = t.tick(c, Set.of());
      assertEquals(Set.of(shell, child), joined.get("c").orElseThrow().keySet(), "a fork is read");
      assertEquals(Map.of(), t.tick(c, Set.of()));

      shell("kill $!; wait");
      await("the child's exit, reaped", () -> children().isEmpty());
      var left = t.tick(c, Set.of());
      assertEquals(Set.of(shell), left.get("c").orElseThrow().keySet(), "an exit is read");

      // A process that leaves its UTS namespace a second after its exec: no event says so.
      shell(
          "python3 -c 'import ctypes, time; print(\"up\", flush=True); time.sleep(1);"
              + " ctypes.CDLL(None).unshare(0x04000000); time.sleep(30)' &");
      assertEquals("up", line("python to start")); // its fork's and exec's events queued
      await("python", () -> children().size() == 1);
      long py = children().get(0).pid();
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
