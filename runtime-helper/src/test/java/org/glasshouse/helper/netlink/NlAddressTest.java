package org.glasshouse.helper.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** RTM_NEWADDR of both families, and IPv6 written as ip (inet_ntop) writes it. */
class NlAddressTest {

  private static byte[] v6(String s) throws Exception {
    return InetAddress.getByName(s).getAddress();
  }

  @Test
  void ipv6InItsShortForm() throws Exception {
    assertEquals("::1", NlParser.ipv6(v6("0:0:0:0:0:0:0:1")));
    assertEquals("::", NlParser.ipv6(new byte[16]));
    assertEquals("fe80::5054:ff:fe12:3456", NlParser.ipv6(v6("fe80:0:0:0:5054:ff:fe12:3456")));
    assertEquals("2001:db8::1:0:0:1", NlParser.ipv6(v6("2001:db8:0:0:1:0:0:1")));
    assertEquals("2001:db8:0:1:1:1:1:1", NlParser.ipv6(v6("2001:db8:0:1:1:1:1:1")));
    assertEquals("1::", NlParser.ipv6(v6("1:0:0:0:0:0:0:0")));
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 10;
    mapped[15] = 2;
    assertEquals("::ffff:10.0.0.2", NlParser.ipv6(mapped));
    assertThrows(IllegalArgumentException.class, () -> NlParser.ipv6(new byte[4]));
  }

  /** An RTM_NEWADDR: ifaddrmsg, then IFA_ADDRESS (and IFA_LOCAL for IPv4). */
  private static NlParser.Message newaddr(int family, int prefix, int index, int type, byte[] a) {
    ByteBuffer b =
        ByteBuffer.allocate(8 + NlAttr.align(4 + a.length)).order(ByteOrder.nativeOrder());
    b.put((byte) family).put((byte) prefix).put((byte) 0).put((byte) 0).putInt(index);
    b.putShort((short) (4 + a.length)).putShort((short) type).put(a);
    return new NlParser.Message(Rtnl.RTM_NEWADDR, 0, 1, b.array());
  }

  @Test
  void addressesOfEitherFamily() throws Exception {
    NlParser.Address v4 =
        NlParser.address(newaddr(Rtnl.AF_INET, 8, 1, Rtnl.IFA_LOCAL, new byte[] {127, 0, 0, 1}));
    assertEquals(new NlParser.Address(Rtnl.AF_INET, 8, 1, "127.0.0.1"), v4);
    assertEquals("127.0.0.1/8", v4.withPrefix());
    NlParser.Address six =
        NlParser.address(newaddr(Rtnl.AF_INET6, 128, 1, Rtnl.IFA_ADDRESS, v6("::1")));
    assertEquals("::1/128", six.withPrefix());
    assertNull(NlParser.address(newaddr(Rtnl.AF_INET, 8, 1, Rtnl.IFA_LABEL, new byte[0])).local());
    assertThrows(
        IllegalArgumentException.class,
        () -> NlParser.address(new NlParser.Message(Rtnl.RTM_NEWADDR, 0, 1, new byte[3])));
  }
}
