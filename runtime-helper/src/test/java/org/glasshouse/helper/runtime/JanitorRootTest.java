package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.cgroups.ContainerCgroup;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.runtime.images.ImageStore;
import org.glasshouse.helper.runtime.rootfs.ContainerDirs;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a kill -9'd helper leaves, made for real, then swept. */
@Tag("root")
@Tag("cgroup")
class JanitorRootTest {
  Path state;
  CgroupDriver driver;
  final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    TestSupport.requireRoot("janitor tests (mounts and cgroups)");
    state = Files.createTempDirectory("glasshouse-test-");
    String parent = "glasshouse-test-" + UUID.randomUUID().toString().substring(0, 8);
    driver = CgroupDriver.detect(CgroupLayout.detect(Path.of("/")), parent);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    if (state == null) {
      return;
    }
    for (String m : SafeDelete.mountsUnder(state.toRealPath(), SafeDelete.SELF_MOUNTINFO)) {
      new ProcessBuilder("umount", "-l", m).start().waitFor();
    }
    for (String id : driver.containers()) {
      driver.open(id, new StepLog(e -> {})).destroy();
    }
    driver.removeParent();
    SafeDelete.deleteTree(state);
  }

  private static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
  }

  @Test
  void sweepRemovesProcessesMountsCgroupsAndDirs() throws Exception {
    // A level-01 leftover: a tmpfs "proc" with a mount stacked inside, leaked into the host.
    ContainerDirs a = ContainerDirs.create(state, "aaaaaaaaaaaa");
    Path proc = Files.createDirectories(a.dir().resolve("rootfs/proc"));
    run("mount", "-t", "tmpfs", "glasshouse-test", proc.toString());
    Files.createDirectories(proc.resolve("sys"));
    run("mount", "-t", "tmpfs", "glasshouse-test", proc.resolve("sys").toString());

    // A cgroup with a process in it.
    ContainerCgroup cg =
        driver.create(
            "bbbbbbbbbbbb",
            new Limits(null, null, null, null, 16),
            Set.of(Feature.CGROUP_PIDS, Feature.CGROUP_MEMORY),
            new StepLog(e -> {}));
    Process inCgroup = new ProcessBuilder("sleep", "600").start();
    processes.add(inCgroup);
    cg.addProcess(inCgroup.pid(), new StepLog(e -> {}));
    ContainerDirs.create(state, "bbbbbbbbbbbb").overlay();

    // A chrooted process without a cgroup, when the busybox image is there.
    Process chrooted = null;
    Path tar = TestSupport.imagesDir().resolve("busybox.tar");
    if (Files.isRegularFile(tar)) {
      Path lower = new ImageStore(TestSupport.imagesDir(), state).rootfs("busybox");
      ContainerDirs c = ContainerDirs.create(state, "cccccccccccc");
      c.copyRootfs(lower);
      chrooted = new ProcessBuilder("chroot", c.rootfs().toString(), "/bin/sleep", "600").start();
      processes.add(chrooted);
      Path root = Path.of("/proc/" + chrooted.pid() + "/root");
      // chroot(1) execs sleep in the same pid: wait until the root has changed.
      for (int i = 0;
          i < 200 && !Files.readSymbolicLink(root).startsWith(state.toRealPath());
          i++) {
        Thread.sleep(10);
      }
    } else {
      System.out.println("no " + tar + ": the chrooted-process case is not exercised");
    }
    Files.createDirectories(state.resolve("images/busybox/.extract-999/etc"));

    // Another helper's live container under the same cgroup parent: no dir in this state dir.
    ContainerCgroup foreign =
        driver.create(
            "dddddddddddd",
            new Limits(null, null, null, null, 16),
            Set.of(Feature.CGROUP_PIDS, Feature.CGROUP_MEMORY),
            new StepLog(e -> {}));
    Process inForeign = new ProcessBuilder("sleep", "600").start();
    processes.add(inForeign);
    foreign.addProcess(inForeign.pid(), new StepLog(e -> {}));

    Janitor.Report r = new Janitor(state, driver, new JnaSyscalls()).sweep();
    r.done().forEach(d -> System.out.println("  " + d));

    assertEquals(List.of(), r.failures());
    assertTrue(inCgroup.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "cgroup process killed");
    if (chrooted != null) {
      assertTrue(chrooted.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "chrooted killed");
    }
    assertEquals(List.of(), SafeDelete.mountsUnder(state.toRealPath(), SafeDelete.SELF_MOUNTINFO));
    assertEquals(List.of("dddddddddddd"), driver.containers(), "the foreign cgroup stays");
    assertTrue(inForeign.isAlive(), "another helper's container process is not killed");
    for (Path p : foreign.paths()) {
      assertTrue(Files.isDirectory(p), p.toString());
    }
    for (Path p : cg.paths()) {
      assertFalse(Files.exists(p), p.toString());
    }
    try (var ls = Files.list(state.resolve("containers"))) {
      assertEquals(0, ls.count());
    }
    assertFalse(Files.exists(state.resolve("images/busybox/.extract-999")));
    assertTrue(
        new Janitor(state, driver, new JnaSyscalls()).sweep().done().isEmpty(), "idempotent");
  }
}
