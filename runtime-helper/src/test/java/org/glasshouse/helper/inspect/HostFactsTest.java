package org.glasshouse.helper.inspect;

import static org.glasshouse.helper.cgroups.CgroupLayoutTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.glasshouse.helper.cgroups.CgroupLayout.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsTest {

  @Test
  void hybridHost() throws Exception {
    HostFacts f = HostFacts.read(fixture("hybrid"));

    assertEquals("6.18.44-fc-v857", f.kernel());
    assertEquals(OptionalInt.of(0), f.effectiveUid());
    assertTrue(f.isRoot());
    assertEquals(Set.copyOf(HostFacts.NAMESPACE_TYPES), f.namespaces());
    assertTrue(f.overlayfs());
    assertEquals("ext4", f.rootFsType());
    assertEquals(Optional.of(true), f.pivotRootPossible());
    assertEquals(Mode.HYBRID, f.cgroups().mode());
  }

  @Test
  void oldV1HostHasNoCgroupOrTimeNamespace() throws Exception {
    HostFacts f = HostFacts.read(fixture("v1"));

    assertEquals("3.10.0-1160.el7.x86_64", f.kernel());
    assertEquals(Set.of("mnt", "uts", "ipc", "pid", "net", "user"), f.namespaces());
    assertEquals("xfs", f.rootFsType());
    assertTrue(f.overlayfs());
    assertEquals(Mode.V1, f.cgroups().mode());
  }

  @Test
  void v2DesktopUserIsNotRootSoPivotRootIsUnknown() throws Exception {
    HostFacts f = HostFacts.read(fixture("v2"));

    assertEquals(OptionalInt.of(1000), f.effectiveUid());
    assertFalse(f.isRoot());
    assertEquals(Optional.empty(), f.pivotRootPossible());
    assertEquals(Mode.V2, f.cgroups().mode());
  }

  @Test
  void initramfsRootMakesPivotRootImpossible(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("proc/self/ns"));
    Files.writeString(root.resolve("proc/self/ns/mnt"), "");
    Files.writeString(root.resolve("proc/self/status"), "Uid:\t0\t0\t0\t0\n");
    Files.writeString(
        root.resolve("proc/self/mountinfo"), "1 1 0:2 / / rw - rootfs rootfs rw,size=100k\n");

    HostFacts f = HostFacts.read(root);

    assertEquals("rootfs", f.rootFsType());
    assertEquals(Optional.of(false), f.pivotRootPossible());
  }

  @Test
  void emptyRootGivesUnknownsNotExceptions(@TempDir Path root) {
    HostFacts f = HostFacts.read(root);

    assertEquals("", f.kernel());
    assertEquals(OptionalInt.empty(), f.effectiveUid());
    assertEquals(Set.of(), f.namespaces());
    assertFalse(f.overlayfs());
    assertEquals(Mode.NONE, f.cgroups().mode());
    assertEquals(Optional.of(false), f.pivotRootPossible());
  }

  @Test
  void malformedMountinfoIsTreatedAsUnreadable(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("proc/self"));
    Files.writeString(root.resolve("proc/self/mountinfo"), "not a mountinfo line\n");

    assertEquals(Mode.NONE, HostFacts.read(root).cgroups().mode());
  }

  @Test
  void parsesFilesystems() {
    assertTrue(HostFacts.hasFilesystem("nodev\tproc\nnodev\toverlay\n", "overlay"));
    assertFalse(HostFacts.hasFilesystem("nodev\toverlayfs\n", "overlay"));
  }

  @Test
  void thisHost() {
    HostFacts f = HostFacts.read(Path.of("/"));

    assertFalse(f.kernel().isEmpty());
    assertTrue(f.effectiveUid().isPresent());
    assertTrue(f.namespaces().containsAll(Set.of("mnt", "pid")), f.namespaces().toString());
  }
}
