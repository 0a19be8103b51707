/**
 * Rtnetlink messages built and parsed in Java: the requests as strace and the kernel headers write
 * them, the kernel's answers (acks, links, addresses) read without index errors on malformed input.
 * Bytes only: the socket is {@code linux.NetlinkCalls}; the runtime's network ({@code runtime.net})
 * and inspection's network reader ({@code inspect.NetworkReader}) both talk through it.
 */
package org.glasshouse.helper.netlink;
