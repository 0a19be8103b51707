package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.glasshouse.protocol.inspect.ProcessInfo;
import org.junit.jupiter.api.Test;

class ProcessReaderTest {

  @Test
  void parsesTheStatusCapturedOnThisMachine() {
    ProcessInfo p = ProcessReader.parse(11858, Fixtures.text("proc/status"), "sh\0-c\0x\0");
    assertEquals("sh", p.name());
    assertEquals("S", p.state());
    assertEquals("sleeping", p.stateName());
    assertEquals(11851, p.ppid());
    assertEquals(List.of(11858L), p.nsPids());
    assertEquals(List.of(0L, 0L, 0L, 0L), p.uids());
    assertEquals(List.of("sh", "-c", "x"), p.cmdline());
    // This machine's bounding set lacks exactly CAP_SYS_RESOURCE (24).
    List<String> bnd = p.capabilities().get("bounding");
    assertEquals(40, bnd.size());
    assertFalse(bnd.contains("sys_resource"));
    assertTrue(bnd.contains("checkpoint_restore"));
    assertEquals(List.of(), p.capabilities().get("ambient"));
    assertEquals("000001fffeffffff", p.capabilityMasks().get("effective"));
    assertFalse(p.noNewPrivs());
    assertEquals("disabled", p.seccompMode());
    assertEquals(0, p.seccompFilters());
  }

  @Test
  void nestedPidNamespaceAndLockedDownProcess() {
    String status =
        "Name:\tsleep\nState:\tR (running)\nPPid:\t0\nNSpid:\t4242\t7\t1\nUid:\t1000\t1000\t1000\t1000\n"
            + "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
            + "CapBnd:\t00000000a80425fb\nCapAmb:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t2\n";
    ProcessInfo p = ProcessReader.parse(4242, status, "");
    assertEquals(List.of(4242L, 7L, 1L), p.nsPids());
    assertTrue(p.noNewPrivs());
    assertEquals("filter", p.seccompMode());
    assertNull(p.seccompFilters(), "a kernel before 5.9 does not count them");
    assertEquals(
        3,
        ProcessReader.parse(1, status + "Seccomp_filters:\t3\n", "").seccompFilters().intValue());
    assertEquals(List.of(), p.cmdline());
    // docker's default bounding set.
    assertEquals(
        List.of(
            "chown",
            "dac_override",
            "fowner",
            "fsetid",
            "kill",
            "setgid",
            "setuid",
            "setpcap",
            "net_bind_service",
            "net_raw",
            "sys_chroot",
            "mknod",
            "audit_write",
            "setfcap"),
        p.capabilities().get("bounding"));
  }

  @Test
  void garbageGivesNeutralValuesNotExceptions() {
    ProcessInfo p = ProcessReader.parse(9, "NSpid:\tx\nCapEff:\tzz\nSeccomp:\t?\n", "a");
    assertEquals(List.of(9L), p.nsPids());
    assertEquals(List.of(), p.capabilities().get("effective"));
    assertEquals("?", p.state());
    assertEquals(List.of("a"), p.cmdline());
  }

  @Test
  void capabilityTableCoversZeroToForty() {
    assertEquals(41, Capabilities.NAMES.size());
    assertEquals("chown", Capabilities.name(0));
    assertEquals("sys_admin", Capabilities.name(21));
    assertEquals("checkpoint_restore", Capabilities.name(40));
    assertEquals("cap_41", Capabilities.name(41));
    assertEquals(41, Capabilities.decode(0x1ffffffffffL).size());
    assertEquals(List.of("cap_63"), Capabilities.decode(Long.MIN_VALUE));
  }
}
