package org.glasshouse.helper.mountinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.glasshouse.helper.inspect.Fixtures;
import org.junit.jupiter.api.Test;

class MountInfoParserTest {

  @Test
  void parsesTheMountinfoCapturedOnThisMachine() {
    MountInfoParser.Result r = MountInfoParser.parseTotal(Fixtures.text("proc/mountinfo"));
    assertTrue(r.malformed().isEmpty(), r.malformed().toString());
    MountEntry root =
        r.entries().stream().filter(e -> e.mountPoint().equals("/")).findFirst().orElseThrow();
    assertEquals("ext4", root.fsType());
    assertEquals("/dev/vda", root.source());
    assertEquals(254, root.major());
    MountEntry v2 =
        r.entries().stream().filter(e -> e.fsType().equals("cgroup2")).findFirst().orElseThrow();
    assertEquals("/sys/fs/cgroup/unified", v2.mountPoint());
  }

  @Test
  void decodesEscapesAndEveryOptionalField() {
    MountEntry e =
        MountInfoParser.parseLine(
            "36 35 98:0 /mnt\\040dir /my\\011mnt\\134x rw,noatime shared:1 master:2 propagate_from:3"
                + " unbindable - ext3 /dev/my\\040disk rw,errors=continue");
    assertEquals("/mnt dir", e.root());
    assertEquals("/my\tmnt\\x", e.mountPoint());
    assertEquals("/dev/my disk", e.source());
    assertEquals(Optional.of(1), e.sharedPeerGroup());
    assertEquals(Optional.of(2), e.masterPeerGroup());
    assertEquals(Optional.of(3), e.propagateFrom());
    assertTrue(e.unbindable());
    assertEquals("unbindable", e.propagation());
    assertEquals(
        List.of("shared:1", "master:2", "propagate_from:3", "unbindable"), e.optionalFields());
  }

  @Test
  void propagationNamesAsFindmntPrintsThem() {
    assertEquals("shared,slave", line("shared:4 master:1").propagation());
    assertEquals("slave", line("master:1").propagation());
    assertEquals("private", line("").propagation());
  }

  @Test
  void totalParseSetsMalformedLinesAsideAndKeepsTheRest() {
    MountInfoParser.Result r =
        MountInfoParser.parseTotal(
            "22 27 0:21 / /proc rw - proc proc rw\n"
                + "garbage line without separator\n"
                + "x 27 0:21 / /p rw - proc proc rw\n"
                + "\n"
                + "23 27 0:22 / /sys rw - sysfs sysfs rw\n");
    assertEquals(2, r.entries().size());
    assertEquals(2, r.malformed().size());
    assertTrue(r.malformed().get(0).startsWith("line 2:"), r.malformed().get(0));
    assertThrows(IllegalArgumentException.class, () -> MountInfoParser.parse("1 2 3"));
  }

  @Test
  void missingSuperOptionsAreEmptyNotAnError() {
    MountEntry e = MountInfoParser.parseLine("22 27 0:21 / /proc rw - proc proc");
    assertEquals("", e.superOptions());
    assertFalse(e.unbindable());
  }

  static MountEntry line(String optional) {
    return MountInfoParser.parseLine(
        "22 27 0:21 / /proc rw " + (optional.isEmpty() ? "" : optional + " ") + "- proc proc rw");
  }
}
