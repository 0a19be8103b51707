package org.glasshouse.helper.runtime.net;

import org.glasshouse.helper.netlink.Ipv4;

/**
 * An IPv4 network ({@code 10.87.0.0/24}): the subnet a Glasshouse bridge hands out addresses from.
 *
 * @param network the network address (host bits zero)
 * @param prefix the prefix length, 8..30
 */
public record Cidr(Ipv4 network, int prefix) {

  /** Checks the prefix and that the host bits are zero. */
  public Cidr {
    if (prefix < 8 || prefix > 30) {
      throw new IllegalArgumentException(
          "a container subnet's prefix must be between /8 and /30, got /" + prefix);
    }
    if ((network.value() & ~mask(prefix)) != 0) {
      throw new IllegalArgumentException(
          network
              + "/"
              + prefix
              + " has host bits set: the network is "
              + new Ipv4(network.value() & mask(prefix))
              + "/"
              + prefix);
    }
  }

  /**
   * Parses {@code a.b.c.d/n} and checks that it is a private range (RFC 1918): container traffic
   * must never look like someone else's addresses.
   */
  public static Cidr parse(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + s + "' is not a subnet: write it as 10.87.0.0/24");
    }
    int prefix;
    try {
      prefix = Integer.parseInt(s.substring(slash + 1).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' has no prefix length after the /", e);
    }
    Cidr c = new Cidr(Ipv4.parse(s.substring(0, slash)), prefix);
    if (!c.isPrivate()) {
      throw new IllegalArgumentException(
          s
              + " is not a private range: use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
    }
    return c;
  }

  static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** Whether this network lies inside 10/8, 172.16/12 or 192.168/16. */
  public boolean isPrivate() {
    return within(Ipv4.parse("10.0.0.0"), 8)
        || within(Ipv4.parse("172.16.0.0"), 12)
        || within(Ipv4.parse("192.168.0.0"), 16);
  }

  private boolean within(Ipv4 net, int p) {
    return prefix >= p && (network.value() & mask(p)) == net.value();
  }

  /**
   * Whether an address with its prefix ({@code 10.87.0.1/24} on some link) overlaps this network.
   */
  public boolean overlaps(Ipv4 address, int addressPrefix) {
    int m = mask(Math.min(prefix, addressPrefix));
    return (address.value() & m) == (network.value() & m);
  }

  /** The {@code n}-th address of the network (1: the gateway, the bridge's own). */
  public Ipv4 host(int n) {
    return network.plus(n);
  }

  /** How many addresses the network has for containers (all but network, bridge and broadcast). */
  public int containerAddresses() {
    return (1 << (32 - prefix)) - 3;
  }

  /** The network {@code n} blocks of this size further on ({@code 10.87.1.0/24} for n = 1). */
  public Cidr next(int n) {
    return new Cidr(network.plus(n << (32 - prefix)), prefix);
  }

  @Override
  public String toString() {
    return network + "/" + prefix;
  }
}
