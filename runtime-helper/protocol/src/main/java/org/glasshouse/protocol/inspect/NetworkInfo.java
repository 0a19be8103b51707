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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record NetworkInfo(String hostname, List<Interface> interfaces, String error) {

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
