package org.glasshouse.helper.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One netlink attribute of a request ({@code struct rtattr}: u16 length, u16 type, the value,
 * padded to 4 bytes), with the name and the value as a human writes them, for the step log.
 * Immutable.
 */
public final class NlAttr {

  private enum Kind {
    STRING,
    CHARS,
    U32,
    IPV4,
    NESTED
  }

  private final int type;
  private final String name;
  private final Kind kind;
  private final byte[] value;
  private final String text;
  private final byte[] header;
  private final String headerText;
  private final List<NlAttr> children;

  private NlAttr(
      int type,
      String name,
      Kind kind,
      byte[] value,
      String text,
      byte[] header,
      String headerText,
      List<NlAttr> children) {
    this.type = type;
    this.name = name;
    this.kind = kind;
    this.value = value;
    this.text = text;
    this.header = header;
    this.headerText = headerText;
    this.children = children;
  }

  /** A NUL-terminated string ({@code IFLA_IFNAME}). */
  public static NlAttr string(int type, String name, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] z = new byte[b.length + 1];
    System.arraycopy(b, 0, z, 0, b.length);
    return new NlAttr(type, name, Kind.STRING, z, "\"" + s + "\"", null, null, List.of());
  }

  /** A string without terminator ({@code IFLA_INFO_KIND}, as ip sends it). */
  public static NlAttr chars(int type, String name, String s) {
    return new NlAttr(
        type,
        name,
        Kind.CHARS,
        s.getBytes(StandardCharsets.UTF_8),
        "\"" + s + "\"",
        null,
        null,
        List.of());
  }

  /** A host-order u32 ({@code IFLA_MASTER}, {@code IFLA_NET_NS_FD}). */
  public static NlAttr u32(int type, String name, int v) {
    byte[] b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    return new NlAttr(type, name, Kind.U32, b, Integer.toUnsignedString(v), null, null, List.of());
  }

  /** An IPv4 address in network order ({@code IFA_LOCAL}, {@code RTA_GATEWAY}). */
  public static NlAttr ipv4(int type, String name, Ipv4 address) {
    return new NlAttr(
        type, name, Kind.IPV4, address.bytes(), address.toString(), null, null, List.of());
  }

  /** Nested attributes ({@code IFLA_LINKINFO}). */
  public static NlAttr nested(int type, String name, NlAttr... children) {
    return new NlAttr(type, name, Kind.NESTED, null, null, null, null, List.of(children));
  }

  /**
   * Nested attributes behind a fixed header: {@code VETH_INFO_PEER} holds the peer's ifinfomsg,
   * then the peer's own IFLA_* attributes.
   */
  public static NlAttr nestedWithHeader(
      int type, String name, byte[] header, String headerText, NlAttr... children) {
    return new NlAttr(
        type, name, Kind.NESTED, null, null, header.clone(), headerText, List.of(children));
  }

  /** The attribute's type number. */
  public int type() {
    return type;
  }

  /** Its length on the wire, header included, padding excluded. */
  int length() {
    if (kind != Kind.NESTED) {
      return 4 + value.length;
    }
    int n = 4 + (header == null ? 0 : header.length);
    for (NlAttr c : children) {
      n += align(c.length());
    }
    return n;
  }

  void encode(ByteBuffer out) {
    int start = out.position();
    out.putShort((short) length());
    out.putShort((short) type);
    if (kind == Kind.NESTED) {
      if (header != null) {
        out.put(header);
      }
      for (NlAttr c : children) {
        c.encode(out);
      }
    } else {
      out.put(value);
    }
    while ((out.position() - start) % 4 != 0) {
      out.put((byte) 0);
    }
  }

  /** {@code IFLA_IFNAME "eth0"}, {@code IFLA_LINKINFO [IFLA_INFO_KIND "veth"]}. */
  String describe() {
    if (kind != Kind.NESTED) {
      return name + " " + text;
    }
    List<String> parts = new ArrayList<>();
    for (NlAttr c : children) {
      parts.add(c.describe());
    }
    return name
        + " "
        + (headerText == null ? "" : headerText + " ")
        + "["
        + String.join(", ", parts)
        + "]";
  }

  public static int align(int n) {
    return (n + 3) & ~3;
  }

  @Override
  public String toString() {
    return describe() + (value == null ? "" : " (" + HexFormat.of().formatHex(value) + ")");
  }
}
