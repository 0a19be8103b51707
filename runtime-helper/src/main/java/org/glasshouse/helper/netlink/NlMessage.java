package org.glasshouse.helper.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.linux.Call;

/**
 * One rtnetlink request: {@code struct nlmsghdr}, the type's fixed header (ifinfomsg, ifaddrmsg or
 * rtmsg) and its attributes, in host byte order (addresses in network order). Built here, in Java,
 * so the step log can print exactly what goes to the kernel; {@link #describe} writes it the way
 * strace decodes netlink. Immutable.
 */
public final class NlMessage {

  private final int type;
  private final int flags;
  private final byte[] header;
  private final String headerText;
  private final List<NlAttr> attrs;

  private NlMessage(int type, int flags, byte[] header, String headerText, List<NlAttr> attrs) {
    this.type = type;
    this.flags = flags;
    this.header = header;
    this.headerText = headerText;
    this.attrs = List.copyOf(attrs);
  }

  /**
   * A link message (RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK) with an ifinfomsg.
   *
   * @param index the link's ifindex (0: by name, or a new link)
   * @param ifFlags the flags to set ({@link Rtnl#IFF_UP})
   * @param change which flags to change
   */
  public static NlMessage link(
      int type, int flags, int index, int ifFlags, int change, NlAttr... attrs) {
    return new NlMessage(
        type,
        flags,
        ifinfomsg(index, ifFlags, change),
        ifinfoText(index, ifFlags, change),
        List.of(attrs));
  }

  /** An address message (RTM_NEWADDR, RTM_GETADDR) with an ifaddrmsg. */
  public static NlMessage addr(
      int type, int flags, int family, int prefixLen, int scope, int index, NlAttr... attrs) {
    ByteBuffer h = buffer(8);
    h.put((byte) family).put((byte) prefixLen).put((byte) 0).put((byte) scope).putInt(index);
    String text =
        "{ifa_family="
            + familyName(family)
            + ", ifa_prefixlen="
            + prefixLen
            + ", ifa_scope="
            + scope
            + ", ifa_index="
            + index
            + "}";
    return new NlMessage(type, flags, h.array(), text, List.of(attrs));
  }

  /** A route message (RTM_NEWROUTE) with an rtmsg in the main table. */
  public static NlMessage route(
      int type,
      int flags,
      int family,
      int dstLen,
      int protocol,
      int scope,
      int rtType,
      NlAttr... attrs) {
    ByteBuffer h = buffer(12);
    h.put((byte) family)
        .put((byte) dstLen)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) Rtnl.RT_TABLE_MAIN)
        .put((byte) protocol)
        .put((byte) scope)
        .put((byte) rtType)
        .putInt(0);
    String text =
        "{rtm_family="
            + familyName(family)
            + ", rtm_dst_len="
            + dstLen
            + ", rtm_table=RT_TABLE_MAIN, rtm_protocol="
            + (protocol == Rtnl.RTPROT_BOOT ? "RTPROT_BOOT" : String.valueOf(protocol))
            + ", rtm_scope="
            + (scope == Rtnl.RT_SCOPE_UNIVERSE ? "RT_SCOPE_UNIVERSE" : String.valueOf(scope))
            + ", rtm_type="
            + (rtType == Rtnl.RTN_UNICAST ? "RTN_UNICAST" : String.valueOf(rtType))
            + "}";
    return new NlMessage(type, flags, h.array(), text, List.of(attrs));
  }

  /** The 16 bytes of an ifinfomsg (also the head of a veth's {@code VETH_INFO_PEER}). */
  public static byte[] ifinfomsg(int index, int ifFlags, int change) {
    ByteBuffer h = buffer(16);
    h.put((byte) Rtnl.AF_UNSPEC).put((byte) 0).putShort((short) 0);
    h.putInt(index).putInt(ifFlags).putInt(change);
    return h.array();
  }

  public static String ifinfoText(int index, int ifFlags, int change) {
    return "{ifi_family=AF_UNSPEC, ifi_index="
        + index
        + ", ifi_flags="
        + (ifFlags == 0 ? "0" : Rtnl.linkFlags(ifFlags))
        + ", ifi_change="
        + (change == 0 ? "0" : Rtnl.linkFlags(change))
        + "}";
  }

  private static String familyName(int family) {
    return family == Rtnl.AF_INET ? "AF_INET" : family == 0 ? "AF_UNSPEC" : String.valueOf(family);
  }

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
  }

  /** The message type ({@link Rtnl#RTM_NEWLINK}). */
  public int type() {
    return type;
  }

  /** The header flags. */
  public int flags() {
    return flags;
  }

  /** The attributes, in order. */
  public List<NlAttr> attrs() {
    return attrs;
  }

  /** The bytes sent, with sequence number {@code seq} and port id 0 (the kernel assigns ours). */
  public byte[] encode(int seq) {
    int len = 16 + header.length;
    for (NlAttr a : attrs) {
      len += NlAttr.align(a.length());
    }
    ByteBuffer b = buffer(len);
    b.putInt(len).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
    b.put(header);
    for (NlAttr a : attrs) {
      a.encode(b);
    }
    return b.array();
  }

  /**
   * The request as a human reads it: {@code NLM_F_REQUEST|NLM_F_ACK|NLM_F_EXCL|NLM_F_CREATE,
   * {ifi_family=AF_UNSPEC, …}, [IFLA_IFNAME "gh0", IFLA_LINKINFO [IFLA_INFO_KIND "bridge"]]}.
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    for (NlAttr a : attrs) {
      parts.add(a.describe());
    }
    return Rtnl.flagNames(flags, type)
        + ", "
        + headerText
        + (parts.isEmpty() ? "" : ", [" + String.join(", ", parts) + "]");
  }

  /**
   * The request as its step entry and its error both name it: {@code RTM_NEWLINK(NLM_F_REQUEST|…,
   * {…}, [IFLA_IFNAME "gh0", …])}.
   */
  public Call call() {
    return Call.rtnetlink(Rtnl.typeName(type), describe());
  }

  @Override
  public String toString() {
    return call().toString();
  }
}
