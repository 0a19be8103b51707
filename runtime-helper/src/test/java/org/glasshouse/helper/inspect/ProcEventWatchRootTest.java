package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.linux.JnaProcConnectorCalls;
import org.glasshouse.helper.netlink.ProcEvents;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link ProcEventWatch} against the kernel: a process started (fork), running another program
 * (exec) and exiting is seen; the threads this JVM starts are not (the socket filter).
 */
@Tag("root")
@EnabledOnOs(OS.LINUX)
class ProcEventWatchRootTest {

  @Test
  void aChildsForkExecAndExitAreSeenAndThreadsAreNot() throws Exception {
    TestSupport.requireRoot("the process events connector");
    List<String> why = new ArrayList<>();
    try (ProcEventWatch w = ProcEventWatch.open(new JnaProcConnectorCalls(), why::add)) {
      assertNotNull(w, "opened: " + why);
      w.drain();
      // sh forks a child which execs true; sh itself was forked by this JVM and exec'd sh.
      Process p = new ProcessBuilder("sh", "-c", "/bin/true; exit 3").start();
      long sh = p.pid();
      p.waitFor();
      List<ProcEvents.Event> seen = new ArrayList<>();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (System.nanoTime() < deadline
          && seen.stream().noneMatch(e -> e.kind() == ProcEvents.Kind.EXIT && e.pid() == sh)) {
        ProcEventWatch.Drained d = w.drain();
        assertFalse(d.lost(), "nothing lost on a 4 MiB buffer");
        seen.addAll(d.events());
        Thread.sleep(20);
      }
      long self = ProcessHandle.current().pid();
      assertTrue(
          seen.contains(new ProcEvents.Event(ProcEvents.Kind.FORK, sh, self)), seen.toString());
      assertTrue(seen.contains(new ProcEvents.Event(ProcEvents.Kind.EXEC, sh, 0)), seen.toString());
      assertTrue(seen.contains(new ProcEvents.Event(ProcEvents.Kind.EXIT, sh, 0)), seen.toString());
      assertTrue(
          seen.stream().anyMatch(e -> e.kind() == ProcEvents.Kind.FORK && e.parent() == sh),
          "sh's child: " + seen);
    }
  }

  @Test
  void theKernelDropsThreadAndOtherEventsBeforeTheyAreQueued() throws Exception {
    TestSupport.requireRoot("the process events connector");
    JnaProcConnectorCalls calls = new JnaProcConnectorCalls();
    int fd = calls.open(ProcEvents.filter(), 1 << 20, ProcEvents.listen());
    try {
      List<byte[]> got = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Thread t = new Thread(() -> {});
        t.start();
        t.join();
      }
      Process tru = new ProcessBuilder("true").start();
      tru.waitFor();
      // Until true's exit is read (the threads' events, had they passed, were queued before it).
      long deadline = System.nanoTime() + 5_000_000_000L;
      boolean exited = false;
      while (!exited && System.nanoTime() < deadline) {
        byte[] d = calls.receive(fd);
        if (d == null) {
          Thread.sleep(10);
          continue;
        }
        got.add(d);
        exited =
            ProcEvents.parse(d).stream()
                .anyMatch(e -> e.kind() == ProcEvents.Kind.EXIT && e.pid() == tru.pid());
      }
      assertTrue(exited, "true's exit came within 5 s");
      assertFalse(got.isEmpty(), "true's fork, exec and exit came");
      for (byte[] d : got) {
        // Unfiltered, the 20 threads' forks and exits and the listen acknowledgement would come
        // too, and parse to nothing.
        assertTrue(ProcEvents.parse(d).size() == 1, "a process event: " + d.length + " bytes");
      }
    } finally {
      calls.close(fd, ProcEvents.ignore());
    }
  }
}
