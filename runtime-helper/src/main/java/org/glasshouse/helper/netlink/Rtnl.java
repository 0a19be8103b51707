package org.glasshouse.helper.netlink;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rtnetlink numbers Glasshouse uses (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h,
 * linux/if_addr.h, linux/veth.h) with their names, so a message prints the way strace and the
 * kernel headers write it.
 */
public final class Rtnl {
  private Rtnl() {}

  // Message types.
  /** An error or, with error 0, an acknowledgement. */
  public static final int NLMSG_ERROR = 2;

  /** The end of a dump. */
  public static final int NLMSG_DONE = 3;

  /** Create or change a link. */
  public static final int RTM_NEWLINK = 16;

  /** Delete a link. */
  public static final int RTM_DELLINK = 17;

  /** Get one link, or dump all. */
  public static final int RTM_GETLINK = 18;

  /** Add an address. */
  public static final int RTM_NEWADDR = 20;

  /** Delete an address. */
  public static final int RTM_DELADDR = 21;

  /** Dump addresses. */
  public static final int RTM_GETADDR = 22;

  /** Add a route. */
  public static final int RTM_NEWROUTE = 24;

  /** Delete a route. */
  public static final int RTM_DELROUTE = 25;

  // Header flags.
  /** A request. */
  public static final int NLM_F_REQUEST = 0x1;

  /** Part of a multi-part answer. */
  public static final int NLM_F_MULTI = 0x2;

  /** Ask for an acknowledgement. */
  public static final int NLM_F_ACK = 0x4;

  /** GET: every object (ROOT|MATCH). */
  public static final int NLM_F_DUMP = 0x300;

  /** NEW: fail with EEXIST when it exists. */
  public static final int NLM_F_EXCL = 0x200;

  /** NEW: create when it does not exist. */
  public static final int NLM_F_CREATE = 0x400;

  /** In an acknowledgement: the request was not echoed in full. */
  public static final int NLM_F_CAPPED = 0x100;

  /** In an acknowledgement: extended-ack attributes follow (the kernel's message). */
  public static final int NLM_F_ACK_TLVS = 0x200;

  // Families.
  /** Any family (links). */
  public static final int AF_UNSPEC = 0;

  /** IPv4. */
  public static final int AF_INET = 2;

  /** IPv6. */
  public static final int AF_INET6 = 10;

  // Link flags (net/if.h).
  /** Administratively up. */
  public static final int IFF_UP = 0x1;

  /** The loopback device. */
  public static final int IFF_LOOPBACK = 0x8;

  /** Carrier present (lower layer up). */
  public static final int IFF_LOWER_UP = 0x10000;

  // IFLA_* link attributes.
  /** Link-layer address. */
  public static final int IFLA_ADDRESS = 1;

  /** Interface name (NUL-terminated). */
  public static final int IFLA_IFNAME = 3;

  /** MTU. */
  public static final int IFLA_MTU = 4;

  /** The peer's ifindex (veth), in the peer's namespace. */
  public static final int IFLA_LINK = 5;

  /** The master (bridge) ifindex. */
  public static final int IFLA_MASTER = 10;

  /** RFC 2863 operational state. */
  public static final int IFLA_OPERSTATE = 16;

  /** Nested: kind and kind-specific data. */
  public static final int IFLA_LINKINFO = 18;

  /** Move/create the link in the namespace of this pid. */
  public static final int IFLA_NET_NS_PID = 19;

  /** 64-bit counters ({@code struct rtnl_link_stats64}). */
  public static final int IFLA_STATS64 = 23;

  /** Move/create the link in the namespace this fd refers to. */
  public static final int IFLA_NET_NS_FD = 28;

  /** Which extra data a GET should include. */
  public static final int IFLA_EXT_MASK = 29;

  /** The peer's namespace, as an id local to this namespace. */
  public static final int IFLA_LINK_NETNSID = 37;

  /** Nested in LINKINFO: the kind ({@code bridge}, {@code veth}). */
  public static final int IFLA_INFO_KIND = 1;

  /** Nested in LINKINFO: the kind's own attributes. */
  public static final int IFLA_INFO_DATA = 2;

  /** Nested in a veth's INFO_DATA: the peer, an ifinfomsg followed by its IFLA_* attributes. */
  public static final int VETH_INFO_PEER = 1;

  /** IFLA_EXT_MASK bit: skip the per-VF statistics. */
  public static final int RTEXT_FILTER_VF = 1;

  /** IFLA_EXT_MASK bit: skip stats in a GET answer (set by ip for name lookups). */
  public static final int RTEXT_FILTER_SKIP_STATS = 8;

  // IFA_* address attributes.
  /** The peer address (for a broadcast link, the same as LOCAL). */
  public static final int IFA_ADDRESS = 1;

  /** The local address. */
  public static final int IFA_LOCAL = 2;

  /** The interface's name. */
  public static final int IFA_LABEL = 3;

  // Routes.
  /** Destination. */
  public static final int RTA_DST = 1;

  /** Output interface. */
  public static final int RTA_OIF = 4;

  /** Gateway. */
  public static final int RTA_GATEWAY = 5;

  /** The main routing table. */
  public static final int RT_TABLE_MAIN = 254;

  /** Route installed by an administrator (ip's default). */
  public static final int RTPROT_BOOT = 3;

  /** Global scope. */
  public static final int RT_SCOPE_UNIVERSE = 0;

  /** A gateway or direct route. */
  public static final int RTN_UNICAST = 1;

  /** Operational states (IFLA_OPERSTATE). */
  static final String[] OPERSTATES = {
    "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"
  };

  private static final Map<Integer, String> TYPES =
      Map.ofEntries(
          Map.entry(1, "NLMSG_NOOP"),
          Map.entry(NLMSG_ERROR, "NLMSG_ERROR"),
          Map.entry(NLMSG_DONE, "NLMSG_DONE"),
          Map.entry(RTM_NEWLINK, "RTM_NEWLINK"),
          Map.entry(RTM_DELLINK, "RTM_DELLINK"),
          Map.entry(RTM_GETLINK, "RTM_GETLINK"),
          Map.entry(RTM_NEWADDR, "RTM_NEWADDR"),
          Map.entry(RTM_DELADDR, "RTM_DELADDR"),
          Map.entry(RTM_GETADDR, "RTM_GETADDR"),
          Map.entry(RTM_NEWROUTE, "RTM_NEWROUTE"),
          Map.entry(RTM_DELROUTE, "RTM_DELROUTE"),
          Map.entry(26, "RTM_GETROUTE"));

  /** {@code RTM_NEWLINK}, or the number. */
  public static String typeName(int type) {
    return TYPES.getOrDefault(type, String.valueOf(type));
  }

  /** Whether messages of {@code type} carry an ifinfomsg, ifaddrmsg or rtmsg. */
  static Family familyOf(int type) {
    if (type >= RTM_NEWLINK && type <= 19) {
      return Family.LINK;
    }
    if (type >= RTM_NEWADDR && type <= 23) {
      return Family.ADDR;
    }
    if (type >= RTM_NEWROUTE && type <= 27) {
      return Family.ROUTE;
    }
    return Family.NONE;
  }

  /** The fixed header after nlmsghdr. */
  enum Family {
    LINK(16),
    ADDR(8),
    ROUTE(12),
    NONE(0);

    final int headerSize;

    Family(int headerSize) {
      this.headerSize = headerSize;
    }
  }

  /** {@code NLM_F_REQUEST|NLM_F_ACK|NLM_F_EXCL|NLM_F_CREATE}, the way strace prints them. */
  public static String flagNames(int flags, int type) {
    Map<Integer, String> names = new LinkedHashMap<>();
    names.put(NLM_F_REQUEST, "NLM_F_REQUEST");
    names.put(NLM_F_MULTI, "NLM_F_MULTI");
    names.put(NLM_F_ACK, "NLM_F_ACK");
    names.put(0x8, "NLM_F_ECHO");
    if (type == NLMSG_ERROR) {
      names.put(NLM_F_CAPPED, "NLM_F_CAPPED");
      names.put(NLM_F_ACK_TLVS, "NLM_F_ACK_TLVS");
    } else if (isGet(type)) {
      names.put(0x100, "NLM_F_ROOT");
      names.put(0x200, "NLM_F_MATCH");
    } else {
      names.put(0x100, "NLM_F_REPLACE");
      names.put(NLM_F_EXCL, "NLM_F_EXCL");
      names.put(NLM_F_CREATE, "NLM_F_CREATE");
      names.put(0x800, "NLM_F_APPEND");
    }
    StringBuilder b = new StringBuilder();
    int rest = flags;
    if (isGet(type) && (flags & NLM_F_DUMP) == NLM_F_DUMP) {
      names.remove(0x100);
      names.remove(0x200);
      names.put(NLM_F_DUMP, "NLM_F_DUMP");
    }
    for (Map.Entry<Integer, String> e : names.entrySet()) {
      if ((rest & e.getKey()) == e.getKey()) {
        b.append(b.length() == 0 ? "" : "|").append(e.getValue());
        rest &= ~e.getKey();
      }
    }
    if (rest != 0 || b.length() == 0) {
      b.append(b.length() == 0 ? "" : "|").append("0x").append(Integer.toHexString(rest));
    }
    return b.toString();
  }

  private static boolean isGet(int type) {
    return type >= RTM_NEWLINK && (type - RTM_NEWLINK) % 4 == 2;
  }

  /** Link flags as ip prints them, in bit order ({@link LinkFlag}): {@code UP|LOWER_UP}. */
  public static String linkFlags(int flags) {
    StringBuilder b = new StringBuilder();
    for (LinkFlag f : LinkFlag.values()) {
      if ((flags & f.bit()) != 0) {
        b.append(b.length() == 0 ? "" : "|").append(f.name());
      }
    }
    return b.length() == 0 ? "0" : b.toString();
  }
}
