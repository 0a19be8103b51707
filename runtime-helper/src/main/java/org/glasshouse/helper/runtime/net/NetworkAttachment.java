package org.glasshouse.helper.runtime.net;

/**
 * How one container is wired: a veth pair, one end on the helper's bridge, the other inside the
 * container with an address, and the namespace linked for {@code ip netns}.
 *
 * @param bridge the bridge's name on the host
 * @param bridgeAddress the bridge's own address, the containers' gateway, as CIDR ({@code
 *     10.87.0.1/24})
 * @param hostEnd the veth end on the host, a port of the bridge ({@code gh3f9a0c11b2d4})
 * @param containerEnd the veth end in the container ({@code eth0})
 * @param address the container's address as CIDR ({@code 10.87.0.2/24})
 * @param gateway the default route's gateway ({@code 10.87.0.1})
 * @param netns the namespace's link for {@code ip netns} ({@code /run/netns/3f9a0c11b2d4})
 */
public record NetworkAttachment(
    String bridge,
    String bridgeAddress,
    String hostEnd,
    String containerEnd,
    String address,
    String gateway,
    String netns) {}
