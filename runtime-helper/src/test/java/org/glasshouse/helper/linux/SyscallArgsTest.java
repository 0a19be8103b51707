package org.glasshouse.helper.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The mount arguments' formatter and its parser agree, on every shape the steps write. */
class SyscallArgsTest {

  private static SyscallArgs.MountCall roundTrip(
      String source, String target, String fstype, long flags, String data) {
    String text = SyscallArgs.mount(source, target, fstype, flags, data);
    SyscallArgs.MountCall back =
        SyscallArgs.parseMount(text).orElseThrow(() -> new AssertionError(text));
    assertEquals(new SyscallArgs.MountCall(source, target, fstype, flags, data), back, text);
    return back;
  }

  @Test
  void everyMountTheStartMakesReadsBack() {
    long pseudo = Flags.MS_NOSUID | Flags.MS_NODEV | Flags.MS_NOEXEC;
    assertTrue(roundTrip("proc", "/s/c/rootfs/proc", "proc", pseudo, null).createsMount());
    assertTrue(
        roundTrip("tmpfs", "/s/c/rootfs/dev", "tmpfs", Flags.MS_NOSUID, "mode=755,size=65536k")
            .createsMount());
    assertTrue(
        roundTrip("overlay", "/s/c/merged", "overlay", 0, "lowerdir=/i,upperdir=/u,workdir=/w")
            .createsMount());
    SyscallArgs.MountCall bind =
        roundTrip("/s/c/rootfs", "/s/c/rootfs", null, Flags.MS_BIND | Flags.MS_REC, null);
    assertTrue(bind.createsMount() && bind.bind());
    assertTrue(roundTrip("/dev/null", "/m/proc/kcore", null, Flags.MS_BIND, null).bind());
  }

  @Test
  void aMountThroughADirectoryFdReadsBackAsThePathItStandsFor() {
    long pseudo = Flags.MS_NOSUID | Flags.MS_NODEV | Flags.MS_NOEXEC;
    String text =
        "\"sysfs\", \"/proc/self/fd/7\" /* /s/c/rootfs/sys */, \"sysfs\", "
            + Flags.mountFlags(pseudo)
            + ", NULL";
    assertEquals(
        new SyscallArgs.MountCall("sysfs", "/s/c/rootfs/sys", "sysfs", pseudo, null),
        SyscallArgs.parseMount(text).orElseThrow(() -> new AssertionError(text)));
    String beneath =
        "\"/dev/null\", \"/proc/self/fd/9/kcore\" /* /s/c/rootfs/proc/kcore */, NULL, "
            + Flags.mountFlags(Flags.MS_BIND)
            + ", NULL";
    assertEquals(
        "/s/c/rootfs/proc/kcore",
        SyscallArgs.parseMount(beneath).orElseThrow(() -> new AssertionError(beneath)).target());
  }

  @Test
  void remountsMovesAndPropagationChangesMakeNoMount() {
    assertFalse(roundTrip(null, "/", null, Flags.MS_REC | Flags.MS_PRIVATE, null).createsMount());
    long ro = Flags.MS_BIND | Flags.MS_REMOUNT | Flags.MS_RDONLY;
    assertFalse(roundTrip(null, "/m/proc/sys", null, ro, null).createsMount());
    assertFalse(roundTrip("/a", "/b", null, Flags.MS_MOVE, null).createsMount());
  }

  @Test
  void anUnknownFlagOrAnotherShapeIsNotReadAsAMount() {
    assertEquals(Optional.empty(), SyscallArgs.parseMount("\"a\", \"b\""));
    assertEquals(Optional.empty(), SyscallArgs.parseMount("\"a\", \"b\", \"c\", MS_WHAT, NULL"));
    assertEquals(Optional.empty(), SyscallArgs.parseMount(null));
    assertEquals(
        1L << 40,
        SyscallArgs.parseMount(SyscallArgs.mount("a", "/b", "c", 1L << 40, null))
            .orElseThrow()
            .flags(),
        "a flag without a name prints as hex and reads back");
  }
}
