package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.linux.Capability;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Test;

/** The runtime's pure pieces: exit decoding, leaked-mount discovery, user and capability specs. */
class RuntimePiecesTest {

  @Test
  void rawWaitStatusTellsASignalFromExit128PlusN() {
    ExitStatus exited = Waiter.status(137 << 8, 0, 1);
    assertEquals(137, exited.code());
    assertNull(exited.signal());
    ExitStatus killed = Waiter.status(9, 0, 1);
    assertEquals(9, killed.signal());
    assertFalse(killed.oomKilled());
    assertTrue(Waiter.status(9, 1, 1).oomKilled(), "SIGKILL with an OOM count");
    assertFalse(Waiter.status(15, 1, 1).oomKilled(), "only SIGKILL is the OOM killer's");
  }

  @Test
  void leakedMountsAreFoundUnderTheContainerDirDeepestFirst() {
    String mountinfo =
        String.join(
            "\n",
            "22 1 254:0 / / rw - ext4 /dev/vda rw",
            "90 22 0:50 / /s/containers/a/rootfs/proc rw - proc proc rw",
            "91 22 0:51 / /s/containers/a/rootfs/dev rw - tmpfs tmpfs rw",
            "92 91 0:52 / /s/containers/a/rootfs/dev/pts rw - devpts devpts rw",
            "93 22 0:53 / /s/containers/ab/rootfs/proc rw - proc proc rw",
            "");
    List<String> points = Mounts.under(mountinfo, Path.of("/s/containers/a"));
    assertEquals("/s/containers/a/rootfs/dev/pts", points.get(0));
    assertEquals(3, points.size(), "not the neighbour 'ab': " + points);
  }

  @Test
  void usersAreNumericUidAndOptionalGid() {
    assertEquals(1000, Plans.parseUser("1000:100")[0]);
    assertEquals(100, Plans.parseUser("1000:100")[1]);
    assertEquals(1000, Plans.parseUser("1000")[1]);
    assertNull(Plans.parseUser(null));
    assertThrows(IllegalArgumentException.class, () -> Plans.parseUser("student"));
  }

  @Test
  void capAddAndDropAdjustDockersDefault() {
    RunSpec spec =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("true"))
            .env(Map.of())
            .level(11)
            .capAdd(List.of("CAP_NET_ADMIN"))
            .capDrop(List.of("chown"))
            .build();
    var caps = Plans.capabilities(spec);
    assertTrue(caps.contains(Capability.NET_ADMIN));
    assertFalse(caps.contains(Capability.CHOWN));
    assertFalse(caps.contains(Capability.SYS_ADMIN));
    assertEquals(0xa80425fbL, Capability.mask(Capability.dockerDefault()));
    // Level 11 keeps docker's set without CAP_MKNOD (bit 27); --cap-add gives it back.
    assertEquals(0xa00425fbL, Capability.mask(Capability.containerDefault()));
    assertFalse(Plans.capabilities(spec).contains(Capability.MKNOD));
  }

  @Test
  void namespaceFlagsFollowTheFeatures() {
    assertEquals(0, LinuxContainerRuntime.namespaceFlags(Feature.upTo(1)));
    assertEquals(
        "CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWPID|CLONE_NEWNET",
        Flags.cloneFlags(LinuxContainerRuntime.namespaceFlags(Feature.upTo(12))));
    assertEquals("MS_PRIVATE|MS_REC", Flags.mountFlags(Flags.MS_PRIVATE | Flags.MS_REC));
  }

  /** One table: every namespace feature has its row, a start and an exec take theirs from it. */
  @Test
  void everyNamespaceFeatureHasOneRowInTheTable() {
    for (Feature f : Feature.values()) {
      long rows = java.util.Arrays.stream(Namespace.values()).filter(n -> n.feature() == f).count();
      assertEquals(f.name().endsWith("_NS") ? 1 : 0, rows, f + " in the namespace table");
    }
    assertEquals(
        List.of("uts", "ipc", "net", "cgroup"),
        new ExecJoin(null, null, 1, Feature.upTo(12)).names(),
        "an exec joins these on its spawning thread; mnt and pid in its init");
    assertEquals(List.of("uts", "ipc"), new ExecJoin(null, null, 1, Feature.upTo(5)).names());
    assertEquals(List.of(), new ExecJoin(null, null, 1, Feature.upTo(4)).names());
  }
}
