package org.glasshouse.helper.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.NetworkInfo.Interface;

/**
 * Reads the network namespace and hostname of a process into a {@link NetworkInfo}.
 *
 * <p>Interfaces, their flags, operstate and addresses come from {@code ip -j addr} run inside the
 * process's net namespace by {@code nsenter --net}: entering a namespace needs setns(), which in a
 * JVM may only be done by a throwaway thread through JNA, and an ordinary spawn of nsenter is the
 * simplest correct way to get the same answer. Byte counters come from {@code /proc/PID/net/dev},
 * which is already per namespace. The hostname likewise comes from {@code nsenter --uts hostname}.
 */
public final class NetworkReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private NetworkReader() {}

  /** Reads the namespaces of {@code pid}. */
  public static NetworkInfo read(HostFs fs, long pid, CommandRunner runner) {
    String p = Long.toString(pid);
    String hostname =
        runner
            .run(List.of("nsenter", "--target", p, "--uts", "hostname"))
            .map(String::trim)
            .orElse(null);
    Map<String, long[]> counters = new HashMap<>();
    try {
      counters = parseNetDev(fs.readPidFile(pid, "net/dev"));
    } catch (ProcessGoneException e) {
      return new NetworkInfo(hostname, List.of(), "process " + pid + " is gone");
    }
    var ip = runner.run(List.of("nsenter", "--target", p, "--net", "ip", "-j", "addr"));
    if (ip.isEmpty()) {
      List<Interface> fromCounters = new ArrayList<>();
      counters.forEach(
          (name, c) ->
              fromCounters.add(
                  new Interface(0, name, "UNKNOWN", List.of(), 0, null, List.of(), c[0], c[1])));
      return new NetworkInfo(
          hostname, fromCounters, "nsenter/ip unavailable: names and counters only");
    }
    return new NetworkInfo(hostname, parseIpJson(ip.get(), counters), null);
  }

  /** Parses {@code ip -j addr}; total: malformed input gives no interfaces. */
  public static List<Interface> parseIpJson(String json, Map<String, long[]> counters) {
    List<Interface> out = new ArrayList<>();
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      return out;
    }
    if (root == null || !root.isArray()) {
      return out;
    }
    for (JsonNode n : root) {
      List<String> flags = new ArrayList<>();
      n.path("flags").forEach(f -> flags.add(f.asText()));
      List<String> addrs = new ArrayList<>();
      n.path("addr_info")
          .forEach(a -> addrs.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt()));
      String name = n.path("ifname").asText();
      long[] c = counters.get(name);
      out.add(
          new Interface(
              n.path("ifindex").asInt(),
              name,
              n.path("operstate").asText("UNKNOWN"),
              List.copyOf(flags),
              n.path("mtu").asInt(),
              n.hasNonNull("address") ? n.path("address").asText() : null,
              List.copyOf(addrs),
              c == null ? null : c[0],
              c == null ? null : c[1]));
    }
    return out;
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
