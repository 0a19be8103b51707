package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link MountTableWatch} against the kernel: a process in a mount namespace of its own, a mount
 * made in that namespace, the namespace left for another.
 */
@Tag("root")
@EnabledOnOs(OS.LINUX)
class MountTableWatchRootTest {

  private Process process;
  private MountTableWatch watch;

  @BeforeEach
  void start() throws Exception {
    TestSupport.requireRoot("mount namespaces (unshare, nsenter)");
    process =
        new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sleep", "60").start();
    // unshare execs sleep once the namespace is made: wait for that.
    Path ns = Path.of("/proc/" + process.pid() + "/exe");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!Files.readSymbolicLink(ns).toString().endsWith("sleep")) {
      assertTrue(System.nanoTime() < deadline, "unshare did not exec sleep");
      Thread.sleep(10);
    }
    watch = MountTableWatch.forProc(HostFs.real(), new JnaSyscalls(), clock::get);
  }

  private final java.util.concurrent.atomic.AtomicLong clock =
      new java.util.concurrent.atomic.AtomicLong();

  @AfterEach
  void stop() throws Exception {
    if (watch != null) {
      watch.close();
    }
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void inside(String... command) throws Exception {
    String[] full = new String[command.length + 4];
    full[0] = "nsenter";
    full[1] = "-t";
    full[2] = Long.toString(process.pid());
    full[3] = "-m";
    System.arraycopy(command, 0, full, 4, command.length);
    assertEquals(0, new ProcessBuilder(full).inheritIO().start().waitFor(), String.join(" ", full));
  }

  @Test
  void aMountInTheNamespaceMarksItsTableAndNothingElseDoes() throws Exception {
    Map<String, Long> pids = Map.of("c", process.pid());
    assertEquals(Set.of("c"), watch.maybeChanged(pids), "never read");
    String before = watch.read("c", process.pid());
    assertFalse(before.contains("glasshouse-watch"));
    assertEquals(Set.of(), watch.maybeChanged(pids), "nothing changed since the read");
    assertEquals(Set.of(), watch.maybeChanged(pids));

    inside("mount", "-t", "tmpfs", "glasshouse-watch", "/mnt");
    assertEquals(Set.of("c"), watch.maybeChanged(pids), "a mount in its namespace");
    assertTrue(watch.read("c", process.pid()).contains("glasshouse-watch"));
    assertEquals(Set.of(), watch.maybeChanged(pids), "read again: quiet until the next change");

    inside("umount", "/mnt");
    assertEquals(Set.of("c"), watch.maybeChanged(pids), "an unmount");
    assertFalse(watch.read("c", process.pid()).contains("glasshouse-watch"));
  }

  @Test
  void anotherPidIsAChangeAndAGoneProcessIsReportedGone() throws Exception {
    watch.read("c", process.pid());
    assertEquals(Set.of("c"), watch.maybeChanged(Map.of("c", process.pid() + 1_000_000L)));
    watch.read("c", process.pid());
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    // Its held descriptor keeps the namespace: the kernel marks nothing, the links say it.
    clock.addAndGet(MountTableWatch.LINKS_EVERY_NS - 1);
    assertEquals(Set.of(), watch.maybeChanged(Map.of("c", process.pid())), "links not due");
    clock.addAndGet(1);
    assertEquals(Set.of("c"), watch.maybeChanged(Map.of("c", process.pid())), "gone");
    try {
      watch.read("c", process.pid());
      throw new AssertionError("read a table of a process that exited");
    } catch (ProcessGoneException expected) {
      assertEquals(0, watch.heldCount());
    }
  }

  @Test
  void onlyForTheKernelsProc() throws Exception {
    Path fixture = Files.createTempDirectory("glasshouse-test-");
    try {
      assertNull(MountTableWatch.forProc(new HostFs(fixture, fixture), new JnaSyscalls()));
      assertNotNull(MountTableWatch.forProc(HostFs.real(), new JnaSyscalls()));
    } finally {
      Files.delete(fixture);
    }
  }
}
