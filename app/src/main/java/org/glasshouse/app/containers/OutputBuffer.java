package org.glasshouse.app.containers;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glasshouse.app.core.SkippedOutput;

/**
 * Output of each container that waits for the UI, filled by the socket reader and taken by the FX
 * thread. It keeps about the last 64 KiB per container: when the UI falls that far behind a flood,
 * the terminal is told how much was skipped instead of the FX thread drowning (a screen shows the
 * tail anyway, and a hand-over costs the FX thread in proportion to its size).
 *
 * <p>Chunks are kept as they came, by reference: the reader only links and unlinks arrays while it
 * holds a container's lock, so the FX thread never waits behind a copy; the one copy into a single
 * array happens in {@link #take} once the pending bytes are detached from the map.
 */
final class OutputBuffer {
  static final int MAX_PENDING = 64 * 1024;

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  private static final class Pending {
    final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    long size;
    long skipped;
    boolean taken;
  }

  /**
   * Appends (keeping a reference: callers hand over arrays they no longer change); returns true
   * when this container had nothing pending (schedule a hand-over).
   */
  boolean append(String container, byte[] data) {
    // One lock per container's pending bytes, not one for all: the reader appends without pause,
    // and the FX thread taking twenty containers' output must not queue behind it on one monitor.
    while (true) {
      boolean[] first = {false};
      Pending p =
          pending.computeIfAbsent(
              container,
              c -> {
                first[0] = true;
                return new Pending();
              });
      synchronized (p) {
        if (p.taken) {
          continue; // taken between the lookup and the lock: start a fresh one
        }
        p.chunks.addLast(data);
        p.size += data.length;
        // Drop whole chunks from the front while the rest still fills the cap.
        while (p.size - p.chunks.peekFirst().length >= MAX_PENDING) {
          byte[] old = p.chunks.removeFirst();
          p.size -= old.length;
          p.skipped += old.length;
        }
      }
      return first[0];
    }
  }

  /**
   * Takes what is pending for a container (its last {@link #MAX_PENDING} bytes, after a note when
   * bytes were skipped), or null.
   */
  byte[] take(String container) {
    Pending p = pending.remove(container);
    if (p == null) {
      return null;
    }
    synchronized (p) {
      p.taken = true;
    }
    long skipped = p.skipped;
    int keep = (int) Math.min(p.size, MAX_PENDING);
    skipped += p.size - keep;
    byte[] note = skipped == 0 ? new byte[0] : SkippedOutput.note(skipped);
    byte[] out = new byte[note.length + keep];
    System.arraycopy(note, 0, out, 0, note.length);
    // Copy the tail: skip what lies before the last `keep` bytes.
    long drop = p.size - keep;
    int at = note.length;
    for (byte[] c : p.chunks) {
      int from = (int) Math.min(c.length, drop);
      drop -= from;
      System.arraycopy(c, from, out, at, c.length - from);
      at += c.length - from;
    }
    return out;
  }
}
