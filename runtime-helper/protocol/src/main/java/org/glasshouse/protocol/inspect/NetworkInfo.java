package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The network namespace and hostname of a process (the interfaces as {@code ip -j addr} run in its
 * net namespace lists them, byte counters from {@code /proc/PID/net/dev}).
 *
 * @param hostname the UTS namespace's hostname (null when it could not be read)
 * @param interfaces the interfaces of the net namespace
 * @param error why interfaces are missing, or null
 * @param wiring how the helper wired the container to its bridge ({@code "network":"bridge"}), or
 *     null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record NetworkInfo(
    String hostname, List<Interface> interfaces, String error, Wiring wiring) {

  /** Without wiring (a container on its own, or the host). */
  public NetworkInfo(String hostname, List<Interface> interfaces, String error) {
    this(hostname, interfaces, error, null);
  }

  /** This reading with the container's wiring added. */
  public NetworkInfo withWiring(Wiring w) {
    return new NetworkInfo(hostname, interfaces, error, w);
  }

  /**
   * A container's veth pair between its namespace and the helper's bridge, both ends with their
   * byte counters (each end counts from its own side: what the container sends, its end transmits
   * and the host end receives).
   *
   * @param bridge the bridge on the host ({@code glasshouse0})
   * @param bridgeAddress the bridge's address, the gateway, as CIDR
   * @param hostEnd the veth end on the host, a port of the bridge
   * @param hostEndRxBytes bytes the host end received (null when unreadable)
   * @param hostEndTxBytes bytes the host end sent
   * @param containerEnd the veth end in the container ({@code eth0})
   * @param containerEndRxBytes bytes the container end received
   * @param containerEndTxBytes bytes the container end sent
   * @param address the container's address as CIDR
   * @param gateway its default route's gateway
   * @param netns the namespace's link for {@code ip netns} ({@code /run/netns/<id>})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Wiring(
      String bridge,
      String bridgeAddress,
      String hostEnd,
      Long hostEndRxBytes,
      Long hostEndTxBytes,
      String containerEnd,
      Long containerEndRxBytes,
      Long containerEndTxBytes,
      String address,
      String gateway,
      String netns) {}

  /**
   * One interface.
   *
   * @param index ifindex
   * @param name name
   * @param state operstate (UP, DOWN, UNKNOWN …)
   * @param flags link flags (LOOPBACK, UP, LOWER_UP …)
   * @param mtu MTU
   * @param mac link address
   * @param addresses addresses as CIDR ({@code 127.0.0.1/8}, {@code ::1/128})
   * @param rxBytes bytes received (null when unknown)
   * @param txBytes bytes sent
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Interface(
      int index,
      String name,
      String state,
      List<String> flags,
      int mtu,
      String mac,
      List<String> addresses,
      Long rxBytes,
      Long txBytes) {}
}
