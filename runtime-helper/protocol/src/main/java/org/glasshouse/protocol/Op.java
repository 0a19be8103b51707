package org.glasshouse.protocol;

import java.util.Optional;

/**
 * The closed set of request operations of protocol v1. A request naming anything else is answered
 * with {@link ErrorCode#UNKNOWN_OP}.
 */
public enum Op {
  /** Version negotiation and server capabilities; must be the first request of a connection. */
  HELLO("hello"),
  /** Lists the images the helper can run. */
  IMAGES("images"),
  /** Creates and starts a container. */
  RUN("run"),
  /** Runs another command inside a running container. */
  EXEC("exec"),
  /** Bytes for (or end of) a container's stdin. */
  STDIN("stdin"),
  /** New pty window size. */
  RESIZE("resize"),
  /** Sends a signal to a container's first process. */
  SIGNAL("signal"),
  /** Removes a container. */
  REMOVE("remove"),
  /** Lists containers. */
  PS("ps"),
  /** A container's step log. */
  STEPS("steps"),
  /** Subscribes this connection to events. */
  SUBSCRIBE("subscribe"),
  /** Ends a subscription. */
  UNSUBSCRIBE("unsubscribe"),
  /** Everything the kernel says about a container or the host (inspection). */
  INSPECT("inspect"),
  /** A container's or the host's mount tree (inspection). */
  MOUNTS("mounts"),
  /** Resource usage of containers (inspection). */
  STATS("stats"),
  /** A container's recent output (its log), and optionally what it writes from then on. */
  LOGS("logs"),
  /** More window for a container's output, on a connection in credit flow mode. */
  CREDIT("credit");

  private final String wireName;

  Op(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire: {@code "run"}. */
  public String wireName() {
    return wireName;
  }

  /** The op with this wire name, if it is one. */
  public static Optional<Op> fromWireName(String name) {
    for (Op op : values()) {
      if (op.wireName.equals(name)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
