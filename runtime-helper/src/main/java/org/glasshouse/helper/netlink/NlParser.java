package org.glasshouse.helper.netlink;

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

  /**
   * An RTM_NEWADDR's ifaddrmsg and attributes, read once for {@link #addr} and {@link #address}.
   */
  private record RawAddr(int family, int prefixLen, int index, byte[] local, String label) {}

  private static RawAddr rawAddr(Message m) {
    need(m, 8);
    byte[] p = m.payload();
    Map<Integer, byte[]> a = attrs(p, 8);
    return new RawAddr(
        p[0] & 0xff,
        p[1] & 0xff,
        ByteBuffer.wrap(p, 4, 4).order(ByteOrder.nativeOrder()).getInt(),
        a.getOrDefault(Rtnl.IFA_LOCAL, a.get(Rtnl.IFA_ADDRESS)),
        a.containsKey(Rtnl.IFA_LABEL) ? cString(a.get(Rtnl.IFA_LABEL)) : null);
  }

  /** Reads an RTM_NEWADDR, its local address as an {@link Ipv4} (null for another family). */
  public static Addr addr(Message m) {
    RawAddr r = rawAddr(m);
    return new Addr(
        r.family(),
        r.prefixLen(),
        r.index(),
        r.family() == Rtnl.AF_INET && r.local() != null && r.local().length == 4
            ? Ipv4.of(r.local(), 0)
            : null,
        r.label());
  }

  /**
   * An address of any family as {@code ip addr} prints it.
   *
   * @param family AF_INET, AF_INET6 …
   * @param prefixLen the prefix length
   * @param index the link's ifindex
   * @param local IFA_LOCAL, else IFA_ADDRESS, as text ({@code 10.0.0.2}, {@code fe80::1}); for a
   *     family other than IPv4 and IPv6, its bytes in hex; null when the message has neither
   */
  public record Address(int family, int prefixLen, int index, String local) {
    /** {@code local/prefixLen}, ip's {@code local} and {@code prefixlen} joined. */
    public String withPrefix() {
      return local + "/" + prefixLen;
    }
  }

  /** Reads an RTM_NEWADDR of any family: IPv4 dotted, IPv6 in RFC 5952's short form. */
  public static Address address(Message m) {
    RawAddr r = rawAddr(m);
    byte[] local = r.local();
    String text = null;
    if (local != null) {
      if (r.family() == Rtnl.AF_INET && local.length == 4) {
        text = Ipv4.of(local, 0).toString();
      } else if (r.family() == Rtnl.AF_INET6 && local.length == 16) {
        text = ipv6(local);
      } else {
        text = HexFormat.of().formatHex(local);
      }
    }
    return new Address(r.family(), r.prefixLen(), r.index(), text);
  }

  /**
   * Sixteen bytes as RFC 5952 (and ip, through inet_ntop) write them: lower-case hex groups without
   * leading zeros, the longest run of two or more zero groups (the first of equal ones) as {@code
   * ::}, and an IPv4-mapped address ({@code ::ffff:a.b.c.d}) with its IPv4 part dotted.
   */
  public static String ipv6(byte[] b) {
    if (b.length != 16) {
      throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + b.length);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    boolean mapped =
        g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
    int groups = mapped ? 6 : 8;
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < groups; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < groups && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < groups; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLen - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(g[i]));
    }
    if (mapped) {
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Ipv4.of(b, 12));
    }
    return s.toString();
  }

  /** The attributes of a region from {@code off} on: type (nested flag cleared) → first value. */
  public static Map<Integer, byte[]> attrs(byte[] p, int off) {
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
