package org.glasshouse.helper.server;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A connection's outgoing lines and the flow control of its containers' output (PROTOCOL.md,
 * "Output and flow control").
 *
 * <p>One FIFO holds every line in the order it was produced, so a container's {@code exited} stays
 * behind its output. Two budgets bound it: replies and events (encoded bytes, {@link
 * Offer#OVERFLOW} beyond the limit: the client fell behind), and output (decoded bytes underway,
 * per container — its window — and for the connection as a whole). Output that the window does not
 * admit either waits ({@link #offerHeld}: the container's pump blocks, so the container blocks in
 * {@code write()}) or is skipped for this connection ({@link #offerFollowed}).
 *
 * <p>A window's bytes come back when the writer has written them into the socket (flow {@code
 * socket}), or when the client grants credit (flow {@code credit}).
 */
final class Outbox {

  /** What offering a reply or an event did. */
  enum Offer {
    QUEUED,
    CLOSED,
    OVERFLOW
  }

  /** Encodes the output event for {@code data[off, off+len)}, saying {@code skipped} if not 0. */
  @FunctionalInterface
  interface Encoder {
    byte[] encode(int off, int len, long skipped);
  }

  /**
   * One queued line.
   *
   * @param container the container of an output line counted against its window, else null
   * @param output the decoded output bytes it carries against that window (0: a control line)
   */
  record Entry(byte[] line, String container, int output) {}

  private static final class Window {
    long available;
    long skipped;

    Window(long available) {
      this.available = available;
    }
  }

  private final long queueLimit;
  private final ArrayDeque<Entry> lines = new ArrayDeque<>();
  private final Map<String, Window> windows = new HashMap<>();
  private long queueBytes;
  private long outputBytes;
  private boolean credit;
  private boolean closed;

  /**
   * @param queueLimit encoded bytes of replies and events that may be queued
   */
  Outbox(long queueLimit) {
    this.queueLimit = queueLimit;
  }

  /** Switches to credit flow: window bytes come back only through {@link #credit}. */
  synchronized void creditFlow(boolean on) {
    credit = on;
  }

  synchronized boolean creditFlow() {
    return credit;
  }

  /** Queues a reply or event; {@link Offer#OVERFLOW} (nothing queued) beyond the limit. */
  synchronized Offer offer(byte[] line) {
    if (closed) {
      return Offer.CLOSED;
    }
    if (queueBytes + line.length > queueLimit) {
      return Offer.OVERFLOW;
    }
    add(new Entry(line, null, 0));
    return Offer.QUEUED;
  }

  /**
   * Queues a line that is part of an answer the client asked for (the log that {@code logs} sends):
   * counted with the replies but never refused — it is bounded by the log's size, and the reader
   * waits for the queue to drain before it serves the next request.
   */
  synchronized void offerAnswer(byte[] line) {
    if (!closed) {
      add(new Entry(line, null, 0));
    }
  }

  /**
   * Queues {@code len} bytes of a held container's output, waiting whenever its window or the
   * connection's output budget is used up: the caller is the container's pump, and its waiting is
   * what makes the container wait. Returns at once when the connection is closed.
   *
   * @throws InterruptedException when the pump is being stopped (the bytes left are not queued)
   */
  synchronized void offerHeld(String container, int len, Encoder encoder)
      throws InterruptedException {
    Window w = window(container);
    int off = 0;
    while (off < len) {
      long room;
      while (!closed && (room = room(w)) <= 0) {
        wait();
      }
      if (closed) {
        return;
      }
      int n = (int) Math.min(len - off, room(w));
      byte[] line = encoder.encode(off, n, w.skipped);
      w.skipped = 0;
      queueOutput(container, w, line, n);
      off += n;
    }
  }

  /**
   * Queues what the window admits now of a followed container's output; the rest is skipped for
   * this connection and reported with its next output line. Never waits.
   *
   * @param whole the line for all {@code len} bytes, encoded once for every follower
   */
  synchronized void offerFollowed(
      String container, int len, Encoder encoder, Supplier<byte[]> whole) {
    if (closed) {
      return;
    }
    Window w = window(container);
    int n = (int) Math.max(0, Math.min(len, room(w)));
    if (n == 0) {
      w.skipped += len;
      return;
    }
    byte[] line = n == len && w.skipped == 0 ? whole.get() : encoder.encode(0, n, w.skipped);
    w.skipped = len - n;
    queueOutput(container, w, line, n);
  }

  private long room(Window w) {
    return Math.min(w.available, Bounds.CONNECTION_OUTPUT_BYTES - outputBytes);
  }

  private void queueOutput(String container, Window w, byte[] line, int n) {
    w.available -= n;
    outputBytes += n;
    lines.add(new Entry(line, container, n));
    notifyAll();
  }

  private void add(Entry e) {
    lines.add(e);
    queueBytes += e.line().length;
    notifyAll();
  }

  private Window window(String container) {
    return windows.computeIfAbsent(container, c -> new Window(Bounds.WINDOW_BYTES));
  }

  /** Widens a container's window (credit flow); returns the window after the grant. */
  synchronized long credit(String container, long bytes) {
    Window w = window(container);
    w.available = Math.min(Bounds.MAX_WINDOW_BYTES, w.available + bytes);
    notifyAll();
    return w.available;
  }

  /** The next line; null once closed and drained. */
  synchronized Entry take() throws InterruptedException {
    while (lines.isEmpty() && !closed) {
      wait();
    }
    return lines.poll();
  }

  /** The writer wrote a line into the socket: its bytes leave the budgets. */
  synchronized void written(Entry e) {
    if (e.output() > 0) {
      outputBytes -= e.output();
      Window w = windows.get(e.container());
      if (w != null && !credit) {
        w.available += e.output();
      }
    } else {
      queueBytes -= e.line().length;
    }
    notifyAll();
  }

  /** Waits until at most {@code bytes} of replies and events are queued (or closed). */
  synchronized void awaitQueuedAtMost(long bytes) throws InterruptedException {
    while (!closed && queueBytes > bytes) {
      wait();
    }
  }

  /** A container is gone: its window is forgotten. */
  synchronized void forget(String container) {
    windows.remove(container);
  }

  /** No more lines are accepted; those queued are still delivered; held offers return. */
  synchronized void close() {
    closed = true;
    notifyAll();
  }

  /** Closes and forgets the queued lines. */
  synchronized void discard() {
    closed = true;
    lines.clear();
    queueBytes = 0;
    outputBytes = 0;
    notifyAll();
  }

  synchronized long queuedBytes() {
    return queueBytes;
  }

  synchronized boolean closed() {
    return closed;
  }
}
