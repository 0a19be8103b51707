package org.glasshouse.helper.server;

import java.util.ArrayDeque;

/**
 * A connection's outgoing lines, bounded by bytes. Producers (the session's reader thread and the
 * runtime's event threads) never wait: when a line does not fit, {@link #offer} says so and the
 * session drops the client instead of stalling a container.
 */
final class Outbox {
  private final long limitBytes;
  private final ArrayDeque<byte[]> lines = new ArrayDeque<>();
  private long bytes;
  private boolean closed;

  Outbox(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  /** Queues a line; false when closed or when it would exceed the limit. */
  synchronized boolean offer(byte[] line) {
    if (closed || bytes + line.length > limitBytes) {
      return false;
    }
    lines.add(line);
    bytes += line.length;
    notifyAll();
    return true;
  }

  /** The next line; null once closed and drained. */
  synchronized byte[] take() throws InterruptedException {
    while (lines.isEmpty() && !closed) {
      wait();
    }
    byte[] line = lines.poll();
    if (line != null) {
      bytes -= line.length;
    }
    return line;
  }

  /** No more lines are accepted; those queued are still delivered. */
  synchronized void close() {
    closed = true;
    notifyAll();
  }

  /** Closes and forgets the queued lines. */
  synchronized void discard() {
    closed = true;
    lines.clear();
    bytes = 0;
    notifyAll();
  }

  synchronized long queuedBytes() {
    return bytes;
  }
}
