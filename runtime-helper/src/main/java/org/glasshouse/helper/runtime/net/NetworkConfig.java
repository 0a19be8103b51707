package org.glasshouse.helper.runtime.net;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Where a helper's containers are wired when they ask for {@code "network":"bridge"}: one bridge
 * per helper and a private subnet. Each helper (each state dir) has its own bridge, so helpers
 * running side by side — other users' tests on the same machine — never share one: the default name
 * is {@code glasshouse0} for the packaged state dir and {@code gh-} plus a hash of the state dir
 * otherwise.
 *
 * @param bridge the bridge's interface name (at most 15 characters)
 * @param subnet the subnet, {@code 10.87.0.0/24} by default
 * @param subnetGiven whether the subnet was chosen by the user: then it is used or refused; else a
 *     subnet already on one of the host's interfaces (another helper's bridge) is skipped for the
 *     next /24 ({@code 10.87.1.0/24}, …)
 * @param netnsDir where a running container's namespace is linked for {@code ip netns} ({@code
 *     /run/netns}, which {@code /var/run/netns} names)
 */
public record NetworkConfig(Cidr subnet, String bridge, boolean subnetGiven, Path netnsDir) {

  /** The packaged helper's state dir, whose bridge is {@code glasshouse0}. */
  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/glasshouse");

  /** The default subnet. */
  public static final String DEFAULT_SUBNET = "10.87.0.0/24";

  /** Where {@code ip netns} looks ({@code NETNS_RUN_DIR}); /var/run is a link to /run. */
  public static final Path NETNS_DIR = Path.of("/run/netns");

  private static final Pattern IFNAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,14}");

  /** Checks the bridge name: an interface name the kernel takes. */
  public NetworkConfig {
    if (bridge == null || !IFNAME.matcher(bridge).matches()) {
      throw new IllegalArgumentException(
          "bridge name '" + bridge + "' is not an interface name (1..15 of a-z A-Z 0-9 _ . -)");
    }
  }

  /** The defaults for a helper on {@code stateDir}. */
  public static NetworkConfig forStateDir(Path stateDir) {
    return new NetworkConfig(Cidr.parse(DEFAULT_SUBNET), bridgeFor(stateDir), false, NETNS_DIR);
  }

  /** {@code glasshouse0} for the packaged state dir, else {@code gh-} and 8 hex of its hash. */
  public static String bridgeFor(Path stateDir) {
    Path abs = stateDir.toAbsolutePath().normalize();
    if (abs.equals(DEFAULT_STATE_DIR)) {
      return "glasshouse0";
    }
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(abs.toString().getBytes(StandardCharsets.UTF_8));
      return "gh-" + HexFormat.of().formatHex(h, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The same with another bridge name. */
  public NetworkConfig withBridge(String name) {
    return new NetworkConfig(subnet, name, subnetGiven, netnsDir);
  }

  /** The same with a subnet the user chose (used as given, or refused). */
  public NetworkConfig withSubnet(Cidr s) {
    return new NetworkConfig(s, bridge, true, netnsDir);
  }

  /** The host end of a container's veth pair: {@code gh} and the container id (14 characters). */
  public static String hostEnd(String containerId) {
    return "gh" + containerId;
  }
}
