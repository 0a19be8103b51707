package org.glasshouse.helper.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.glasshouse.helper.linux.SockFilter;
import org.junit.jupiter.api.Test;

/**
 * The process events connector's messages: the listen request's bytes, the parse of each event kind
 * (threads left out), hostile datagrams (never an exception), and the socket filter run by a small
 * classic-BPF interpreter on the same datagrams.
 */
class ProcEventsTest {

  /** An event datagram as the kernel sends it: nlmsghdr, cn_msg, proc_event with {@code words}. */
  static byte[] event(int what, int... words) {
    int dataLen = 16 + 4 * Math.max(words.length, 6);
    int total = 16 + 20 + dataLen;
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.nativeOrder());
    b.putInt(total).putShort((short) 3).putShort((short) 0).putInt(7).putInt(0);
    b.putInt(1).putInt(1).putInt(7).putInt(0).putShort((short) dataLen).putShort((short) 0);
    b.putInt(what).putInt(0).putLong(123456789L);
    for (int w : words) {
      b.putInt(w);
    }
    return b.array();
  }

  @Test
  void theListenRequestIsANetlinkDoneMessageForTheProcConnector() {
    ByteBuffer b = ByteBuffer.wrap(ProcEvents.listen()).order(ByteOrder.nativeOrder());
    assertEquals(40, b.capacity());
    assertEquals(40, b.getInt(0), "nlmsg_len");
    assertEquals(3, b.getShort(4), "NLMSG_DONE");
    assertEquals(1, b.getInt(16), "CN_IDX_PROC");
    assertEquals(1, b.getInt(20), "CN_VAL_PROC");
    assertEquals(4, b.getShort(32), "cn_msg len");
    assertEquals(1, b.getInt(36), "PROC_CN_MCAST_LISTEN");
    assertEquals(2, ByteBuffer.wrap(ProcEvents.ignore()).order(ByteOrder.nativeOrder()).getInt(36));
  }

  @Test
  void forksExecsAndExitsOfProcessesAreParsedThreadsAreNot() {
    assertEquals(
        List.of(new ProcEvents.Event(ProcEvents.Kind.FORK, 200, 100)),
        ProcEvents.parse(event(0x1, 100, 100, 200, 200)));
    assertEquals(List.of(), ProcEvents.parse(event(0x1, 100, 100, 201, 200)), "a new thread");
    assertEquals(
        List.of(new ProcEvents.Event(ProcEvents.Kind.EXEC, 300, 0)),
        ProcEvents.parse(event(0x2, 301, 300)));
    assertEquals(
        List.of(new ProcEvents.Event(ProcEvents.Kind.EXIT, 400, 0)),
        ProcEvents.parse(event(0x80000000, 400, 400, 0, 9, 1, 1)));
    assertEquals(List.of(), ProcEvents.parse(event(0x80000000, 401, 400)), "a thread's exit");
    assertEquals(List.of(), ProcEvents.parse(event(0x4, 400, 400, 0, 0)), "a uid change");
    assertEquals(List.of(), ProcEvents.parse(event(0, 0)), "the listen acknowledgement");
  }

  @Test
  void twoMessagesInOneDatagramAreBothRead() {
    byte[] a = event(0x2, 5, 5);
    byte[] b = event(0x80000000, 6, 6);
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    assertEquals(2, ProcEvents.parse(both).size());
  }

  @Test
  void malformedDatagramsAreSkippedNeverThrown() {
    assertEquals(List.of(), ProcEvents.parse(null));
    assertEquals(List.of(), ProcEvents.parse(new byte[0]));
    assertEquals(List.of(), ProcEvents.parse(new byte[15]));
    byte[] e = event(0x2, 5, 5);
    // nlmsg_len beyond the datagram, below a header, negative as an int.
    for (int len : new int[] {e.length + 1, 8, -1, 0}) {
      byte[] bad = e.clone();
      ByteBuffer.wrap(bad).order(ByteOrder.nativeOrder()).putInt(0, len);
      assertEquals(List.of(), ProcEvents.parse(bad), "nlmsg_len " + len);
    }
    // cn_msg len beyond the message; another connector's id.
    byte[] longData = e.clone();
    ByteBuffer.wrap(longData).order(ByteOrder.nativeOrder()).putShort(32, (short) 0xffff);
    assertEquals(List.of(), ProcEvents.parse(longData));
    byte[] other = e.clone();
    ByteBuffer.wrap(other).order(ByteOrder.nativeOrder()).putInt(16, 2);
    assertEquals(List.of(), ProcEvents.parse(other));
    // Every truncation, and random bytes.
    for (int n = 0; n < e.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(e, n);
      ByteBuffer.wrap(cut).order(ByteOrder.nativeOrder());
      ProcEvents.parse(cut);
    }
    Random r = new Random(16);
    for (int i = 0; i < 20_000; i++) {
      byte[] junk = new byte[r.nextInt(200)];
      r.nextBytes(junk);
      if (junk.length >= 4 && r.nextBoolean()) {
        ByteBuffer.wrap(junk).order(ByteOrder.nativeOrder()).putInt(0, junk.length);
      }
      ProcEvents.parse(junk);
    }
  }

  @Test
  void theFilterKeepsWhatTheParserReportsAndDropsTheRest() {
    List<SockFilter> f = ProcEvents.filter();
    for (int i = 0; i < f.size(); i++) {
      SockFilter s = f.get(i);
      if ((s.code() & 0x07) == 0x05) {
        assertTrue(i + 1 + s.jt() < f.size() && i + 1 + s.jf() < f.size(), "jump in range: " + i);
      }
    }
    assertTrue(run(f, event(0x1, 100, 100, 200, 200)) > 0, "process fork");
    assertEquals(0, run(f, event(0x1, 100, 100, 201, 200)), "thread fork");
    assertTrue(run(f, event(0x2, 301, 300)) > 0, "exec");
    assertTrue(run(f, event(0x80000000, 400, 400)) > 0, "process exit");
    assertEquals(0, run(f, event(0x80000000, 401, 400)), "thread exit");
    assertEquals(0, run(f, event(0x200, 400, 400)), "comm");
    assertEquals(0, run(f, event(0, 0)), "none");
    assertEquals(0, run(f, new byte[20]), "too short: the kernel's load out of bounds drops it");
  }

  /** A classic-BPF interpreter for the instructions the filter uses (loads are big-endian). */
  static int run(List<SockFilter> prog, byte[] pkt) {
    int a = 0;
    int x = 0;
    int[] mem = new int[16];
    ByteBuffer be = ByteBuffer.wrap(pkt).order(ByteOrder.BIG_ENDIAN);
    for (int pc = 0; pc < prog.size(); pc++) {
      SockFilter s = prog.get(pc);
      switch (s.code()) {
        case 0x20 -> {
          if (s.k() + 4 > pkt.length) {
            return 0;
          }
          a = be.getInt(s.k());
        }
        case 0x02 -> mem[s.k()] = a;
        case 0x61 -> x = mem[s.k()];
        case 0x15 -> pc += a == s.k() ? s.jt() : s.jf();
        case 0x1d -> pc += a == x ? s.jt() : s.jf();
        case 0x06 -> {
          return s.k();
        }
        default -> throw new AssertionError("unexpected opcode " + s);
      }
    }
    throw new AssertionError("fell off the end");
  }
}
