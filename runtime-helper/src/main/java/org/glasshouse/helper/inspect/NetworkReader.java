package org.glasshouse.helper.inspect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.netlink.LinkFlag;
import org.glasshouse.helper.netlink.NlParser;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.NetworkInfo.Interface;

/**
 * Reads the network namespace and hostname of a process into a {@link NetworkInfo}, the way {@code
 * ip -j addr} and {@code hostname} run inside its namespaces would print them.
 *
 * <p>The hostname, the links (flags, operstate, MTU, MAC, byte counters) and the addresses come
 * from a {@link NetnsReader}: the real one enters the namespaces on a throwaway thread and asks the
 * kernel over rtnetlink, in well under a millisecond where the {@code nsenter} spawns it replaced
 * took ~23 ms (README, "Performance"). When the namespaces cannot be entered (no CAP_SYS_ADMIN) the
 * answer falls back to {@code /proc/PID/net/dev}, which is per namespace already: names and
 * counters, with the reason.
 */
public final class NetworkReader {

  private NetworkReader() {}

  /** Reads the namespaces of {@code pid}. */
  public static NetworkInfo read(HostFs fs, long pid, NetnsReader reader) {
    try (NetnsReader.Pending pending = reader.begin(pid)) {
      return finish(fs, pid, pending);
    }
  }

  /**
   * Finishes a read begun with {@link NetnsReader#begin} (the caller closes it), falling back as
   * {@link #read} does.
   */
  public static NetworkInfo finish(HostFs fs, long pid, NetnsReader.Pending pending) {
    NetnsReader.View v;
    try {
      v = pending.finish();
    } catch (ProcessGoneException e) {
      return gone(pid);
    } catch (IOException e) {
      Map<String, long[]> counters;
      try {
        counters = parseNetDev(fs.readPidFile(pid, "net/dev"));
      } catch (ProcessGoneException g) {
        return gone(pid);
      }
      List<Interface> fromCounters = new ArrayList<>();
      counters.forEach(
          (name, c) ->
              fromCounters.add(
                  new Interface(0, name, "UNKNOWN", List.of(), 0, null, List.of(), c[0], c[1])));
      return new NetworkInfo(
          null, fromCounters, e.getMessage() + ": names and counters only (/proc/PID/net/dev)");
    }
    return new NetworkInfo(v.hostname(), interfaces(v), null);
  }

  private static NetworkInfo gone(long pid) {
    return new NetworkInfo(null, List.of(), "process " + pid + " is gone");
  }

  /**
   * The interfaces as {@code ip -j addr} lists them: links in the kernel's order, each with its
   * addresses in the dump's order (IPv4, then IPv6), flags named and ordered as ip names them.
   */
  public static List<Interface> interfaces(NetnsReader.View v) {
    List<Interface> out = new ArrayList<>();
    for (NlParser.Link l : v.links()) {
      List<String> addrs = new ArrayList<>();
      for (NlParser.Address a : v.addresses()) {
        if (a.index() == l.index() && a.local() != null) {
          addrs.add(a.withPrefix());
        }
      }
      out.add(
          new Interface(
              l.index(),
              l.name(),
              l.operState() == null ? "UNKNOWN" : l.operState(),
              flags(l.flags()),
              l.mtu() == null ? 0 : l.mtu(),
              l.mac(),
              List.copyOf(addrs),
              l.rxBytes(),
              l.txBytes()));
    }
    return out;
  }

  private static final int IFF_UP = LinkFlag.UP.bit();
  private static final int IFF_RUNNING = LinkFlag.RUNNING.bit();

  /**
   * ifi_flags as ip prints them: {@code NO-CARRIER} for a link up but not running, RUNNING itself
   * never, the rest by name in ip's order ({@link LinkFlag#IP_ORDER}), any unnamed bits last in
   * hex.
   */
  public static List<String> flags(int flags) {
    List<String> out = new ArrayList<>();
    if ((flags & IFF_UP) != 0 && (flags & IFF_RUNNING) == 0) {
      out.add("NO-CARRIER");
    }
    int rest = flags & ~IFF_RUNNING;
    for (LinkFlag f : LinkFlag.IP_ORDER) {
      if ((rest & f.bit()) != 0) {
        out.add(f.name());
        rest &= ~f.bit();
      }
    }
    if (rest != 0) {
      out.add(Integer.toHexString(rest));
    }
    return List.copyOf(out);
  }

  /** {@code /proc/PID/net/dev}: interface → {rx bytes, tx bytes}. */
  public static Map<String, long[]> parseNetDev(String text) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0 || line.contains("|")) {
        continue;
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length < 9) {
        continue;
      }
      try {
        out.put(
            line.substring(0, colon).trim(),
            new long[] {Long.parseLong(f[0]), Long.parseLong(f[8])});
      } catch (NumberFormatException e) {
        // A line that is not an interface's counters; skip it.
      }
    }
    return out;
  }
}
