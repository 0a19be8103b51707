package org.glasshouse.protocol;

import java.util.Optional;

/** The closed set of error codes a reply with {@code ok:false} carries. */
public enum ErrorCode {
  /** A field is missing, has the wrong type or an invalid value; the message names the field. */
  BAD_REQUEST("bad_request"),
  /** The line is not a JSON object (or not UTF-8). The connection stays open. */
  MALFORMED_JSON("malformed_json"),
  /** The line is longer than 1 MiB. The helper closes the connection after saying so. */
  LINE_TOO_LONG("line_too_long"),
  /** The op is not one the helper knows (or not one it offers yet). */
  UNKNOWN_OP("unknown_op"),
  /** The client asked for a protocol version the helper does not speak. */
  UNSUPPORTED_VERSION("unsupported_version"),
  /** The peer is not allowed to talk to the helper. The helper closes the connection. */
  FORBIDDEN("forbidden"),
  /** No container, image or subscription with that id or name. */
  NOT_FOUND("not_found"),
  /** The request contradicts the current state (a name in use, removing a running container). */
  CONFLICT("conflict"),
  /** A container could not be started; the error carries the failing step. */
  STEP_FAILED("step_failed"),
  /**
   * A documented bound of the helper was reached (connections, containers, subscriptions, a
   * container's stdin, the hello or idle timeout); the message names it.
   */
  LIMIT("limit"),
  /** The helper failed for a reason that is not the client's; details are in the helper's log. */
  INTERNAL("internal");

  private final String wireName;

  ErrorCode(String wireName) {
    this.wireName = wireName;
  }

  /** The code on the wire: {@code "step_failed"}. */
  public String wireName() {
    return wireName;
  }

  /** The code with this wire name, if it is one. */
  public static Optional<ErrorCode> fromWireName(String name) {
    for (ErrorCode c : values()) {
      if (c.wireName.equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
