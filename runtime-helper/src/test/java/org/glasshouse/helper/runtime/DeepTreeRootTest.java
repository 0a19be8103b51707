package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A container that builds a directory tree deeper than PATH_MAX (5000 levels) can be removed, and a
 * helper started after a kill -9 sweeps such a tree too (issue 15: rm exited "File name too long",
 * the start-up sweep failed on it, and repeating it filled the disk).
 */
@Tag("root")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class DeepTreeRootTest {

  private static final String DEEP =
      "cd /tmp && i=0; while [ $i -lt 5000 ]; do mkdir d; cd d; i=$((i+1)); done; echo $i";

  @Test
  void removeDeletesAContainersTreeOfFiveThousandLevels() throws Exception {
    try (RootHarness h = new RootHarness()) {
      // Level 04: the tree lands in the container's overlay upper dir.
      RootHarness.Result r = h.run(RootHarness.level(4, DEEP));
      assertEquals(0, r.status().code(), r.toString());
      assertEquals("5000\n", r.out(), r.toString());
      Path dir = h.state.resolve("containers").resolve(r.container().id());
      assertTrue(Files.isDirectory(dir.resolve("upper/tmp/d/d/d")), "the tree is in upper");
      h.runtime.remove(r.container().id(), true);
      assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS), "the container dir is gone");
    }
  }

  @Test
  void theStartUpSweepDeletesADeepTreeADeadHelperLeft() throws Exception {
    try (RootHarness h = new RootHarness()) {
      // Level 01: a private copy of the image, the tree written straight into it.
      RootHarness.Result r = h.run(RootHarness.level(1, DEEP));
      assertEquals(0, r.status().code(), r.toString());
      Path dir = h.state.resolve("containers").resolve(r.container().id());
      h.crash();
      try (LinuxContainerRuntime next =
          new LinuxContainerRuntime(
              RuntimeConfig.of(h.state, TestSupport.imagesDir())
                  .withCgroupParent(h.cgroupParent))) {
        assertTrue(next.recovery().clean(), next.recovery().toString());
        assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS), "swept: " + next.recovery());
      }
    }
  }
}
