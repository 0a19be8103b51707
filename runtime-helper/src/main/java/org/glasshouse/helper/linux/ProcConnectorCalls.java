package org.glasshouse.helper.linux;

import java.util.List;

/**
 * The seam for the kernel's process events connector ({@code NETLINK_CONNECTOR}, group {@code
 * CN_IDX_PROC}, drivers/connector/cn_proc.c): a socket that, once it asked to listen, receives a
 * message for each fork, exec and exit on the machine (root only). The messages are built and
 * parsed in Java ({@code org.glasshouse.helper.netlink.ProcEvents}), so this seam carries bytes
 * only, as {@link NetlinkCalls} does for rtnetlink; {@link JnaProcConnectorCalls} talks to the
 * kernel.
 *
 * <p>The socket is non-blocking: a reader drains it when it wants (the namespaces topic, once a
 * tick) and never waits. When the reader falls behind the kernel drops messages and the next {@link
 * #receive} fails with {@code ENOBUFS}: the reader must then re-read what it tracks.
 */
public interface ProcConnectorCalls {

  /** The largest datagram {@link #receive} reads: one event is 16 + 20 + 40 bytes. */
  int MAX_DATAGRAM = 4096;

  /**
   * {@code socket(AF_NETLINK, SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK, NETLINK_CONNECTOR)}, a receive
   * buffer of {@code receiveBuffer} bytes ({@code SO_RCVBUFFORCE}, else {@code SO_RCVBUF}), {@code
   * SO_ATTACH_FILTER} with {@code filter} when it is not empty (the kernel then drops what the
   * filter rejects before it is queued), {@code bind({AF_NETLINK, pid 0, groups CN_IDX_PROC})} and
   * {@code send(listen)} (the {@code PROC_CN_MCAST_LISTEN} message). Returns the fd.
   */
  int open(List<SockFilter> filter, int receiveBuffer, byte[] listen) throws SyscallException;

  /**
   * {@code recv(fd, buf, 4 KiB, MSG_DONTWAIT)}: one datagram, or null when none is waiting ({@code
   * EAGAIN}). {@code ENOBUFS} (events were lost) is thrown.
   */
  byte[] receive(int fd) throws SyscallException;

  /**
   * {@code send(goodbye)} (the {@code PROC_CN_MCAST_IGNORE} message: the kernel counts listeners
   * and stops making events when none is left), then {@code close(fd)}; errors are ignored.
   */
  void close(int fd, byte[] goodbye);
}
