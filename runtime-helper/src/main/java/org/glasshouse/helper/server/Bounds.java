package org.glasshouse.helper.server;

import org.glasshouse.helper.runtime.Container;
import org.glasshouse.protocol.JsonLines;

/**
 * Every bound on what a client can make the helper hold, in one place: PROTOCOL.md's "Bounds"
 * table. Their sum is the helper's heap bound ({@link #heapBytes()}); the helper's JVM runs with a
 * heap limit at least that large ({@code runtime-helper/src/main/jvm/helper.args}, checked by a
 * test), so no client can make it grow without limit — and an unbounded queue would show as an
 * OutOfMemoryError, not as a slow leak.
 */
public final class Bounds {

  private Bounds() {}

  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;

  /** Connections at once. */
  public static final int MAX_CONNECTIONS = 64;

  /** Connections at once of one uid other than root. */
  public static final int MAX_CONNECTIONS_PER_UID = 32;

  /** Connections only root may take: non-root peers together hold at most the rest. */
  public static final int ROOT_RESERVED_CONNECTIONS = 8;

  /** The listen backlog: a burst as large as the connection limit waits in the kernel. */
  public static final int LISTEN_BACKLOG = MAX_CONNECTIONS;

  /** How long a new connection may take to complete {@code hello}. */
  public static final long HELLO_TIMEOUT_MILLIS = 10_000;

  /** How long a connection that waits for nothing may go without a request. */
  public static final long IDLE_TIMEOUT_MILLIS = 10 * 60_000;

  /** Encoded replies and events queued per connection; beyond it the client fell behind. */
  public static final long QUEUE_BYTES = 2 * MIB;

  /** The next request of a connection is read only when at most this much is queued. */
  public static final long QUEUE_READ_PAUSE_BYTES = 256 * KIB;

  /** Output (decoded) underway per connection and container: the initial window. */
  public static final long WINDOW_BYTES = 256 * KIB;

  /** The largest window credit can open. */
  public static final long MAX_WINDOW_BYTES = 16 * MIB;

  /** Output (decoded) underway per connection, all containers together. */
  public static final long CONNECTION_OUTPUT_BYTES = 1 * MIB;

  /** Output read from a container in one go, and the largest {@code output} event (decoded). */
  public static final int OUTPUT_CHUNK_BYTES = 64 * 1024;

  /** A container's log: its most recent output. */
  public static final int LOG_BYTES = 512 * 1024;

  /** Containers (runs and execs, running or exited) until removed. */
  public static final int MAX_CONTAINERS = 128;

  /** Bytes waiting for a container's stdin (the runtime's bound). */
  public static final long STDIN_BYTES = Container.STDIN_QUEUE_BYTES;

  /** Subscriptions one connection may hold. */
  public static final int MAX_SUBSCRIPTIONS = 64;

  /**
   * What the helper needs besides what clients make it hold (objects, inspection, init channel).
   */
  public static final long BASE_HEAP_BYTES = 64 * MIB;

  /** Bookkeeping of one container besides its log and stdin (step log, ids, times). */
  static final long CONTAINER_OVERHEAD_BYTES = 64 * KIB;

  /** Worst-case heap of one connection: a request line, its queue and its output as base64. */
  public static long connectionBytes() {
    long line = JsonLines.MAX_LINE_BYTES + 64 * KIB;
    long output = CONNECTION_OUTPUT_BYTES * 4 / 3 + 4 * KIB;
    return line + QUEUE_BYTES + output;
  }

  /** Worst-case heap of one container: its log, its stdin and its bookkeeping. */
  public static long containerBytes() {
    return LOG_BYTES + STDIN_BYTES + CONTAINER_OVERHEAD_BYTES;
  }

  /** The helper's heap bound: every connection and every container at its worst, plus the base. */
  public static long heapBytes() {
    return MAX_CONNECTIONS * connectionBytes()
        + MAX_CONTAINERS * containerBytes()
        + BASE_HEAP_BYTES;
  }
}
