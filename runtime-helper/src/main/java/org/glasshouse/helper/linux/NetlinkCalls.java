package org.glasshouse.helper.linux;

/**
 * The seam for rtnetlink: a {@code NETLINK_ROUTE} socket, one message sent, one datagram read. The
 * messages themselves are built and parsed in Java ({@code org.glasshouse.helper.netlink}), so this
 * seam carries bytes only; {@link JnaNetlinkCalls} talks to the kernel, tests use a fake that
 * answers with bytes captured from a real kernel. Level 07's network bonus.
 *
 * <p>A netlink socket belongs to the network namespace of the thread that created it, for its whole
 * life: {@link #open} on a thread that {@code setns}'d into a container's namespace gives a socket
 * that configures that container, whatever thread uses it afterwards.
 */
public interface NetlinkCalls {

  /** The largest datagram {@link #receive} reads (the kernel's dump messages are ≤ 32 KiB). */
  int MAX_DATAGRAM = 64 * 1024;

  /**
   * {@code socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE)}, then {@code
   * setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)} (the kernel then explains a refusal in words),
   * {@code setsockopt(SOL_SOCKET, SO_RCVTIMEO, 5 s)} (a reply that never comes fails instead of
   * hanging the helper) and {@code bind({AF_NETLINK, pid 0, groups 0})}. Returns the fd.
   */
  int open() throws SyscallException;

  /** {@code send(fd, message, len, 0)} to the kernel (port 0). */
  void send(int fd, byte[] message) throws SyscallException;

  /**
   * {@code recv(fd, buf, 64 KiB, 0)}: one datagram, which may hold several messages (a dump's).
   * EAGAIN after the receive timeout.
   */
  byte[] receive(int fd) throws SyscallException;

  /** {@code close(fd)}; errors are ignored (nothing can be done about them). */
  void close(int fd);

  /** strerror's text for an errno the kernel put in an {@code NLMSG_ERROR}. */
  String strerror(int errno);
}
