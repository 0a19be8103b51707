package org.glasshouse.helper.runtime.net;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.Errno;
import org.glasshouse.helper.linux.NetlinkCalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.netlink.NlAttr;
import org.glasshouse.helper.netlink.NlDump;
import org.glasshouse.helper.netlink.NlMessage;
import org.glasshouse.helper.netlink.NlParser;
import org.glasshouse.helper.netlink.Rtnl;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;

/**
 * One {@code NETLINK_ROUTE} socket and the conversation on it: each request is one step entry whose
 * call is the message type ({@code RTM_NEWLINK}), whose arguments are the decoded request, and
 * whose result is the kernel's answer ({@code ACK}, or the errno with the kernel's own sentence).
 * Not thread-safe: one owner at a time.
 */
public final class RouteSocket implements AutoCloseable {

  private final NetlinkCalls nl;
  private final int fd;
  private final StepLog log;
  private final String step;
  private int seq = 1;

  private RouteSocket(NetlinkCalls nl, int fd, StepLog log, String step) {
    this.nl = nl;
    this.fd = fd;
    this.log = log;
    this.step = step;
  }

  /**
   * Opens a socket in the calling thread's network namespace, logged as one step entry.
   *
   * @param where which namespace, for the log ({@code "the host's"})
   */
  public static RouteSocket open(NetlinkCalls nl, StepLog log, String step, String where)
      throws StepException {
    Call call = Call.netlinkSocket().noted(where + " network namespace");
    int fd =
        log.run(
            step,
            "helper",
            call,
            "talking rtnetlink needs nothing special; changing links needs CAP_NET_ADMIN",
            () -> {
              try {
                return nl.open();
              } catch (SyscallException e) {
                // Said as the entry says it, with the namespace it was opened in.
                throw e.call().equals(call.name())
                    ? new SyscallException(call, e.errno(), e.errnoName(), e.errnoMessage())
                    : e;
              }
            });
    return new RouteSocket(nl, fd, log, step);
  }

  /**
   * Sends {@code m} with {@code NLM_F_ACK} set and waits for the kernel's NLMSG_ERROR.
   *
   * @param explanation shown when the kernel refuses
   * @return {@code "ACK"}
   * @throws StepException naming the errno and the kernel's sentence
   */
  public String ack(NlMessage m, String explanation) throws StepException {
    return log.run(
        step,
        "helper",
        m.call(),
        explanation,
        () -> {
          transact(m, new ArrayList<>());
          return "ACK";
        });
  }

  /**
   * Deletes a link by name ({@code RTM_DELLINK}); a link that does not exist (ENODEV) is what was
   * wanted, and the entry says so. Deleting one end of a veth pair deletes the other.
   */
  public String deleteLink(String name) throws StepException {
    NlMessage m =
        NlMessage.link(
            Rtnl.RTM_DELLINK,
            Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK,
            0,
            0,
            0,
            NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", name));
    return log.run(
        step,
        "helper",
        m.call(),
        null,
        () -> {
          try {
            transact(m, new ArrayList<>());
            return "ACK";
          } catch (SyscallException e) {
            if (e.errno() == ENODEV) {
              return GONE;
            }
            throw e;
          }
        });
  }

  /** The result of a delete or lookup whose link does not exist. */
  public static final String GONE = "ENODEV (no such device): nothing to do";

  private static final int ENODEV = 19;

  /**
   * Asks for one link by name ({@code RTM_GETLINK}); empty when the kernel answers ENODEV. Logged.
   */
  public Optional<NlParser.Link> link(String name) throws StepException {
    NlMessage m =
        NlMessage.link(
            Rtnl.RTM_GETLINK,
            Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK,
            0,
            0,
            0,
            NlAttr.u32(
                Rtnl.IFLA_EXT_MASK,
                "IFLA_EXT_MASK",
                Rtnl.RTEXT_FILTER_VF | Rtnl.RTEXT_FILTER_SKIP_STATS),
            NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", name));
    List<NlParser.Link> found = new ArrayList<>();
    log.run(
        step,
        "helper",
        m.call(),
        null,
        () -> {
          List<NlParser.Message> answers = new ArrayList<>();
          try {
            transact(m, answers);
          } catch (SyscallException e) {
            if (e.errno() == ENODEV) {
              return GONE;
            }
            throw e;
          }
          for (NlParser.Message a : answers) {
            if (a.type() == Rtnl.RTM_NEWLINK) {
              found.add(NlParser.link(a));
            }
          }
          return found.isEmpty()
              ? "no answer"
              : "RTM_NEWLINK {ifi_index="
                  + found.get(0).index()
                  + ", IFLA_IFNAME \""
                  + name
                  + "\"}";
        });
    return found.stream().findFirst();
  }

  /** Dumps every IPv4 address ({@code RTM_GETADDR}, NLM_F_DUMP). Logged. */
  public List<NlParser.Addr> addresses() throws StepException {
    NlMessage m =
        NlMessage.addr(
            Rtnl.RTM_GETADDR, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, Rtnl.AF_INET, 0, 0, 0);
    List<NlParser.Addr> out = new ArrayList<>();
    log.run(
        step,
        "helper",
        m.call(),
        null,
        () -> {
          for (NlParser.Message a : dump(m)) {
            if (a.type() == Rtnl.RTM_NEWADDR) {
              out.add(NlParser.addr(a));
            }
          }
          return out.size() + " × RTM_NEWADDR, NLMSG_DONE";
        });
    return out;
  }

  /**
   * Sends a request that asks for an ack and collects what comes before the NLMSG_ERROR for its
   * sequence number.
   *
   * @throws SyscallException the kernel's refusal, as {@code RTM_NEWLINK(…) = -1 EEXIST (File
   *     exists; kernel: …)}
   */
  private NlParser.Ack transact(NlMessage m, List<NlParser.Message> before)
      throws SyscallException, IOException {
    int s = seq++;
    nl.send(fd, m.encode(s));
    while (true) {
      for (NlParser.Message r : NlDump.parse(nl.receive(fd))) {
        if (r.seq() != s) {
          continue;
        }
        if (r.type() != Rtnl.NLMSG_ERROR) {
          before.add(r);
          continue;
        }
        NlParser.Ack a = NlParser.ack(r);
        if (!a.ok()) {
          int errno = -a.error();
          throw new SyscallException(
              m.call(),
              errno,
              Errno.name(errno),
              nl.strerror(errno) + (a.extack() == null ? "" : "; kernel: " + a.extack()));
        }
        return a;
      }
    }
  }

  /** A dump: every message up to NLMSG_DONE (a dump's error, if any, comes as NLMSG_ERROR). */
  private List<NlParser.Message> dump(NlMessage m) throws SyscallException, IOException {
    return NlDump.dump(nl, fd, m, seq++);
  }

  @Override
  public void close() {
    nl.close(fd);
  }
}
