package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Terminals, signals, free-play failures and leak-free start/remove cycles. */
@Tag("root")
class LifecycleTest extends SharedRootHarness {
  @Test
  void aTtyContainerTalksThroughItsPtyAndResizes() throws Exception {
    RunSpec spec =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("/bin/sh", "-c", "read x; stty size; test -t 0 && echo isatty"))
            .env(RootHarness.ENV)
            .tty(true)
            .cols(100)
            .rows(30)
            .level(6)
            .build();
    CollectingListener l = new CollectingListener();
    Container c = h.runtime.start(RootHarness.newId(), spec, l);
    c.resize(120, 40);
    c.writeStdin("go\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(0, l.await().code(), l.stdout());
    String out = l.stdout();
    assertTrue(out.contains("40 120"), out);
    assertTrue(out.contains("isatty"), out);
    h.runtime.remove(c.id(), true);
  }

  @Test
  void aSignalSentByTheRuntimeIsReportedAsASignal() throws Exception {
    CollectingListener l = new CollectingListener();
    Container c = h.runtime.start(RootHarness.newId(), RootHarness.level(6, "read x"), l);
    c.signal(9);
    ExitStatus s = l.await();
    assertEquals(9, s.signal(), s.toString());
    assertFalse(s.oomKilled());
    h.runtime.remove(c.id(), true);
  }

  @Test
  void pivotRootWithoutAMountPointFailsWithTheKernelsErrnoAndUndoesEverything() throws Exception {
    Set<Feature> f = EnumSet.copyOf(Feature.upTo(3));
    f.remove(Feature.BIND_ROOT);
    String id = RootHarness.newId();
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () ->
                h.runtime.start(
                    id, RootHarness.spec(f, null, null, "/bin/true"), new CollectingListener()));
    assertEquals("pivot_root", e.failedStep().call());
    // EINVAL on older kernels, EBUSY on newer ones: both say "not a mount point".
    assertTrue(
        List.of("EBUSY", "EINVAL").contains(e.failedStep().errno()), e.failedStep().toString());
    assertTrue(e.getMessage().contains("mount point"), e.getMessage());
    assertFalse(Files.exists(h.state.resolve("containers/" + id)));
  }

  private static Set<String> leftovers(RootHarness h) throws Exception {
    Set<String> s = new TreeSet<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      if (line.contains(h.state.toString())) {
        s.add("mount " + line);
      }
    }
    for (Path p : h.runtime.cgroupDriver().parentPaths()) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> children = Files.list(p)) {
          children.filter(Files::isDirectory).forEach(c -> s.add("cgroup " + c));
        }
      }
    }
    // Tracking cgroups (levels 00-05) included.
    h.runtime.cgroupDriver().containers().forEach(id -> s.add("cgroup of " + id));
    try (Stream<Path> dirs = Files.list(h.state.resolve("containers"))) {
      dirs.forEach(d -> s.add("dir " + d));
    }
    List<Long> pooled = h.runtime.pooledPids();
    ProcessHandle.current()
        .descendants()
        .filter(p -> !pooled.contains(p.pid()))
        .forEach(p -> s.add("process " + p.pid()));
    return s;
  }

  @Test
  void hundredStartAndRemoveCyclesLeaveNothingBehind() throws Exception {
    Set<String> before = leftovers(h);
    long fdsBefore = openFds();
    Limits limits = new Limits(64L << 20, null, 512, null, 32);
    for (int i = 0; i < 100; i++) {
      // The highest level (every step, the seccomp filter included) and level 01 take turns.
      int level = i % 2 == 0 ? Feature.MAX_LEVEL : 1;
      RootHarness.Result r =
          h.runAndRemove(RootHarness.spec(Feature.upTo(level), limits, null, "/bin/true"));
      assertEquals(0, r.status().code(), r.toString());
    }
    assertEquals(before, leftovers(h));
    // Pipes, ptys and sockets of 100 containers: a leak of one fd each would show as ~100.
    long fdsAfter = openFds();
    assertTrue(fdsAfter - fdsBefore < 20, "helper fds before " + fdsBefore + ", after " + fdsAfter);
  }

  private static long openFds() throws Exception {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
