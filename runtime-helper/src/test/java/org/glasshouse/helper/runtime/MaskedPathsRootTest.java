package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glasshouse.helper.runtime.RootHarness.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The masked and read-only /proc and /sys paths of issue 12, as a hostile root inside the container
 * tries them: read the kernel's timers and interrupts, write a kernel setting through /proc/sys,
 * look into /sys/firmware, and unmount a mask to see what is under it. From level 11 (where the
 * masks come, with the capability cut that keeps them in place) every try fails; at level 10 they
 * all work, which is what proves the probe can see a missing wall.
 *
 * <p>Nothing here can harm the host even where a wall is missing: the written setting is the domain
 * name, which the container's own UTS namespace holds from level 05, and sysrq-trigger is only
 * looked at in the mount table, never written.
 */
@Tag("root")
class MaskedPathsRootTest extends SharedRootHarness {

  /** Prints one word per wall that failed; the standard checks print their figures. */
  private static final String PROBE =
      "t=$(cat /proc/timer_list 2>/dev/null | wc -c); [ $t -gt 0 ] && echo READ-timer_list;"
          + " i=$(cat /proc/interrupts 2>/dev/null | wc -c); [ $i -gt 0 ] && echo READ-interrupts;"
          + " [ -n \"$(ls /sys/firmware 2>/dev/null)\" ] && echo LISTED-firmware;"
          + " echo glasshouse-probe > /proc/sys/kernel/domainname && echo WROTE-proc-sys;"
          + " [ -e /proc/sysrq-trigger ] && ! grep -q ' /proc/sysrq-trigger ro,'"
          + " /proc/self/mountinfo && echo RW-sysrq;"
          + " umount /proc/timer_list 2>/dev/null && echo UNMASKED;"
          + " echo done";

  @BeforeAll
  static void theHostHasWhatTheProbeLooksFor() throws Exception {
    // On a host whose kernel lacks these files the probe would pass for nothing.
    TestSupport.onlyOn(
        Files.readString(Path.of("/proc/interrupts")).length() > 0
            && Files.isDirectory(Path.of("/sys/firmware")),
        "this kernel has no /proc/interrupts or /sys/firmware to mask");
  }

  @ParameterizedTest
  @ValueSource(ints = {11, 12, 13})
  void fromLevel11RootReadsNoMaskedPathAndWritesNoKernelSetting(int level) throws Exception {
    Result r = h.runAndRemove(RootHarness.level(level, PROBE));
    assertTrue(r.out().endsWith("done\n"), r.toString());
    assertEquals("done\n", r.out(), r.toString());
    assertTrue(r.err().contains("Read-only file system"), "the /proc/sys write: " + r);
  }

  @Test
  void atLevel10TheMasksAreNotUpYet() throws Exception {
    // Documented in the level 11 guide: before it root holds CAP_SYS_ADMIN and could unmount any
    // mask, so none is made. Not unmounting anything here: the probe must see every path open.
    Result r = h.runAndRemove(RootHarness.level(10, PROBE.replace("umount", "false && umount")));
    for (String word :
        new String[] {"READ-timer_list", "READ-interrupts", "LISTED-firmware", "WROTE-proc-sys"}) {
      assertTrue(r.out().contains(word), word + ": " + r);
    }
    assertFalse(r.out().contains("UNMASKED"), r.toString());
  }
}
