package org.glasshouse.helper.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.glasshouse.helper.linux.ProcConnectorCalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.netlink.ProcEvents;

/**
 * The processes that forked, exec'd or exited on the machine since the last {@link #drain}, from
 * the kernel's process events connector ({@link ProcConnectorCalls}); the socket is drained without
 * waiting. When the kernel dropped events (the socket's buffer overflowed: {@code ENOBUFS}) or the
 * socket failed, the drain says {@link Drained#lost}: the caller must re-read what it tracks. After
 * {@value #FAILURES_BEFORE_GIVING_UP} drains in a row that failed with anything else the watch is
 * {@link #broken()} and closes its socket (the caller goes back to polling).
 *
 * <p>Not thread-safe: one reader (the pump thread).
 */
public final class ProcEventWatch implements AutoCloseable {

  /** 4 MiB of queued events: ~55,000 events between two drains of a busy machine. */
  static final int RECEIVE_BUFFER = 4 << 20;

  /** More datagrams than this in one drain and the rest counts as lost (bounded work per tick). */
  static final int MAX_PER_DRAIN = 20_000;

  static final int FAILURES_BEFORE_GIVING_UP = 3;

  private static final int ENOBUFS = 105;

  private final ProcConnectorCalls calls;
  private int fd;
  private int failures;

  /**
   * What one drain found.
   *
   * @param events the process events, in the kernel's order
   * @param lost whether some were dropped (or could not be read): what is tracked must be re-read
   */
  public record Drained(List<ProcEvents.Event> events, boolean lost) {}

  private ProcEventWatch(ProcConnectorCalls calls, int fd) {
    this.calls = calls;
    this.fd = fd;
  }

  /**
   * Opens the connector and asks the kernel for events, or null when that fails (not root, a kernel
   * without {@code CONFIG_PROC_EVENTS}, a seccomp filter…), the reason given to {@code why}.
   */
  public static ProcEventWatch open(ProcConnectorCalls calls, Consumer<String> why) {
    try {
      return new ProcEventWatch(
          calls, calls.open(ProcEvents.filter(), RECEIVE_BUFFER, ProcEvents.listen()));
    } catch (SyscallException | RuntimeException | LinkageError e) {
      why.accept(e.getMessage() == null ? e.toString() : e.getMessage());
      return null;
    }
  }

  /** Whether the socket failed {@value #FAILURES_BEFORE_GIVING_UP} drains in a row (now closed). */
  public boolean broken() {
    return fd < 0;
  }

  /** Everything queued since the last drain; never blocks, never throws. */
  public Drained drain() {
    if (fd < 0) {
      return new Drained(List.of(), true);
    }
    List<ProcEvents.Event> out = new ArrayList<>();
    boolean lost = false;
    for (int n = 0; ; n++) {
      if (n == MAX_PER_DRAIN) {
        lost = true;
        break;
      }
      byte[] d;
      try {
        d = calls.receive(fd);
      } catch (SyscallException e) {
        lost = true;
        if (e.errno() == ENOBUFS) {
          continue; // the overflow is reported once; what is queued after it is read
        }
        if (++failures >= FAILURES_BEFORE_GIVING_UP) {
          close();
        }
        return new Drained(out, true);
      } catch (RuntimeException e) {
        lost = true;
        break;
      }
      if (d == null) {
        break;
      }
      out.addAll(ProcEvents.parse(d));
    }
    failures = 0;
    return new Drained(out, lost);
  }

  @Override
  public void close() {
    if (fd >= 0) {
      calls.close(fd, ProcEvents.ignore());
      fd = -1;
    }
  }
}
