package org.glasshouse.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PrivilegeTest {

  @Test
  void theEffectiveUidIsTheSecondFieldOfTheUidLine() {
    // Real 1000, effective 0 (a setuid program): root is the effective uid.
    assertEquals(OptionalInt.of(0), Privilege.effectiveUid("Name:\tx\nUid:\t1000\t0\t0\t0\n"));
    assertEquals(OptionalInt.of(1000), Privilege.effectiveUid("Uid:\t0\t1000\t0\t0\nGid:\t0\n"));
  }

  @Test
  void aMissingOrMalformedUidLineGivesNoUid() {
    assertEquals(OptionalInt.empty(), Privilege.effectiveUid("Uid:\tx\ty\n"));
    assertEquals(OptionalInt.empty(), Privilege.effectiveUid("Uid:\t0\n"));
    assertEquals(OptionalInt.empty(), Privilege.effectiveUid("Name:\tx\nGid:\t0\t0\t0\t0\n"));
    assertEquals(OptionalInt.empty(), Privilege.effectiveUid(""));
  }

  /** The answer agrees with id(1), another program asking the kernel by another way (geteuid). */
  @Test
  void thisProcessAgreesWithId() throws Exception {
    Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, id.waitFor(), out);
    assertEquals(out.equals("0"), Privilege.runningAsRoot(), "id -u says " + out);
  }
}
