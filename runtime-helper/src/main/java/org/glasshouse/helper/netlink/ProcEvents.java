package org.glasshouse.helper.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.linux.SockFilter;

/**
 * The messages of the kernel's process events connector (linux/cn_proc.h, linux/connector.h): the
 * {@code PROC_CN_MCAST_LISTEN} request, a classic-BPF filter that keeps only process (not thread)
 * forks, execs and process exits, and the parser of what arrives. Host byte order throughout, as
 * netlink is.
 *
 * <p>Layout of an event datagram: {@code struct nlmsghdr} (16 bytes), {@code struct cn_msg} (id
 * {idx, val}, seq, ack, u16 len, u16 flags: 20 bytes), then {@code struct proc_event}: u32 what,
 * u32 cpu, u64 timestamp_ns, and the union of event data at byte 52 of the datagram.
 *
 * <p>The parser trusts nothing: a datagram that is short, names a length beyond its end, or comes
 * from another connector is skipped, never an exception.
 */
public final class ProcEvents {

  /** What happened to a process. */
  public enum Kind {
    /** A new process (its {@link Event#pid}), made by {@link Event#parent}. */
    FORK,
    /** {@link Event#pid} ran execve. */
    EXEC,
    /** {@link Event#pid} exited. */
    EXIT
  }

  /**
   * One event about a process (a thread group).
   *
   * @param kind what happened
   * @param pid the process (its thread-group id)
   * @param parent for a fork, the process that forked; else 0
   */
  public record Event(Kind kind, long pid, long parent) {}

  static final int NLMSG_HDRLEN = 16;
  static final int CN_MSG_LEN = 20;
  static final int NLMSG_DONE = 3;
  static final int CN_IDX_PROC = 1;
  static final int CN_VAL_PROC = 1;
  static final int PROC_CN_MCAST_LISTEN = 1;
  static final int PROC_CN_MCAST_IGNORE = 2;
  static final int WHAT = NLMSG_HDRLEN + CN_MSG_LEN; // 36
  static final int DATA = WHAT + 16; // 52
  static final int PROC_EVENT_FORK = 0x1;
  static final int PROC_EVENT_EXEC = 0x2;
  static final int PROC_EVENT_EXIT = 0x80000000;

  private ProcEvents() {}

  /**
   * The {@code PROC_CN_MCAST_LISTEN} request: nlmsghdr {len 40, NLMSG_DONE, pid 0}, cn_msg {id
   * {CN_IDX_PROC, CN_VAL_PROC}, len 4}, then the u32 op.
   */
  public static byte[] listen() {
    return request(PROC_CN_MCAST_LISTEN);
  }

  /** The {@code PROC_CN_MCAST_IGNORE} request, as {@link #listen} but for op 2. */
  public static byte[] ignore() {
    return request(PROC_CN_MCAST_IGNORE);
  }

  private static byte[] request(int op) {
    ByteBuffer b =
        ByteBuffer.allocate(NLMSG_HDRLEN + CN_MSG_LEN + 4).order(ByteOrder.nativeOrder());
    b.putInt(NLMSG_HDRLEN + CN_MSG_LEN + 4).putShort((short) NLMSG_DONE).putShort((short) 0);
    b.putInt(0).putInt(0);
    b.putInt(CN_IDX_PROC).putInt(CN_VAL_PROC).putInt(0).putInt(0);
    b.putShort((short) 4).putShort((short) 0);
    b.putInt(op);
    return b.array();
  }

  /**
   * A socket filter keeping the events {@link #parse} reports: an exec; a fork whose child is a
   * process (child pid = child tgid, not a new thread); an exit of a process (pid = tgid). Every
   * other event (threads, uid, gid, sid, comm, ptrace, coredump) is dropped by the kernel before it
   * is queued, which matters on a machine whose JVMs start threads all the time. Classic BPF loads
   * words big-endian, so the constants compared with {@code what} are byte-swapped on a
   * little-endian host; pid = tgid compares two loaded words, which needs no swapping.
   */
  public static List<SockFilter> filter() {
    int ldW = 0x20; // BPF_LD|BPF_W|BPF_ABS
    int st = 0x02; // BPF_ST: M[k] = A
    int ldxMem = 0x61; // BPF_LDX|BPF_W|BPF_MEM: X = M[k]
    int jeqK = 0x15; // BPF_JMP|BPF_JEQ|BPF_K
    int jeqX = 0x1d; // BPF_JMP|BPF_JEQ|BPF_X
    int ret = 0x06; // BPF_RET|BPF_K
    // A jump's offsets count from the next instruction.
    return List.of(
        new SockFilter(ldW, 0, 0, WHAT), // 0: A = what
        new SockFilter(jeqK, 12, 0, wire(PROC_EVENT_EXEC)), // 1: exec → 14
        new SockFilter(jeqK, 0, 5, wire(PROC_EVENT_FORK)), // 2: fork → 3, else → 8
        new SockFilter(ldW, 0, 0, DATA + 8), // 3: A = child_pid
        new SockFilter(st, 0, 0, 0), // 4: M[0] = A
        new SockFilter(ldW, 0, 0, DATA + 12), // 5: A = child_tgid
        new SockFilter(ldxMem, 0, 0, 0), // 6: X = M[0]
        new SockFilter(jeqX, 6, 7, 0), // 7: a process → 14, a thread → 15
        new SockFilter(jeqK, 0, 6, wire(PROC_EVENT_EXIT)), // 8: exit → 9, else → 15
        new SockFilter(ldW, 0, 0, DATA), // 9: A = process_pid
        new SockFilter(st, 0, 0, 0), // 10: M[0] = A
        new SockFilter(ldW, 0, 0, DATA + 4), // 11: A = process_tgid
        new SockFilter(ldxMem, 0, 0, 0), // 12: X = M[0]
        new SockFilter(jeqX, 0, 1, 0), // 13: the process → 14, a thread → 15
        new SockFilter(ret, 0, 0, 0xffff), // 14: keep
        new SockFilter(ret, 0, 0, 0)); // 15: drop
  }

  /** {@code v} as a BPF_ABS word load sees the host-order u32 that holds it. */
  static int wire(int v) {
    return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(v) : v;
  }

  /**
   * The process events in one datagram; anything else in it (another connector's message, the
   * listen acknowledgement, a thread's event, a truncated or malformed message) is left out.
   */
  public static List<Event> parse(byte[] datagram) {
    List<Event> out = new ArrayList<>(1);
    if (datagram == null) {
      return out;
    }
    ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
    int at = 0;
    while (datagram.length - at >= NLMSG_HDRLEN) {
      long len = Integer.toUnsignedLong(b.getInt(at));
      if (len < NLMSG_HDRLEN || len > datagram.length - at) {
        break;
      }
      int end = at + (int) len;
      Event e = event(b, at, end);
      if (e != null) {
        out.add(e);
      }
      // NLMSG_ALIGN: messages start on 4-byte boundaries.
      at = (int) Math.min(datagram.length, (end + 3L) & ~3L);
    }
    return out;
  }

  private static Event event(ByteBuffer b, int at, int end) {
    int cn = at + NLMSG_HDRLEN;
    if (end - cn < CN_MSG_LEN) {
      return null;
    }
    if (b.getInt(cn) != CN_IDX_PROC || b.getInt(cn + 4) != CN_VAL_PROC) {
      return null;
    }
    int dataLen = Short.toUnsignedInt(b.getShort(cn + 16));
    int ev = cn + CN_MSG_LEN;
    if (dataLen > end - ev || dataLen < 16) {
      return null;
    }
    int what = b.getInt(ev);
    int data = ev + 16;
    int have = dataLen - 16;
    switch (what) {
      case PROC_EVENT_FORK -> {
        if (have < 16) {
          return null;
        }
        long parentTgid = Integer.toUnsignedLong(b.getInt(data + 4));
        long childPid = Integer.toUnsignedLong(b.getInt(data + 8));
        long childTgid = Integer.toUnsignedLong(b.getInt(data + 12));
        return childPid == childTgid && childPid > 0
            ? new Event(Kind.FORK, childTgid, parentTgid)
            : null;
      }
      case PROC_EVENT_EXEC -> {
        if (have < 8) {
          return null;
        }
        long tgid = Integer.toUnsignedLong(b.getInt(data + 4));
        return tgid > 0 ? new Event(Kind.EXEC, tgid, 0) : null;
      }
      case PROC_EVENT_EXIT -> {
        if (have < 8) {
          return null;
        }
        long pid = Integer.toUnsignedLong(b.getInt(data));
        long tgid = Integer.toUnsignedLong(b.getInt(data + 4));
        return pid == tgid && pid > 0 ? new Event(Kind.EXIT, tgid, 0) : null;
      }
      default -> {
        return null;
      }
    }
  }
}
