package org.glasshouse.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * Builders of every message of protocol v1, so that no side spells a field name by hand. Binary
 * data travels as standard base64 (RFC 4648, with padding).
 */
public final class Messages {

  /** The protocol version this code speaks. */
  public static final int VERSION = 1;

  private Messages() {}

  /** A request: {@code {"id":…,"op":…,...fields}}; {@code fields} may be null. */
  public static ObjectNode request(JsonNode id, Op op, ObjectNode fields) {
    ObjectNode r = JsonText.object();
    r.set("id", id);
    r.put("op", op.wireName());
    if (fields != null) {
      fields.fields().forEachRemaining(e -> r.set(e.getKey(), e.getValue()));
    }
    return r;
  }

  /** A successful reply: {@code {"id":…,"ok":true,"result":{…}}}. */
  public static ObjectNode ok(JsonNode id, JsonNode result) {
    ObjectNode r = JsonText.object();
    r.set("id", id);
    r.put("ok", true);
    r.set("result", result == null ? JsonText.object() : result);
    return r;
  }

  /**
   * A failed reply: {@code {"id":…,"ok":false,"error":{"code":…,"message":…,"step":{…}}}}. {@code
   * id} is JSON null when the request's id could not be read; {@code step} may be null.
   */
  public static ObjectNode error(JsonNode id, ErrorCode code, String message, StepEntry step) {
    return error(id, code, message, step, null);
  }

  /**
   * As above; {@code container} (may be null) is the container a failed {@code run} or {@code exec}
   * made and undid: {@code "error":{…,"container":"3f9a0c11b2d4"}}.
   */
  public static ObjectNode error(
      JsonNode id, ErrorCode code, String message, StepEntry step, String container) {
    ObjectNode r = JsonText.object();
    r.set("id", id == null ? NullNode.getInstance() : id);
    r.put("ok", false);
    ObjectNode e = r.putObject("error");
    e.put("code", code.wireName());
    e.put("message", message);
    if (step != null) {
      e.set("step", Json.tree(step));
    }
    if (container != null) {
      e.put("container", container);
    }
    return r;
  }

  /** A failed reply from a {@link ProtocolException}. */
  public static ObjectNode error(ProtocolException e) {
    return error(e.requestId(), e.code(), e.getMessage(), e.step(), e.container());
  }

  /** An event skeleton: {@code {"event":…,"container":…}}. */
  public static ObjectNode event(EventType type, String container) {
    ObjectNode r = JsonText.object();
    r.put("event", type.wireName());
    r.put("container", container);
    return r;
  }

  /** {@code step} {container, entry}. */
  public static ObjectNode step(String container, StepEntry entry) {
    ObjectNode r = event(EventType.STEP, container);
    r.set("entry", Json.tree(entry));
    return r;
  }

  /** {@code started} {container, pid}. */
  public static ObjectNode started(String container, long pid) {
    return event(EventType.STARTED, container).put("pid", pid);
  }

  /** {@code output} {container, stream, data}; {@code data} is base64 of the bytes. */
  public static ObjectNode output(String container, String stream, byte[] data, int off, int len) {
    ObjectNode r = event(EventType.OUTPUT, container);
    r.put("stream", stream);
    r.put("data", encode(data, off, len));
    return r;
  }

  /**
   * {@code exited} {container, code, signal, oomKilled, durationMs}; {@code code} and {@code
   * signal} are JSON null when not applicable.
   */
  public static ObjectNode exited(
      String container, Integer code, Integer signal, boolean oomKilled, long durationMs) {
    ObjectNode r = event(EventType.EXITED, container);
    if (code == null) {
      r.putNull("code");
    } else {
      r.put("code", code);
    }
    if (signal == null) {
      r.putNull("signal");
    } else {
      r.put("signal", signal);
    }
    r.put("oomKilled", oomKilled);
    r.put("durationMs", durationMs);
    return r;
  }

  /** {@code removed} {container}. */
  public static ObjectNode removed(String container) {
    return event(EventType.REMOVED, container);
  }

  /** Base64 of a slice. */
  public static String encode(byte[] data, int off, int len) {
    if (off == 0 && len == data.length) {
      return Base64.getEncoder().encodeToString(data);
    }
    byte[] slice = new byte[len];
    System.arraycopy(data, off, slice, 0, len);
    return Base64.getEncoder().encodeToString(slice);
  }

  /**
   * Decodes base64 data.
   *
   * @throws IllegalArgumentException when it is not base64
   */
  public static byte[] decode(String base64) {
    return Base64.getDecoder().decode(base64);
  }
}
