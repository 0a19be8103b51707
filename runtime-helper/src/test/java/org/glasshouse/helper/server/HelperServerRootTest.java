package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.helper.runtime.LinuxContainerRuntime;
import org.glasshouse.helper.runtime.RuntimeConfig;
import org.junit.jupiter.api.Tag;

/**
 * The server's scenarios against the real runtime: every container is a real level-00 container
 * started through the init stage. Temporary state dir, unique cgroup parent.
 */
@Tag("root")
class HelperServerRootTest extends ServerScenarios {

  @Override
  ContainerRuntime newRuntime(Path stateDir) throws Exception {
    assumeTrue(
        ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
        "skipped: real containers need root");
    String parent =
        "glasshouse-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    return new LinuxContainerRuntime(
        RuntimeConfig.of(stateDir, stateDir.resolve("no-images")).withCgroupParent(parent));
  }

  /**
   * Each real start spawns an init-stage JVM; fifty at once on this 2-core machine (shared with the
   * other test runs) exceed the runtime's 30 s init deadline, so the clients are all connected and
   * asking at once, but at most eight starts run at the same time.
   */
  @Override
  int concurrentStarts() {
    return 8;
  }
}
