package org.glasshouse.helper.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A container's most recent output, all streams in order, for {@code logs}: a bounded log like a
 * rotated file — older bytes leave as newer ones come. Each chunk is charged its length plus a
 * fixed overhead, so a container writing one byte at a time cannot make the log hold more memory
 * than its bound; consecutive small writes to one stream are merged.
 *
 * <p>Its monitor also orders the log against its followers: {@link EventHub#publishOutput} appends
 * and hands the chunk to followers while holding it, and {@code logs} takes its snapshot and
 * subscribes while holding it, so a follower gets every byte after the snapshot exactly once.
 */
final class OutputLog {

  /** One piece of output. */
  record Chunk(String stream, byte[] data) {}

  /** What a chunk costs besides its bytes (object headers, deque slot). */
  static final int CHUNK_OVERHEAD = 64;

  /** Consecutive writes to one stream are merged while the merged chunk stays this small. */
  static final int MERGE_BYTES = 4096;

  private final long capacity;
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private long charged;
  private long dropped;
  private long total;
  private boolean ended;

  OutputLog(long capacity) {
    this.capacity = capacity;
  }

  /** Appends output; the oldest bytes leave when the bound is reached. */
  synchronized void append(String stream, byte[] data) {
    if (data.length == 0) {
      return;
    }
    total += data.length;
    Chunk last = chunks.peekLast();
    if (last != null
        && last.stream().equals(stream)
        && last.data().length + data.length <= MERGE_BYTES) {
      chunks.pollLast();
      charged -= cost(last);
      byte[] merged = Arrays.copyOf(last.data(), last.data().length + data.length);
      System.arraycopy(data, 0, merged, last.data().length, data.length);
      add(new Chunk(stream, merged));
    } else {
      add(new Chunk(stream, data));
    }
    while (charged > capacity && !chunks.isEmpty()) {
      long over = charged - capacity;
      Chunk first = chunks.pollFirst();
      charged -= cost(first);
      int len = first.data().length;
      if (over < len) {
        // Trimming the oldest chunk is enough: keep its newest bytes.
        byte[] rest = Arrays.copyOfRange(first.data(), (int) over, len);
        dropped += over;
        Chunk trimmed = new Chunk(first.stream(), rest);
        chunks.addFirst(trimmed);
        charged += cost(trimmed);
      } else {
        dropped += len;
      }
    }
  }

  private void add(Chunk c) {
    chunks.addLast(c);
    charged += cost(c);
  }

  private static long cost(Chunk c) {
    return c.data().length + CHUNK_OVERHEAD;
  }

  /** The log's content, oldest first, merged into pieces of at most {@code maxPiece} bytes. */
  synchronized List<Chunk> snapshot(int maxPiece) {
    List<Chunk> out = new ArrayList<>();
    String stream = null;
    byte[] piece = null;
    int len = 0;
    for (Chunk c : chunks) {
      int off = 0;
      while (off < c.data().length) {
        if (piece != null && (!c.stream().equals(stream) || len == maxPiece)) {
          out.add(new Chunk(stream, Arrays.copyOf(piece, len)));
          piece = null;
        }
        if (piece == null) {
          piece = new byte[maxPiece];
          stream = c.stream();
          len = 0;
        }
        int n = Math.min(maxPiece - len, c.data().length - off);
        System.arraycopy(c.data(), off, piece, len, n);
        len += n;
        off += n;
      }
    }
    if (piece != null && len > 0) {
      out.add(new Chunk(stream, Arrays.copyOf(piece, len)));
    }
    return out;
  }

  /** Bytes the container wrote that are no longer in the log. */
  synchronized long dropped() {
    return dropped;
  }

  /** Bytes the container wrote in all. */
  synchronized long total() {
    return total;
  }

  /** No more output will come (the container's output ended, its exit is being reported). */
  synchronized void end() {
    ended = true;
  }

  synchronized boolean ended() {
    return ended;
  }
}
