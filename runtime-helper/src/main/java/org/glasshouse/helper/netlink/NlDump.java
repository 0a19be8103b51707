package org.glasshouse.helper.netlink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.linux.Errno;
import org.glasshouse.helper.linux.NetlinkCalls;
import org.glasshouse.helper.linux.SyscallException;

/**
 * A dump on a {@code NETLINK_ROUTE} socket ({@code NLM_F_DUMP}): the request, then every message
 * with its sequence number up to {@code NLMSG_DONE}. A dump the kernel refuses ends in an {@code
 * NLMSG_ERROR}, thrown as the request's call with the errno ({@code RTM_GETLINK(…) = -1 EPERM}).
 */
public final class NlDump {
  private NlDump() {}

  /**
   * Sends {@code m} with sequence number {@code seq} on {@code fd} and collects the answers.
   *
   * @throws SyscallException the send, a receive (EAGAIN after the socket's timeout) or the
   *     kernel's refusal
   * @throws IOException an answer that does not parse as netlink
   */
  public static List<NlParser.Message> dump(NetlinkCalls nl, int fd, NlMessage m, int seq)
      throws SyscallException, IOException {
    nl.send(fd, m.encode(seq));
    List<NlParser.Message> out = new ArrayList<>();
    while (true) {
      for (NlParser.Message r : parse(nl.receive(fd))) {
        if (r.seq() != seq) {
          continue;
        }
        if (r.type() == Rtnl.NLMSG_DONE) {
          return out;
        }
        if (r.type() == Rtnl.NLMSG_ERROR) {
          NlParser.Ack a = NlParser.ack(r);
          int errno = -a.error();
          throw new SyscallException(m.call(), errno, Errno.name(errno), nl.strerror(errno));
        }
        out.add(r);
      }
    }
  }

  /** Splits a datagram; a malformed one is an IOException naming where it went wrong. */
  public static List<NlParser.Message> parse(byte[] datagram) throws IOException {
    try {
      return NlParser.messages(datagram);
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed answer from the kernel: " + e.getMessage(), e);
    }
  }
}
