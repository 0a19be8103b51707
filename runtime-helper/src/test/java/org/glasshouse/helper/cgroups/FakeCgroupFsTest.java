package org.glasshouse.helper.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake cgroupfs kills for real (its cgroup.kill, and the v1 drivers' kill of what cgroup.procs
 * lists): only the processes a test started may be in it. A CI run died with exit code 137 in
 * CgroupDelegationTest: its made-up init pid 4242 was a live process of the machine's, the test JVM
 * itself, and the driver's destroy killed it.
 */
@EnabledOnOs(OS.LINUX)
class FakeCgroupFsTest {
  @TempDir Path tmp;

  @Test
  void aProcessTheTestDidNotStartIsNeitherListedNorKilled() throws Exception {
    // A process of the machine's, not a descendant of this JVM: sh starts it and exits at once.
    Process sh = new ProcessBuilder("sh", "-c", "sleep 60 >/dev/null 2>&1 & echo $!").start();
    long stranger =
        Long.parseLong(
            new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    assertTrue(sh.waitFor(10, TimeUnit.SECONDS));
    ProcessHandle h = ProcessHandle.of(stranger).orElseThrow();
    Process child = new ProcessBuilder("sleep", "60").start();
    try {
      Path u = tmp.resolve("sys/fs/cgroup");
      FakeCgroupFs fs = new FakeCgroupFs(Map.of(u, CgroupDriverFakeTest.V2_FILES));
      fs.root(u);
      Path c = u.resolve("c0ffee");
      fs.mkdir(c);
      fs.write(c.resolve("cgroup.procs"), Long.toString(stranger));
      fs.write(c.resolve("cgroup.procs"), Long.toString(child.pid()));
      assertEquals(child.pid() + "\n", fs.read(c.resolve("cgroup.procs")), "the test's only");
      fs.write(c.resolve("cgroup.kill"), "1");
      assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the test's own process is killed");
      assertTrue(h.isAlive(), "a process the test did not start was killed");
    } finally {
      child.destroyForcibly();
      h.destroyForcibly();
    }
  }
}
