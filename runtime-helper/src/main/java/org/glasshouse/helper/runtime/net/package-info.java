/**
 * Level 07's bonus network: a veth pair per container to a per-helper bridge on the host, made over
 * rtnetlink (the step log shows each RTM_NEWLINK/RTM_NEWADDR/RTM_NEWROUTE request and the kernel's
 * answer), and the {@code /run/netns/<id>} link that lets {@code ip netns exec} enter a running
 * container's network namespace.
 */
package org.glasshouse.helper.runtime.net;
