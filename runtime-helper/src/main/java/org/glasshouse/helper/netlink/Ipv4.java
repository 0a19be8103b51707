package org.glasshouse.helper.netlink;

/**
 * An IPv4 address as an unsigned 32-bit number (network order when written as bytes), with the
 * arithmetic a /24 allocator needs. No DNS, no {@code InetAddress} lookups: parsing never blocks.
 *
 * @param value the address, most significant byte first
 */
public record Ipv4(int value) {

  /** Parses dotted-quad text ({@code 10.87.0.2}). */
  public static Ipv4 parse(String s) {
    String[] p = s.trim().split("\\.", -1);
    if (p.length != 4) {
      throw new IllegalArgumentException("'" + s + "' is not an IPv4 address (a.b.c.d)");
    }
    int v = 0;
    for (String part : p) {
      int b;
      try {
        b = part.isEmpty() || part.length() > 3 ? -1 : Integer.parseInt(part);
      } catch (NumberFormatException e) {
        b = -1;
      }
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("'" + s + "' is not an IPv4 address (a.b.c.d)");
      }
      v = (v << 8) | b;
    }
    return new Ipv4(v);
  }

  /** From 4 bytes in network order. */
  public static Ipv4 of(byte[] b, int off) {
    return new Ipv4(
        ((b[off] & 0xff) << 24)
            | ((b[off + 1] & 0xff) << 16)
            | ((b[off + 2] & 0xff) << 8)
            | (b[off + 3] & 0xff));
  }

  /** The 4 bytes in network order. */
  public byte[] bytes() {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }

  /** This address plus {@code n}. */
  public Ipv4 plus(int n) {
    return new Ipv4(value + n);
  }

  @Override
  public String toString() {
    return (value >>> 24)
        + "."
        + ((value >>> 16) & 0xff)
        + "."
        + ((value >>> 8) & 0xff)
        + "."
        + (value & 0xff);
  }
}
