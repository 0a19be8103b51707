package org.glasshouse.helper.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.glasshouse.helper.inspect.NetworkReader;
import org.junit.jupiter.api.Test;

/** The one table of link flag names: the kernel's bits, and both orders drawn from it. */
class LinkFlagTest {

  @Test
  void theBitsAreTheKernels() {
    // net/if.h: IFF_UP 0x1, IFF_LOOPBACK 0x8, IFF_RUNNING 0x40, IFF_MULTICAST 0x1000,
    // IFF_LOWER_UP 0x10000, IFF_ECHO 0x40000.
    assertEquals(0x1, LinkFlag.UP.bit());
    assertEquals(0x8, LinkFlag.LOOPBACK.bit());
    assertEquals(0x40, LinkFlag.RUNNING.bit());
    assertEquals(0x1000, LinkFlag.MULTICAST.bit());
    assertEquals(0x10000, LinkFlag.LOWER_UP.bit());
    assertEquals(0x40000, LinkFlag.ECHO.bit());
    assertEquals(Rtnl.IFF_UP, LinkFlag.UP.bit());
    assertEquals(Rtnl.IFF_LOOPBACK, LinkFlag.LOOPBACK.bit());
    assertEquals(Rtnl.IFF_LOWER_UP, LinkFlag.LOWER_UP.bit());
  }

  @Test
  void ipsOrderNamesEveryFlagButRunningOnce() {
    Set<LinkFlag> expected = EnumSet.allOf(LinkFlag.class);
    expected.remove(LinkFlag.RUNNING);
    assertEquals(expected.size(), LinkFlag.IP_ORDER.size());
    assertEquals(expected, EnumSet.copyOf(LinkFlag.IP_ORDER));
  }

  @Test
  void theTraceWritesBitOrderAndIpItsOwn() {
    int flags = LinkFlag.UP.bit() | LinkFlag.LOOPBACK.bit() | LinkFlag.RUNNING.bit();
    assertEquals("UP|LOOPBACK|RUNNING", Rtnl.linkFlags(flags));
    assertEquals(List.of("LOOPBACK", "UP"), NetworkReader.flags(flags));
    assertEquals(List.of("NO-CARRIER", "UP", "80000"), NetworkReader.flags(0x1 | 0x80000));
  }
}
