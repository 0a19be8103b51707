package org.glasshouse.helper.runtime.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the kernel answers on a {@code NETLINK_ROUTE} socket: a datagram holds one or more
 * messages; an {@code NLMSG_ERROR} is an acknowledgement (error 0) or a refusal (a negative errno,
 * with the kernel's own sentence when extended acks are on); a GET answers with RTM_NEWLINK or
 * RTM_NEWADDR messages, a dump ends with {@code NLMSG_DONE}. Stateless; malformed input is an
 * {@link IllegalArgumentException} naming the offset, never an index error.
 */
public final class NlParser {
  private NlParser() {}

  /**
   * One message of a datagram.
   *
   * @param type {@link Rtnl#NLMSG_ERROR}, {@link Rtnl#RTM_NEWLINK} …
   * @param flags header flags
   * @param seq the request's sequence number it answers
   * @param payload everything after the 16-byte header
   */
  public record Message(int type, int flags, int seq, byte[] payload) {}

  /**
   * An {@code NLMSG_ERROR}.
   *
   * @param error 0 for an acknowledgement, else the negative errno
   * @param extack the kernel's explanation ({@code NLMSGERR_ATTR_MSG}), or null
   * @param requestType the type of the request it answers
   */
  public record Ack(int error, String extack, int requestType) {
    /** Whether the request succeeded. */
    public boolean ok() {
      return error == 0;
    }
  }

  /**
   * A link as RTM_NEWLINK describes it.
   *
   * @param index ifindex
   * @param name IFLA_IFNAME
   * @param flags ifi_flags ({@link Rtnl#IFF_UP} …)
   * @param mtu IFLA_MTU, or null
   * @param operState IFLA_OPERSTATE as ip prints it ({@code UP}), or null
   * @param mac IFLA_ADDRESS as {@code aa:bb:…}, or null
   * @param master IFLA_MASTER (a bridge port's bridge), or null
   * @param kind IFLA_LINKINFO/IFLA_INFO_KIND ({@code veth}, {@code bridge}), or null
   * @param peerIndex IFLA_LINK (a veth's peer ifindex, in the peer's namespace), or null
   * @param rxBytes IFLA_STATS64 rx_bytes, or null
   * @param txBytes IFLA_STATS64 tx_bytes, or null
   * @param rxPackets IFLA_STATS64 rx_packets, or null
   * @param txPackets IFLA_STATS64 tx_packets, or null
   */
  public record Link(
      int index,
      String name,
      int flags,
      Integer mtu,
      String operState,
      String mac,
      Integer master,
      String kind,
      Integer peerIndex,
      Long rxBytes,
      Long txBytes,
      Long rxPackets,
      Long txPackets) {}

  /**
   * An address as RTM_NEWADDR describes it (IPv4 only; other families have null addresses).
   *
   * @param family AF_INET …
   * @param prefixLen the prefix length
   * @param index the link's ifindex
   * @param local IFA_LOCAL, or null
   * @param label IFA_LABEL (the link's name), or null
   */
  public record Addr(int family, int prefixLen, int index, Ipv4 local, String label) {}

  /** Splits a datagram into its messages. */
  public static List<Message> messages(byte[] datagram) {
    List<Message> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
    int off = 0;
    while (datagram.length - off >= 16) {
      int len = b.getInt(off);
      if (len < 16 || len > datagram.length - off) {
        throw new IllegalArgumentException(
            "netlink message at offset "
                + off
                + " claims "
                + len
                + " bytes of "
                + (datagram.length - off));
      }
      int type = b.getShort(off + 4) & 0xffff;
      int flags = b.getShort(off + 6) & 0xffff;
      int seq = b.getInt(off + 8);
      byte[] payload = new byte[len - 16];
      System.arraycopy(datagram, off + 16, payload, 0, payload.length);
      out.add(new Message(type, flags, seq, payload));
      off += NlAttr.align(len);
    }
    return out;
  }

  /** Reads an NLMSG_ERROR's payload: errno, the echoed request header, extended-ack attributes. */
  public static Ack ack(Message m) {
    if (m.type() != Rtnl.NLMSG_ERROR || m.payload().length < 20) {
      throw new IllegalArgumentException(
          "not an NLMSG_ERROR of at least 20 bytes: type " + m.type() + ", " + m.payload().length);
    }
    ByteBuffer b = ByteBuffer.wrap(m.payload()).order(ByteOrder.nativeOrder());
    int error = b.getInt(0);
    int echoedLen = b.getInt(4);
    int requestType = b.getShort(8) & 0xffff;
    String extack = null;
    if ((m.flags() & Rtnl.NLM_F_ACK_TLVS) != 0) {
      // The request is echoed in full unless CAPPED (then only its header); the TLVs follow it.
      int tlvs = 4 + ((m.flags() & Rtnl.NLM_F_CAPPED) != 0 ? 16 : NlAttr.align(echoedLen));
      if (tlvs <= m.payload().length) {
        byte[] msg = attrs(m.payload(), tlvs).get(1);
        if (msg != null) {
          extack = cString(msg);
        }
      }
    }
    return new Ack(error, extack, requestType);
  }

  /** Reads an RTM_NEWLINK. */
  public static Link link(Message m) {
    ByteBuffer b = ByteBuffer.wrap(m.payload()).order(ByteOrder.nativeOrder());
    need(m, 16);
    int index = b.getInt(4);
    int flags = b.getInt(8);
    Map<Integer, byte[]> a = attrs(m.payload(), 16);
    String kind = null;
    if (a.containsKey(Rtnl.IFLA_LINKINFO)) {
      byte[] k = attrs(a.get(Rtnl.IFLA_LINKINFO), 0).get(Rtnl.IFLA_INFO_KIND);
      kind = k == null ? null : cString(k);
    }
    Integer oper =
        u32(a.get(Rtnl.IFLA_OPERSTATE) == null ? null : widen(a.get(Rtnl.IFLA_OPERSTATE)));
    byte[] stats = a.get(Rtnl.IFLA_STATS64);
    ByteBuffer s =
        stats != null && stats.length >= 32
            ? ByteBuffer.wrap(stats).order(ByteOrder.nativeOrder())
            : null;
    return new Link(
        index,
        a.containsKey(Rtnl.IFLA_IFNAME) ? cString(a.get(Rtnl.IFLA_IFNAME)) : null,
        flags,
        u32(a.get(Rtnl.IFLA_MTU)),
        oper == null
            ? null
            : oper < Rtnl.OPERSTATES.length ? Rtnl.OPERSTATES[oper] : String.valueOf(oper),
        a.containsKey(Rtnl.IFLA_ADDRESS) ? mac(a.get(Rtnl.IFLA_ADDRESS)) : null,
        u32(a.get(Rtnl.IFLA_MASTER)),
        kind,
        u32(a.get(Rtnl.IFLA_LINK)),
        s == null ? null : s.getLong(16),
        s == null ? null : s.getLong(24),
        s == null ? null : s.getLong(0),
        s == null ? null : s.getLong(8));
  }

  /** Reads an RTM_NEWADDR. */
  public static Addr addr(Message m) {
    need(m, 8);
    byte[] p = m.payload();
    int family = p[0] & 0xff;
    int prefix = p[1] & 0xff;
    int index = ByteBuffer.wrap(p, 4, 4).order(ByteOrder.nativeOrder()).getInt();
    Map<Integer, byte[]> a = attrs(p, 8);
    byte[] local = a.getOrDefault(Rtnl.IFA_LOCAL, a.get(Rtnl.IFA_ADDRESS));
    return new Addr(
        family,
        prefix,
        index,
        family == Rtnl.AF_INET && local != null && local.length == 4 ? Ipv4.of(local, 0) : null,
        a.containsKey(Rtnl.IFA_LABEL) ? cString(a.get(Rtnl.IFA_LABEL)) : null);
  }

  /** The attributes of a region from {@code off} on: type (nested flag cleared) → first value. */
  static Map<Integer, byte[]> attrs(byte[] p, int off) {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
    while (p.length - off >= 4) {
      int len = b.getShort(off) & 0xffff;
      int type = b.getShort(off + 2) & 0x3fff;
      if (len < 4 || len > p.length - off) {
        throw new IllegalArgumentException(
            "netlink attribute at offset "
                + off
                + " claims "
                + len
                + " bytes of "
                + (p.length - off));
      }
      byte[] v = new byte[len - 4];
      System.arraycopy(p, off + 4, v, 0, v.length);
      out.putIfAbsent(type, v);
      off += NlAttr.align(len);
    }
    return out;
  }

  private static void need(Message m, int n) {
    if (m.payload().length < n) {
      throw new IllegalArgumentException(
          Rtnl.typeName(m.type()) + " of " + m.payload().length + " bytes: needs " + n);
    }
  }

  private static byte[] widen(byte[] oneByte) {
    return oneByte.length >= 4
        ? oneByte
        : new byte[] {oneByte.length > 0 ? oneByte[0] : 0, 0, 0, 0};
  }

  private static Integer u32(byte[] v) {
    return v == null || v.length < 4
        ? null
        : ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt();
  }

  private static String cString(byte[] v) {
    int n = 0;
    while (n < v.length && v[n] != 0) {
      n++;
    }
    return new String(v, 0, n, StandardCharsets.UTF_8);
  }

  private static String mac(byte[] v) {
    return HexFormat.ofDelimiter(":").formatHex(v);
  }
}
