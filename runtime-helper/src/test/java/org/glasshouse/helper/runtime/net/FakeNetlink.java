package org.glasshouse.helper.runtime.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.glasshouse.helper.linux.Errno;
import org.glasshouse.helper.linux.NetlinkCalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.netlink.Ipv4;
import org.glasshouse.helper.netlink.NlAttr;
import org.glasshouse.helper.netlink.NlParser;
import org.glasshouse.helper.netlink.Rtnl;

/**
 * A kernel's rtnetlink side in miniature, for step-order tests: acknowledges every request, answers
 * RTM_GETLINK with a made-up ifindex per name (ENODEV for names in {@link #missing}), a GETADDR
 * dump with {@link #hostAddresses}, and refuses requests that {@link #refuse} matches with an errno
 * and an extended-ack sentence. Records which thread opened each socket.
 */
final class FakeNetlink implements NetlinkCalls {

  /** One request as the fake saw it. */
  record Sent(int fd, int type, String thread) {}

  final List<Sent> sent = new ArrayList<>();
  final List<String> openedOn = new ArrayList<>();
  final List<String[]> hostAddresses = new ArrayList<>();
  final List<String> missing = new ArrayList<>();
  private final Map<Integer, Deque<byte[]>> queues = new HashMap<>();
  private final Map<String, Integer> indexes = new HashMap<>();
  private Predicate<Integer> refuse = t -> false;
  private int refuseErrno;
  private String refuseSentence;
  private int nextFd = 100;

  /** Refuses requests of a type with {@code errno} and the kernel's {@code sentence}. */
  FakeNetlink refuse(Predicate<Integer> type, int errno, String sentence) {
    this.refuse = type;
    this.refuseErrno = errno;
    this.refuseSentence = sentence;
    return this;
  }

  @Override
  public synchronized int open() {
    int fd = nextFd++;
    queues.put(fd, new ArrayDeque<>());
    openedOn.add(Thread.currentThread().getName());
    return fd;
  }

  @Override
  public synchronized void send(int fd, byte[] m) throws SyscallException {
    ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
    int type = b.getShort(4) & 0xffff;
    int seq = b.getInt(8);
    sent.add(new Sent(fd, type, Thread.currentThread().getName()));
    Deque<byte[]> q = queues.get(fd);
    if (q == null) {
      throw new SyscallException("send", fd + "", 9, Errno.name(9), "bad fd");
    }
    if (refuse.test(type)) {
      q.add(error(seq, type, -refuseErrno, refuseSentence));
      return;
    }
    if (type == Rtnl.RTM_GETADDR) {
      ByteBuffer out = buf(4096);
      for (String[] a : hostAddresses) {
        addr(out, seq, a[0], Integer.parseInt(a[1]), a[2]);
      }
      header(out, 16, Rtnl.NLMSG_DONE, Rtnl.NLM_F_MULTI, seq);
      q.add(trim(out));
      return;
    }
    if (type == Rtnl.RTM_GETLINK) {
      String name = ifname(m);
      if (missing.contains(name)) {
        q.add(error(seq, type, -19, null));
        return;
      }
      int index = indexes.computeIfAbsent(name, n -> indexes.size() + 2);
      ByteBuffer out = buf(256);
      byte[] z = (name + "\0").getBytes(StandardCharsets.UTF_8);
      int len = 16 + 16 + NlAttr.align(4 + z.length);
      header(out, len, Rtnl.RTM_NEWLINK, 0, seq);
      out.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(index).putInt(0).putInt(0);
      out.putShort((short) (4 + z.length)).putShort((short) Rtnl.IFLA_IFNAME).put(z);
      pad(out);
      out.put(error(seq, type, 0, null));
      q.add(trim(out));
      return;
    }
    q.add(error(seq, type, 0, null));
  }

  @Override
  public synchronized byte[] receive(int fd) throws SyscallException {
    byte[] d = queues.get(fd).poll();
    if (d == null) {
      throw new SyscallException("recv", fd + "", 11, "EAGAIN", "nothing to read");
    }
    return d;
  }

  @Override
  public synchronized void close(int fd) {
    queues.remove(fd);
  }

  @Override
  public String strerror(int errno) {
    return switch (errno) {
      case 17 -> "File exists";
      case 19 -> "No such device";
      case 101 -> "Network is unreachable";
      default -> "error " + errno;
    };
  }

  /** The request types sent, by name, in order. */
  synchronized List<String> types() {
    return sent.stream().map(s -> Rtnl.typeName(s.type())).toList();
  }

  private static String ifname(byte[] m) {
    Map<Integer, byte[]> a = NlParser.attrs(java.util.Arrays.copyOfRange(m, 32, m.length), 0);
    byte[] v = a.get(Rtnl.IFLA_IFNAME);
    return v == null ? "" : new String(v, 0, v.length - 1, StandardCharsets.UTF_8);
  }

  private static byte[] error(int seq, int type, int error, String sentence) {
    ByteBuffer out = buf(256);
    byte[] msg = sentence == null ? null : (sentence + "\0").getBytes(StandardCharsets.UTF_8);
    int len = 16 + 4 + 16 + (msg == null ? 0 : NlAttr.align(4 + msg.length));
    int flags = Rtnl.NLM_F_CAPPED | (msg == null ? 0 : Rtnl.NLM_F_ACK_TLVS);
    header(out, len, Rtnl.NLMSG_ERROR, flags, seq);
    out.putInt(error);
    header(out, 32, type, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, seq);
    if (msg != null) {
      out.putShort((short) (4 + msg.length)).putShort((short) 1).put(msg);
      pad(out);
    }
    return trim(out);
  }

  private static void addr(ByteBuffer out, int seq, String ip, int prefix, String label) {
    byte[] l = (label + "\0").getBytes(StandardCharsets.UTF_8);
    int len = 16 + 8 + 8 + NlAttr.align(4 + l.length);
    header(out, len, Rtnl.RTM_NEWADDR, Rtnl.NLM_F_MULTI, seq);
    out.put((byte) Rtnl.AF_INET).put((byte) prefix).put((byte) 0).put((byte) 0).putInt(1);
    out.putShort((short) 8).putShort((short) Rtnl.IFA_LOCAL).put(Ipv4.parse(ip).bytes());
    out.putShort((short) (4 + l.length)).putShort((short) Rtnl.IFA_LABEL).put(l);
    pad(out);
  }

  private static void header(ByteBuffer out, int len, int type, int flags, int seq) {
    out.putInt(len).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
  }

  private static void pad(ByteBuffer out) {
    while (out.position() % 4 != 0) {
      out.put((byte) 0);
    }
  }

  private static ByteBuffer buf(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.nativeOrder());
  }

  private static byte[] trim(ByteBuffer b) {
    return java.util.Arrays.copyOf(b.array(), b.position());
  }
}
