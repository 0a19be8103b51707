package org.glasshouse.helper.netlink;

import java.util.List;

/**
 * The link flags of {@code ifi_flags} (net/if.h), named once: declared in bit order ({@code 1 <<
 * ordinal}), the order a netlink message's trace writes them in ({@link Rtnl#linkFlags}), and
 * listed again in {@link #IP_ORDER}, the order {@code ip link} prints them in (inspection's network
 * reader).
 */
public enum LinkFlag {
  UP,
  BROADCAST,
  DEBUG,
  LOOPBACK,
  POINTOPOINT,
  NOTRAILERS,
  RUNNING,
  NOARP,
  PROMISC,
  ALLMULTI,
  MASTER,
  SLAVE,
  MULTICAST,
  PORTSEL,
  AUTOMEDIA,
  DYNAMIC,
  LOWER_UP,
  DORMANT,
  ECHO;

  /** The flag's bit in {@code ifi_flags}. */
  public int bit() {
    return 1 << ordinal();
  }

  /**
   * ip's order (print_link_flags in iproute2's ipaddress.c). RUNNING is not in it: ip never prints
   * it, only NO-CARRIER for a link up but not running.
   */
  public static final List<LinkFlag> IP_ORDER =
      List.of(
          LOOPBACK,
          BROADCAST,
          POINTOPOINT,
          MULTICAST,
          NOARP,
          ALLMULTI,
          PROMISC,
          MASTER,
          SLAVE,
          DEBUG,
          DYNAMIC,
          AUTOMEDIA,
          PORTSEL,
          NOTRAILERS,
          UP,
          LOWER_UP,
          DORMANT,
          ECHO);
}
