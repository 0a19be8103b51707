package org.glasshouse.helper.runtime.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.glasshouse.helper.netlink.Ipv4;
import org.glasshouse.helper.netlink.NlAttr;
import org.glasshouse.helper.netlink.NlMessage;
import org.glasshouse.helper.netlink.NlParser;
import org.glasshouse.helper.netlink.Rtnl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java rtnetlink messages against the bytes {@code ip} sent to a real kernel for the same
 * requests, and the parser against what that kernel answered ({@code ip-capture.txt}).
 */
class NetlinkMessagesTest {
  static IpCapture cap;

  static final int REQ_ACK = Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK;
  static final int CREATE = REQ_ACK | Rtnl.NLM_F_EXCL | Rtnl.NLM_F_CREATE;

  @BeforeAll
  static void load() throws Exception {
    cap = IpCapture.load();
  }

  private static void sameAsIp(String block, NlMessage m) {
    byte[] ip = cap.lastSent(block);
    byte[] ours = m.encode(IpCapture.seq(ip));
    assertArrayEquals(
        Arrays.copyOf(ip, ours.length),
        ours,
        block
            + ": ours "
            + HexFormat.of().formatHex(ours)
            + "\n ip's "
            + HexFormat.of().formatHex(ip));
    assertEquals(ip[0] & 0xff, ours.length, block + ": nlmsg_len");
  }

  @Test
  void theBridgeRequestsAreByteForByteWhatIpSends() {
    sameAsIp(
        "bridge-create",
        NlMessage.link(
            Rtnl.RTM_NEWLINK,
            CREATE,
            0,
            0,
            0,
            NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", "ghbr0"),
            NlAttr.nested(
                Rtnl.IFLA_LINKINFO,
                "IFLA_LINKINFO",
                NlAttr.chars(Rtnl.IFLA_INFO_KIND, "IFLA_INFO_KIND", "bridge"))));
    sameAsIp(
        "bridge-address",
        NlMessage.addr(
            Rtnl.RTM_NEWADDR,
            CREATE,
            Rtnl.AF_INET,
            24,
            0,
            2,
            NlAttr.ipv4(Rtnl.IFA_LOCAL, "IFA_LOCAL", Ipv4.parse("10.87.0.1")),
            NlAttr.ipv4(Rtnl.IFA_ADDRESS, "IFA_ADDRESS", Ipv4.parse("10.87.0.1"))));
    sameAsIp("bridge-up", NlMessage.link(Rtnl.RTM_NEWLINK, REQ_ACK, 2, Rtnl.IFF_UP, Rtnl.IFF_UP));
  }

  @Test
  void theVethRequestsAreByteForByteWhatIpSends() {
    // ip names the peer's namespace by pid; the helper passes an fd (IFLA_NET_NS_FD) in the same
    // place, so only the attribute type and value differ.
    sameAsIp(
        "veth-create",
        NlMessage.link(
            Rtnl.RTM_NEWLINK,
            CREATE,
            0,
            0,
            0,
            NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", "ghveth0"),
            NlAttr.nested(
                Rtnl.IFLA_LINKINFO,
                "IFLA_LINKINFO",
                NlAttr.chars(Rtnl.IFLA_INFO_KIND, "IFLA_INFO_KIND", "veth"),
                NlAttr.nested(
                    Rtnl.IFLA_INFO_DATA,
                    "IFLA_INFO_DATA",
                    NlAttr.nestedWithHeader(
                        Rtnl.VETH_INFO_PEER,
                        "VETH_INFO_PEER",
                        NlMessage.ifinfomsg(0, 0, 0),
                        NlMessage.ifinfoText(0, 0, 0),
                        NlAttr.u32(Rtnl.IFLA_NET_NS_PID, "IFLA_NET_NS_PID", 25547),
                        NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", "eth0"))))));
    sameAsIp(
        "veth-master-up",
        NlMessage.link(
            Rtnl.RTM_NEWLINK,
            REQ_ACK,
            3,
            Rtnl.IFF_UP,
            Rtnl.IFF_UP,
            NlAttr.u32(Rtnl.IFLA_MASTER, "IFLA_MASTER", 2)));
    sameAsIp("veth-delete", NlMessage.link(Rtnl.RTM_DELLINK, REQ_ACK, 3, 0, 0));
  }

  @Test
  void theContainerSideRequestsAreByteForByteWhatIpSends() {
    sameAsIp("lo-up", NlMessage.link(Rtnl.RTM_NEWLINK, REQ_ACK, 1, Rtnl.IFF_UP, Rtnl.IFF_UP));
    sameAsIp(
        "eth0-address",
        NlMessage.addr(
            Rtnl.RTM_NEWADDR,
            CREATE,
            Rtnl.AF_INET,
            24,
            0,
            2,
            NlAttr.ipv4(Rtnl.IFA_LOCAL, "IFA_LOCAL", Ipv4.parse("10.87.0.2")),
            NlAttr.ipv4(Rtnl.IFA_ADDRESS, "IFA_ADDRESS", Ipv4.parse("10.87.0.2"))));
    sameAsIp("eth0-up", NlMessage.link(Rtnl.RTM_NEWLINK, REQ_ACK, 2, Rtnl.IFF_UP, Rtnl.IFF_UP));
    sameAsIp(
        "default-route",
        NlMessage.route(
            Rtnl.RTM_NEWROUTE,
            CREATE,
            Rtnl.AF_INET,
            0,
            Rtnl.RTPROT_BOOT,
            Rtnl.RT_SCOPE_UNIVERSE,
            Rtnl.RTN_UNICAST,
            NlAttr.ipv4(Rtnl.RTA_GATEWAY, "RTA_GATEWAY", Ipv4.parse("10.87.0.1"))));
  }

  @Test
  void theLookupsAreWhatIpSends() {
    // ip's name lookup before "ip link set ghveth0 master ghbr0 up": the first GETLINK of it.
    byte[] lookup = cap.block("veth-master-up").get(2).bytes();
    byte[] ours =
        NlMessage.link(
                Rtnl.RTM_GETLINK,
                Rtnl.NLM_F_REQUEST,
                0,
                0,
                0,
                NlAttr.u32(Rtnl.IFLA_EXT_MASK, "IFLA_EXT_MASK", 9),
                NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", "ghbr0"))
            .encode(IpCapture.seq(lookup));
    assertArrayEquals(lookup, ours);
    byte[] dump = cap.lastSent("addr-dump");
    byte[] ourDump =
        NlMessage.addr(Rtnl.RTM_GETADDR, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, 0, 0, 0, 0)
            .encode(IpCapture.seq(dump));
    assertArrayEquals(Arrays.copyOf(dump, ourDump.length), ourDump);
  }

  @Test
  void anAcknowledgementIsErrorZeroWithTheRequestHeaderEchoed() {
    List<NlParser.Message> ms = NlParser.messages(cap.answer("bridge-create"));
    assertEquals(1, ms.size());
    NlParser.Message m = ms.get(0);
    assertEquals(Rtnl.NLMSG_ERROR, m.type());
    assertEquals(IpCapture.seq(cap.lastSent("bridge-create")), m.seq());
    assertEquals(Rtnl.NLM_F_CAPPED, m.flags(), "only the request's header is echoed");
    NlParser.Ack a = NlParser.ack(m);
    assertTrue(a.ok());
    assertEquals(Rtnl.RTM_NEWLINK, a.requestType());
    assertNull(a.extack());
  }

  @Test
  void aRefusalCarriesTheErrnoAndTheKernelsOwnSentence() {
    NlParser.Ack exists = NlParser.ack(NlParser.messages(cap.answer("bridge-exists")).get(0));
    assertEquals(-17, exists.error(), "EEXIST");
    assertNull(exists.extack());
    NlParser.Ack unreachable =
        NlParser.ack(NlParser.messages(cap.answer("route-unreachable")).get(0));
    assertEquals(-101, unreachable.error(), "ENETUNREACH");
    assertEquals("Nexthop has invalid gateway", unreachable.extack());
    assertEquals(Rtnl.RTM_NEWROUTE, unreachable.requestType());
  }

  @Test
  void aLinkAnswerGivesNameMasterKindStateAndTheCountersIpPrinted() {
    // ip -s link show asks three times: a probe, a name lookup, then the link with its stats (the
    // answer read here); a fourth GETLINK fetches the master's name.
    NlParser.Link l = NlParser.link(NlParser.messages(cap.answerTo("link-show", 2)).get(0));
    assertEquals(3, l.index());
    assertEquals("ghveth0", l.name());
    assertEquals(Integer.valueOf(2), l.master(), "a port of ghbr0 (ifindex 2)");
    assertEquals("veth", l.kind());
    assertEquals("UP", l.operState());
    assertEquals(Integer.valueOf(1500), l.mtu());
    assertEquals(Integer.valueOf(2), l.peerIndex(), "eth0 is ifindex 2 in the container");
    assertEquals("72:a2:86:d5:c4:8a", l.mac());
    assertTrue((l.flags() & Rtnl.IFF_UP) != 0);
    // What ip -s printed under RX and TX: bytes, packets.
    List<String> printed = cap.printed("link-show");
    String rx =
        printed.get(
            printed.indexOf(
                    printed.stream().filter(x -> x.startsWith("RX:")).findFirst().orElseThrow())
                + 1);
    String tx =
        printed.get(
            printed.indexOf(
                    printed.stream().filter(x -> x.startsWith("TX:")).findFirst().orElseThrow())
                + 1);
    assertEquals(Long.parseLong(rx.split("\\s+")[0]), l.rxBytes());
    assertEquals(Long.parseLong(rx.split("\\s+")[1]), l.rxPackets());
    assertEquals(Long.parseLong(tx.split("\\s+")[0]), l.txBytes());
    assertEquals(Long.parseLong(tx.split("\\s+")[1]), l.txPackets());
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no line starting with " + prefix + " in " + lines);
  }

  @Test
  void anAddressDumpIsRtmNewaddrsThenDone() {
    List<IpCapture.Datagram> b = cap.block("addr-dump");
    List<NlParser.Message> all =
        b.stream()
            .filter(d -> !d.sent())
            .flatMap(d -> NlParser.messages(d.bytes()).stream())
            .filter(m -> m.seq() == IpCapture.seq(cap.lastSent("addr-dump")))
            .toList();
    List<NlParser.Addr> v4 =
        all.stream()
            .filter(m -> m.type() == Rtnl.RTM_NEWADDR)
            .map(NlParser::addr)
            .filter(a -> a.family() == Rtnl.AF_INET)
            .toList();
    assertEquals(1, v4.size(), all.toString());
    assertEquals("10.87.0.1", v4.get(0).local().toString());
    assertEquals(24, v4.get(0).prefixLen());
    assertEquals("ghbr0", v4.get(0).label());
    assertEquals(2, v4.get(0).index());
    assertTrue(all.stream().allMatch(m -> (m.flags() & Rtnl.NLM_F_MULTI) != 0));
  }

  @Test
  void malformedAnswersAreRefusedWithTheOffsetNotAnIndexError() {
    byte[] ack = cap.answer("bridge-create");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NlParser.messages(Arrays.copyOf(ack, ack.length - 4)));
    assertTrue(e.getMessage().contains("offset 0"), e.getMessage());
    byte[] link = cap.answerTo("link-show", 2).clone();
    link[32] = (byte) 0xff; // the first attribute's length, past the end
    link[33] = (byte) 0x7f;
    NlParser.Message m = NlParser.messages(link).get(0);
    assertThrows(IllegalArgumentException.class, () -> NlParser.link(m));
  }

  @Test
  void aRequestReadsTheWayStraceDecodesIt() {
    NlMessage m =
        NlMessage.link(
            Rtnl.RTM_NEWLINK,
            CREATE,
            0,
            0,
            0,
            NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", "glasshouse0"),
            NlAttr.nested(
                Rtnl.IFLA_LINKINFO,
                "IFLA_LINKINFO",
                NlAttr.chars(Rtnl.IFLA_INFO_KIND, "IFLA_INFO_KIND", "bridge")));
    assertEquals(
        "RTM_NEWLINK(NLM_F_REQUEST|NLM_F_ACK|NLM_F_EXCL|NLM_F_CREATE, {ifi_family=AF_UNSPEC,"
            + " ifi_index=0, ifi_flags=0, ifi_change=0}, [IFLA_IFNAME \"glasshouse0\","
            + " IFLA_LINKINFO [IFLA_INFO_KIND \"bridge\"]])",
        m.toString());
    assertEquals(
        "NLM_F_REQUEST|NLM_F_DUMP",
        Rtnl.flagNames(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, Rtnl.RTM_GETADDR));
    assertEquals("UP|LOWER_UP", Rtnl.linkFlags(Rtnl.IFF_UP | Rtnl.IFF_LOWER_UP));
  }

  @Test
  void subnetsAreParsedCheckedAndStepped() {
    Cidr c = Cidr.parse("10.87.0.0/24");
    assertEquals("10.87.0.1", c.host(1).toString());
    assertEquals("10.87.1.0/24", c.next(1).toString());
    assertEquals(253, c.containerAddresses());
    assertTrue(c.overlaps(Ipv4.parse("10.87.0.1"), 24));
    assertTrue(c.overlaps(Ipv4.parse("10.1.2.3"), 8), "inside a /8 the host already routes");
    assertTrue(!c.overlaps(Ipv4.parse("10.87.1.1"), 24));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("8.8.8.0/24"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.87.0.1/24"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.87.0.0/31"));
    assertThrows(IllegalArgumentException.class, () -> Ipv4.parse("10.87.0.256"));
    assertEquals("glasshouse0", NetworkConfig.bridgeFor(NetworkConfig.DEFAULT_STATE_DIR));
    String other = NetworkConfig.bridgeFor(java.nio.file.Path.of("/tmp/glasshouse-test-1"));
    assertTrue(other.matches("gh-[0-9a-f]{8}") && other.length() <= 15, other);
    assertEquals(14, NetworkConfig.hostEnd("3f9a0c11b2d4").length());
  }
}
