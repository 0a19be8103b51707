package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The init JVM in a small memory cgroup: moved into it at "ready", it must get to execve within the
 * smallest limit the runtime accepts (what it touches after the move is charged to the container),
 * and a limit below that is refused with a sentence naming it.
 */
@Tag("root")
@Tag("cgroup")
class InitMemoryRootTest {
  static final long SMALLEST = 4L << 20;
  static final int RUNS = 20;

  RootHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new RootHarness();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void level09WithTheSmallestMemoryLimitStartsAndExits0Reliably() throws Exception {
    long peak = 0;
    for (int i = 0; i < RUNS; i++) {
      RootHarness.Result r =
          h.run(
              RootHarness.spec(
                  Feature.upTo(9), new Limits(SMALLEST, SMALLEST, null, null, null), null, "true"));
      LinuxContainer c = (LinuxContainer) r.container();
      // v1: memory.oom_control and memory.max_usage_in_bytes; v2: memory.events and memory.peak
      // (Linux 5.19+).
      Path mem =
          c.cgroup().paths().stream()
              .filter(
                  p ->
                      Files.exists(p.resolve("memory.oom_control"))
                          || Files.exists(p.resolve("memory.events")))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no memory cgroup in " + c.cgroup().paths()));
      boolean v1 = Files.exists(mem.resolve("memory.oom_control"));
      String events = read(mem, v1 ? "memory.oom_control" : "memory.events");
      assertTrue(events.contains("oom_kill 0"), "run " + i + ": " + events);
      Path peakFile = mem.resolve(v1 ? "memory.max_usage_in_bytes" : "memory.peak");
      if (Files.exists(peakFile)) {
        peak = Math.max(peak, Long.parseLong(Files.readString(peakFile).trim()));
      }
      assertEquals(0, r.status().code(), "run " + i + ": " + r);
      assertFalse(r.status().oomKilled(), "run " + i + ": " + r);
      h.runtime.remove(c.id(), true);
    }
    System.out.printf(
        "level 09, memory limit %d MiB: %d of %d runs exited 0; peak charge %d KiB%n",
        SMALLEST >> 20, RUNS, RUNS, peak >> 10);
  }

  @Test
  void aLimitBelowWhatTheRuntimeNeedsIsAClearStartFailure() throws Exception {
    long tiny = 2L << 20;
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () ->
                h.run(
                    RootHarness.spec(
                        Feature.upTo(9), new Limits(tiny, tiny, null, null, null), null, "true")));
    assertTrue(e.getMessage().contains("memory limit"), e.getMessage());
    assertTrue(e.getMessage().contains("at least 4m"), e.getMessage());
    assertTrue(h.runtime.list().isEmpty(), "nothing is left of the failed start");
  }

  private static String read(Path dir, String file) throws Exception {
    return Files.readString(dir.resolve(file)).trim();
  }
}
