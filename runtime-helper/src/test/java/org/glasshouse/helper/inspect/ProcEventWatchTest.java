package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.glasshouse.helper.linux.ProcConnectorCalls;
import org.glasshouse.helper.linux.SockFilter;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.netlink.ProcEvents;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcEventWatch} on a scripted socket: junk datagrams are skipped, an overflow ({@code
 * ENOBUFS}) says lost and the drain goes on, a socket that keeps failing is given up and closed.
 */
class ProcEventWatchTest {

  /** Answers receive() from a script: a datagram, an errno (as Integer), or null (EAGAIN). */
  static final class Scripted implements ProcConnectorCalls {
    final Deque<Object> script = new ArrayDeque<>();
    int closed;

    @Override
    public int open(List<SockFilter> filter, int receiveBuffer, byte[] listen) {
      return 9;
    }

    @Override
    public byte[] receive(int fd) throws SyscallException {
      Object o = script.poll();
      if (o instanceof Integer errno) {
        throw new SyscallException("recv", "9, […]", errno, "E" + errno, "scripted");
      }
      return (byte[]) o;
    }

    @Override
    public void close(int fd, byte[] goodbye) {
      closed++;
    }
  }

  private static byte[] exec(int pid) {
    return org.glasshouse.helper.netlink.ProcEventsTestAccess.event(0x2, pid, pid);
  }

  @Test
  void junkIsSkippedAndEventsAroundItAreKept() {
    Scripted s = new Scripted();
    ProcEventWatch w = ProcEventWatch.open(s, why -> {});
    Random r = new Random(7);
    s.script.add(exec(10));
    for (int i = 0; i < 100; i++) {
      byte[] junk = new byte[r.nextInt(120)];
      r.nextBytes(junk);
      s.script.add(junk);
    }
    s.script.add(new byte[0]);
    s.script.add(exec(11));
    ProcEventWatch.Drained d = w.drain();
    assertFalse(d.lost());
    assertEquals(
        List.of(
            new ProcEvents.Event(ProcEvents.Kind.EXEC, 10, 0),
            new ProcEvents.Event(ProcEvents.Kind.EXEC, 11, 0)),
        d.events().stream().filter(e -> e.pid() == 10 || e.pid() == 11).toList());
  }

  @Test
  void anOverflowIsLostButTheDrainGoesOn() {
    Scripted s = new Scripted();
    ProcEventWatch w = ProcEventWatch.open(s, why -> {});
    s.script.add(exec(10));
    s.script.add(105); // ENOBUFS
    s.script.add(exec(11));
    ProcEventWatch.Drained d = w.drain();
    assertTrue(d.lost());
    assertEquals(2, d.events().size());
    assertFalse(w.drain().lost(), "the next drain is clean");
  }

  @Test
  void aSocketThatKeepsFailingIsClosed() {
    Scripted s = new Scripted();
    ProcEventWatch w = ProcEventWatch.open(s, why -> {});
    for (int i = 0; i < ProcEventWatch.FAILURES_BEFORE_GIVING_UP; i++) {
      assertFalse(w.broken());
      s.script.add(9); // EBADF
      assertTrue(w.drain().lost());
    }
    assertTrue(w.broken());
    assertEquals(1, s.closed);
    assertTrue(w.drain().lost());
  }
}
