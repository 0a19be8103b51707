package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.inspect.CgroupV1Reader;
import org.glasshouse.helper.inspect.CgroupV2Reader;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Level 09's bonus controls on the real kernel: a running level-09 container's memory cgroup holds
 * what was asked — on v1 {@code memory.soft_limit_in_bytes}, {@code memory.swappiness} and {@code
 * memory.oom_control}'s {@code oom_kill_disable}; on v2 {@code memory.high} and {@code
 * memory.oom.group} — read back from the files and through the reader {@code inspect} uses. Which
 * set runs is the host's: the memory controller's hierarchy (v1 here; v2 in the cgroup v2 guest,
 * which runs the {@code cgroup} tag).
 */
@Tag("root")
@Tag("cgroup")
class MemoryBonusRootTest {
  static final long MIB = 1L << 20;

  static boolean memoryOnV1() {
    return CgroupLayout.detect(Path.of("/")).isV1("memory");
  }

  @Test
  void theControlsAreWrittenAndReadBack() throws Exception {
    boolean v1 = memoryOnV1();
    Limits asked =
        v1
            ? new Limits(64 * MIB, null, null, null, null, 32 * MIB, 10, true, null, null)
            : new Limits(64 * MIB, null, null, null, null, 32 * MIB, null, null, true, null);
    try (RootHarness h = new RootHarness()) {
      CollectingListener l = new CollectingListener();
      Container c =
          h.runtime.start(
              RootHarness.newId(),
              RootHarness.spec(Feature.upTo(9), asked, null, "/bin/sh", "-c", "read x"),
              l);
      try {
        Path mem = memoryDir((LinuxContainer) c, v1);
        if (v1) {
          assertEquals(Long.toString(32 * MIB), read(mem, "memory.soft_limit_in_bytes"));
          assertEquals("10", read(mem, "memory.swappiness"));
          assertTrue(
              read(mem, "memory.oom_control").contains("oom_kill_disable 1"),
              read(mem, "memory.oom_control"));
          CgroupStats.Memory m = new CgroupV1Reader(null, null, mem, null).memory();
          assertEquals(32 * MIB, m.softLimitBytes());
          assertEquals(10L, m.swappiness());
          assertEquals(Boolean.TRUE, m.oomKillDisabled());
        } else {
          assertEquals(Long.toString(32 * MIB), read(mem, "memory.high"));
          assertEquals("1", read(mem, "memory.oom.group"));
          CgroupStats.Memory m = new CgroupV2Reader(mem).memory();
          assertEquals(32 * MIB, m.softLimitBytes());
          assertEquals(Boolean.TRUE, m.oomGroup());
        }
        System.out.printf(
            "MemoryBonusRootTest: %s controls read back from %s%n", v1 ? "v1" : "v2", mem);
      } finally {
        c.writeStdin("\n".getBytes(StandardCharsets.UTF_8));
        l.await();
        h.runtime.remove(c.id(), true);
      }
    }
  }

  /**
   * A kernel memory limit: v1 kernels before 5.16 keep it (read back), later ones accept the write
   * and drop it, which the read-back catches — the start fails saying so, rather than running
   * without the limit the student asked for; v2 has none and says what counts kernel memory.
   */
  @Test
  void aKernelMemoryLimitIsKeptOrTheStartSaysWhyNot() throws Exception {
    boolean v1 = memoryOnV1();
    Limits asked = new Limits(64 * MIB, null, null, null, null, null, null, null, null, 16 * MIB);
    try (RootHarness h = new RootHarness()) {
      try {
        RootHarness.Result r =
            h.run(RootHarness.spec(Feature.upTo(9), asked, null, "/bin/sh", "-c", "true"));
        h.runtime.remove(r.container().id(), true);
        assertTrue(v1, "v2 has no kernel memory limit, yet the start passed: " + r);
        assertTrue(
            r.container().steps().stream()
                .anyMatch(e -> e.call().equals("read") && e.ok() && e.result().equals("16777216")),
            "read back: " + r);
        System.out.println("MemoryBonusRootTest: this kernel keeps a v1 kernel memory limit");
      } catch (StartFailedException e) {
        String m = e.getMessage();
        assertTrue(v1 ? m.contains("ignores kernel memory limits") : m.contains("memory.max"), m);
        System.out.println("MemoryBonusRootTest: kernel memory limit refused: " + m);
      }
    }
  }

  private static Path memoryDir(LinuxContainer c, boolean v1) {
    String file = v1 ? "memory.soft_limit_in_bytes" : "memory.high";
    return c.cgroup().paths().stream()
        .filter(p -> Files.exists(p.resolve(file)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no memory cgroup in " + c.cgroup().paths()));
  }

  private static String read(Path dir, String file) throws Exception {
    return Files.readString(dir.resolve(file)).trim();
  }

  @Test
  void aControlTheVersionLacksFailsTheStartNamingItsCounterpart() throws Exception {
    boolean v1 = memoryOnV1();
    // v1 has no memory.oom.group; v2 no memory.swappiness.
    Limits asked =
        v1
            ? new Limits(64 * MIB, null, null, null, null, null, null, null, true, null)
            : new Limits(64 * MIB, null, null, null, null, null, 10, null, null, null);
    try (RootHarness h = new RootHarness()) {
      StartFailedException e =
          assertThrows(
              StartFailedException.class,
              () -> h.run(RootHarness.spec(Feature.upTo(9), asked, null, "true")));
      String m = e.getMessage();
      assertTrue(m.contains(v1 ? "memory.oom_control" : "memory.swap.max"), m);
      assertTrue(m.contains("ENOENT"), m);
      assertTrue(h.runtime.list().isEmpty(), "nothing is left of the failed start");
    }
  }
}
