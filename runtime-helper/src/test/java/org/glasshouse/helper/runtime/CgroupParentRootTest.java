package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shared cgroup parent is removed only by the last helper using it: two runtimes on their own
 * state dirs share one parent; the first to close leaves it (and the other's containers run on, the
 * level-00 one in the tracking parent beside it), the last removes both from every hierarchy.
 */
@Tag("root")
class CgroupParentRootTest {

  @Test
  void onlyTheLastHelperRemovesTheSharedParent() throws Exception {
    TestSupport.requireRootAndBusybox("the cgroup parent test");
    String parent = TestSupport.uniqueCgroupParent();
    Path stateA = Files.createTempDirectory("glasshouse-test-");
    Path stateB = Files.createTempDirectory("glasshouse-test-");
    try {
      LinuxContainerRuntime a =
          new LinuxContainerRuntime(
              RuntimeConfig.of(stateA, TestSupport.imagesDir()).withCgroupParent(parent));
      LinuxContainerRuntime b =
          new LinuxContainerRuntime(
              RuntimeConfig.of(stateB, TestSupport.imagesDir()).withCgroupParent(parent));
      List<Path> parents = a.cgroupDriver().parentPaths();
      java.util.Optional<Path> tracking =
          org.glasshouse.helper.cgroups.CgroupLayout.detect(Path.of("/"))
              .unifiedMount()
              .map(
                  u ->
                      u.resolve(
                          parent + org.glasshouse.helper.cgroups.CgroupDriver.TRACKING_SUFFIX));
      try {
        CollectingListener la = new CollectingListener();
        a.start(RootHarness.newId(), RootHarness.level(12, "true"), la);
        assertEquals(0, la.await().code());
        CollectingListener lb = new CollectingListener();
        Container cb = b.start(RootHarness.newId(), RootHarness.level(12, "read x; echo on"), lb);
        // Level 00: tracked under <parent>-tracking on the unified hierarchy, which A's shutdown
        // must leave too.
        CollectingListener lt = new CollectingListener();
        Container ct = b.start(RootHarness.newId(), RootHarness.level(0, "read x; echo on"), lt);
        a.close();
        assertTrue(Files.isDirectory(parents.get(0)), "B still uses the parent: " + parents);
        tracking.ifPresent(
            t -> assertTrue(Files.isDirectory(t), "B still tracks a container under " + t));
        cb.writeStdin("go\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(0, lb.await().code(), lb.stderr());
        assertEquals("on\n", lb.stdout());
        ct.writeStdin("go\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(0, lt.await().code(), lt.stderr());
        assertEquals("on\n", lt.stdout());
      } finally {
        a.close();
        b.close();
      }
      for (Path p : parents) {
        assertFalse(Files.exists(p), "the last helper removed " + p);
      }
      tracking.ifPresent(t -> assertFalse(Files.exists(t), "the last helper removed " + t));
    } finally {
      SafeDelete.deleteTree(stateA);
      SafeDelete.deleteTree(stateB);
    }
  }
}
