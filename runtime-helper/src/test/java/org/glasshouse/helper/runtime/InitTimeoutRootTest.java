package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The runtime waits for a container's init stage as long as its config says, no longer: an init
 * slower than a configured timeout is a start failure that names the timeout and how to raise it,
 * and leaves no container, process or cgroup behind.
 */
@Tag("root")
@Tag("cgroup")
class InitTimeoutRootTest {

  @Test
  void anInitJvmSlowerThanTheConfiguredTimeoutIsAClearStartFailureThatLeavesNothing()
      throws Exception {
    // No JVM connects within a millisecond; the warm pool would hide the spawn, so it is off.
    slowerThanTheTimeout(true);
  }

  @Test
  void theNativeInitSlowerThanTheConfiguredTimeoutIsAClearStartFailureThatLeavesNothing()
      throws Exception {
    // glasshouse-init may connect within the millisecond (it did here); it never gets to execve
    // within it. Either deadline is the configured timeout.
    slowerThanTheTimeout(false);
  }

  private static void slowerThanTheTimeout(boolean jvm) throws Exception {
    InitTimeout tiny = InitTimeout.configured(Duration.ofMillis(1), "the test");
    try (RootHarness h =
        new RootHarness(
            c -> {
              RuntimeConfig t = c.withWarmPool(0).withInitTimeout(tiny);
              return jvm ? t.withNativeInit(null) : t;
            })) {
      assertEquals(tiny, h.runtime.initTimeout(), "the runtime uses the configured timeout");
      StartFailedException e =
          assertThrows(
              StartFailedException.class,
              () ->
                  h.run(
                      RootHarness.spec(
                          Feature.upTo(12),
                          new Limits(64L << 20, null, null, null, 32),
                          null,
                          "true")));
      assertTrue(
          e.getMessage().contains("the init stage did not connect within")
              || (!jvm
                  && e.getMessage()
                      .contains("the init stage connected but did not get to execve within")),
          e.getMessage());
      assertTrue(e.getMessage().contains("set by the test"), e.getMessage());
      assertTrue(e.getMessage().contains("--init-timeout SECONDS"), e.getMessage());
      assertTrue(h.runtime.list().isEmpty(), "nothing is left of the failed start");
      assertEquals(List.of(), cgroupsUnder(h.cgroupParent), "no container cgroup is left");
      assertEquals(
          tiny, h.runtime.initTimeout(), "a configured timeout does not grow with what it saw");
    }
  }

  /** The container cgroups under {@code parent} in every hierarchy (v1 and unified). */
  private static List<Path> cgroupsUnder(String parent) throws IOException {
    List<Path> out = new ArrayList<>();
    Path root = Path.of("/sys/fs/cgroup");
    List<Path> candidates = new ArrayList<>(List.of(root.resolve(parent)));
    try (Stream<Path> s = Files.list(root)) {
      s.forEach(h -> candidates.add(h.resolve(parent)));
    }
    for (Path p : candidates) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(Files::isDirectory).forEach(out::add);
        }
      }
    }
    return out;
  }
}
