package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.glasshouse.helper.runtime.RootHarness.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Level 03's experiment: the classic chroot escape (/bin/chroot-escape in the busybox image)
 * reaches the host's root under chroot (levels 01, 02) and stays inside after pivot_root (03).
 */
@Tag("root")
class BreakoutTest extends SharedRootHarness {
  @BeforeAll
  static void needsTheEscapeProbe() throws Exception {
    TestSupport.require(
        Files.exists(h.runtime.imageRootfs("busybox").resolve("bin/chroot-escape")),
        "the busybox image predates /bin/chroot-escape (rebuild it: ./glasshouse images build"
            + " busybox)");
  }

  private static TreeSet<String> listing(String out) {
    List<String> lines = out.lines().toList();
    assertTrue(lines.get(0).startsWith("after the escape attempt"), out);
    return new TreeSet<>(lines.subList(1, lines.size()));
  }

  private static TreeSet<String> hostRoot() throws Exception {
    try (Stream<Path> s = Files.list(Path.of("/"))) {
      return s.map(p -> p.getFileName().toString())
          .collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void underChrootTheEscapeReachesTheHostsRoot(int level) throws Exception {
    Result r = h.runAndRemove(RootHarness.level(level, "/bin/chroot-escape"));
    assertEquals(0, r.status().code(), r.toString());
    assertEquals(hostRoot(), listing(r.out()), "escaped to the host's /");
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 12})
  void afterPivotRootTheEscapeStaysInside(int level) throws Exception {
    Result r = h.runAndRemove(RootHarness.level(level, "/bin/chroot-escape"));
    assertEquals(0, r.status().code(), r.toString());
    TreeSet<String> seen = listing(r.out());
    assertTrue(seen.contains("glasshouse-escape") && seen.contains("bin"), "the image: " + seen);
    assertTrue(!seen.equals(hostRoot()), seen.toString());
  }
}
