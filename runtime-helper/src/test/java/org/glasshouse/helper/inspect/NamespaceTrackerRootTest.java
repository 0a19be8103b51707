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

  /** Pids of {@code parent}'s children in state Z (from /proc/PID/stat). */
  private static List<Long> zombiesOf(long parent) throws Exception {
    List<Long> out = new ArrayList<>();
    try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
      for (var d : (Iterable<java.nio.file.Path>) dirs::iterator) {
        String name = d.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = java.nio.file.Files.readString(d.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (f[0].equals("Z") && Long.parseLong(f[1]) == parent) {
            out.add(Long.parseLong(name));
          }
        } catch (IOException e) {
          // gone meanwhile
        }
      }
    }
    return out;
  }

  /**
   * A zombie (exited, its parent never reaps it) still holds its pid and counts against pids.max:
   * the container still has it. The kernel's exit event comes when it exits, not when it is reaped,
   * and the tracker forgot it there (the lead's walk, level 12: 30 zombies of PID 1, the glass
   * house showed one process against "pids 31 / 32"). Once reaped, it goes on the next tick.
   */
  @Test
  void aZombieStaysAMemberUntilItIsReaped() throws Exception {
    AtomicLong clock = new AtomicLong(1_000_000);
    List<String> log = new ArrayList<>();
    ProcEventWatch w = ProcEventWatch.open(new JnaProcConnectorCalls(), log::add);
    assertNotNull(w, log.toString());
    try (NamespaceTracker t = new NamespaceTracker(Inspector.real(), w, clock::get, log::add)) {
      Map<String, Long> c = Map.of("c", shell);
      assertEquals(Set.of(shell), t.tick(c, Set.of("c")).get("c").orElseThrow().keySet());
      // sh forks a short sleep, then execs a long one, which never waits for it. (Not python: a
      // pyenv shim is a bash script, which reaps the sleep before its exec.)
      shell("sh -c 'sleep 0.2 & echo up; exec sleep 30' &");
      assertEquals("up", line("the parent to start"));
      await(
          "the parent's exec",
          () ->
              children().size() == 1
                  && children().get(0).info().command().orElse("").endsWith("/sleep"));
      long parent = children().get(0).pid();
      List<Long> zombies = new ArrayList<>();
      await(
          "the short sleep to exit unreaped",
          () -> {
            try {
              zombies.clear();
              zombies.addAll(zombiesOf(parent));
              return zombies.size() == 1;
            } catch (Exception e) {
              return false;
            }
          });
      long zombie = zombies.get(0);
      Set<Long> after = t.tick(c, Set.of()).get("c").orElseThrow().keySet();
      assertEquals(Set.of(shell, parent, zombie), after, "its exit event does not take it away");
      clock.addAndGet(NamespaceTracker.SWEEP_MS);
      Set<Long> swept = t.tick(c, Set.of()).get("c").orElseThrow().keySet();
      assertEquals(Set.of(shell, parent, zombie), swept, "the zombie is still the container's");

      // Its parent killed, PID 1 (the shell) inherits it and reaps it in its wait.
      shell("kill $!; wait; echo reaped"); // $!: the parent, by its pid in the namespace
      assertEquals("reaped", line("the shell's wait"));
      await(
          "the zombie reaped",
          () -> !java.nio.file.Files.exists(java.nio.file.Path.of("/proc/" + zombie)));
      Set<Long> left = t.tick(c, Set.of()).get("c").orElseThrow().keySet();
      assertEquals(Set.of(shell), left, "the reaped zombie goes on the next tick");
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
