package org.glasshouse.helper.inspect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.ContainerListener;
import org.glasshouse.helper.runtime.ExitStatus;
import org.glasshouse.helper.runtime.LinuxContainerRuntime;
import org.glasshouse.helper.runtime.RuntimeConfig;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * The real runtime for the inspection root tests: busybox containers on a fresh {@code
 * glasshouse-test-*} dir, in a cgroup parent of their own. Without root or the image, {@link
 * TestSupport#requireRootAndBusybox} decides. {@link #close} removes every container and the dir.
 */
final class RealRuntime implements AutoCloseable {

  /** The test's dir: the runtime's state is in {@code state/}, the rest is the test's. */
  final Path dir;

  final LinuxContainerRuntime runtime;

  private RealRuntime(Path dir, LinuxContainerRuntime runtime) {
    this.dir = dir;
    this.runtime = runtime;
  }

  /** A runtime, or {@link TestSupport#requireRootAndBusybox}'s verdict with {@code what} in it. */
  static RealRuntime start(String what) throws Exception {
    TestSupport.requireRootAndBusybox(what);
    Path dir = Files.createTempDirectory("glasshouse-test-");
    return new RealRuntime(
        dir,
        new LinuxContainerRuntime(
            RuntimeConfig.of(dir.resolve("state"), TestSupport.imagesDir())
                .withCgroupParent(TestSupport.uniqueCgroupParent())));
  }

  /** A container at {@code level} running {@code sh -c script}, its events ignored. */
  Container start(int level, String script) throws Exception {
    RunSpec spec =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("/bin/sh", "-c", script))
            .env(Map.of("PATH", "/bin:/usr/bin"))
            .features(EnumSet.copyOf(Feature.upTo(level)))
            .build();
    return start(spec);
  }

  /** A container of {@code spec} under a random id, its events ignored. */
  Container start(RunSpec spec) throws Exception {
    String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
    return runtime.start(id, spec, QUIET);
  }

  /**
   * As {@link #start}, then waits (up to 5 s) until the script has made {@code /marker} inside: the
   * script prepares its files, touches the marker, then sleeps.
   */
  Container startAndAwait(int level, String script, String marker) throws Exception {
    Container c = start(level, script);
    Path file = Path.of("/proc/" + c.hostPid() + "/root/" + marker);
    for (int i = 0; i < 100 && !Files.exists(file); i++) {
      Thread.sleep(50); // polling the container's own progress; it sends nothing to wait on
    }
    return c;
  }

  @Override
  public void close() throws Exception {
    try {
      runtime.close();
    } finally {
      SafeDelete.deleteTree(dir);
    }
  }

  private static final ContainerListener QUIET =
      new ContainerListener() {
        @Override
        public void step(String containerId, StepEntry entry) {}

        @Override
        public void started(String containerId, long hostPid) {}

        @Override
        public void output(String containerId, String stream, byte[] data) {}

        @Override
        public void exited(String containerId, ExitStatus status) {}
      };
}
