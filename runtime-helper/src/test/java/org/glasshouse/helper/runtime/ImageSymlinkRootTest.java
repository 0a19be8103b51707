package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Escape 3 of issue 12, as a malicious image: its {@code dev}, {@code proc}, {@code sys}, {@code
 * dev/pts}, {@code dev/shm} or {@code etc/hostname} is a symlink to a host directory. Every start
 * that would mount on or create in such a path is refused with a step naming it, and leaves no
 * mount and no file on the host.
 */
@Tag("root")
class ImageSymlinkRootTest {
  static Path images;
  static Path host;
  static RootHarness h;

  @BeforeAll
  static void images() throws Exception {
    TestSupport.requireRootAndBusybox("the hostile image tests");
    images = Files.createTempDirectory("glasshouse-test-images-");
    host = Files.createTempDirectory("glasshouse-test-host-");
    Path busybox = TestSupport.imagesDir().resolve("busybox.tar");
    String t = host.toString();
    HostileImages.derive(busybox, images, "evil-dev", Map.of("dev", t));
    HostileImages.derive(busybox, images, "evil-proc", Map.of("proc", t));
    HostileImages.derive(busybox, images, "evil-sys", Map.of("sys", t));
    HostileImages.derive(busybox, images, "evil-pts", Map.of("dev/pts", t, "dev/shm", t));
    HostileImages.derive(busybox, images, "evil-hostname", Map.of("etc/hostname", t + "/hostname"));
    h = new RootHarness(images);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (h != null) {
      h.close();
    }
    if (images != null) {
      SafeDelete.deleteTree(images);
    }
    if (host != null) {
      SafeDelete.deleteTree(host);
    }
  }

  @AfterEach
  void theHostIsUntouched() throws Exception {
    if (host == null) {
      return;
    }
    try (Stream<Path> s = Files.list(host)) {
      assertEquals(List.of(), s.toList(), "nothing was created in the host directory");
    }
    String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
    assertFalse(mounts.contains(host.toString()), "no host mount on " + host + ":\n" + mounts);
  }

  private static RunSpec spec(String image, Set<Feature> features) {
    return RunSpec.builder()
        .image(image)
        .argv(
            List.of(
                "/bin/sh", "-c", "ls /dev /proc/self/ /sys >/dev/null; cat /etc/hostname; true"))
        .env(RootHarness.ENV)
        .features(features)
        .build();
  }

  private static void refused(String image, Set<Feature> features, String path) {
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () -> h.run(spec(image, features)),
            image + " at " + features + " must be refused");
    assertTrue(
        e.getMessage().contains("/" + path),
        "the error names /" + path + ": " + e.getMessage() + " " + e.failedStep());
    assertTrue(h.runtime.list().isEmpty(), "the refused container is gone");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 12, 13})
  void aSymlinkedDevProcOrSysIsRefusedAtEveryLevelThatMountsThere(int level) {
    refused("evil-dev", Feature.upTo(level), "dev");
    refused("evil-proc", Feature.upTo(level), "proc");
    refused("evil-sys", Feature.upTo(level), "sys");
  }

  @Test
  void freePlayDeviceNodesWithoutPseudoFilesystemsRefuseASymlinkedDev() {
    // `--no-pseudo-fs --feature dev-nodes`: the nodes would go straight into the image's /dev.
    refused("evil-dev", EnumSet.of(Feature.DEV_NODES), "dev");
    refused("evil-dev", EnumSet.of(Feature.MOUNT_NS, Feature.DEV_NODES), "dev");
    refused("evil-dev", EnumSet.of(Feature.CHROOT, Feature.DEV_NODES), "dev");
  }

  @Test
  void freePlayDeviceNodesRefuseASymlinkedDevPtsAndDevShm() {
    refused("evil-pts", EnumSet.of(Feature.DEV_NODES), "dev/pts");
    refused("evil-pts", EnumSet.of(Feature.MOUNT_NS, Feature.DEV_NODES), "dev/pts");
  }

  @Test
  void aSymlinkedEtcHostnameIsNeverWrittenThrough() throws Exception {
    RootHarness.Result r = h.runAndRemove(spec("evil-hostname", Feature.upTo(12)));
    assertFalse(Files.exists(host.resolve("hostname")), r.toString());
  }
}
