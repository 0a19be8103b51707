package org.glasshouse.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * What a client reads from the helper: a {@link Reply} to one of its requests, or an {@link Event}.
 */
public sealed interface Incoming {

  /**
   * Parses one line from the helper.
   *
   * @throws ProtocolException ({@code malformed_json}) when the line is neither a reply nor an
   *     event
   */
  static Incoming parse(String line) throws ProtocolException {
    JsonNode tree;
    try {
      // By hand, not the mapper's readTree: a command line's JVM never builds the mapper (issue
      // 16).
      tree = JsonText.parse(line);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_JSON, "helper sent invalid JSON: " + e.getMessage(), null);
    }
    if (tree == null || !tree.isObject()) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_JSON, "helper sent something that is not a JSON object", null);
    }
    ObjectNode o = (ObjectNode) tree;
    if (o.hasNonNull("event")) {
      JsonNode c = o.get("container");
      return new Event(o.get("event").asText(), c == null || c.isNull() ? null : c.asText(), o);
    }
    JsonNode ok = o.get("ok");
    if (ok == null || !ok.isBoolean()) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_JSON,
          "helper sent a line that is neither a reply nor an event",
          null);
    }
    JsonNode id = o.get("id");
    if (ok.booleanValue()) {
      JsonNode result = o.get("result");
      return new Reply(id, result == null ? JsonText.object() : result, null);
    }
    JsonNode e = o.path("error");
    ErrorCode code = ErrorCode.fromWireName(e.path("code").asText("")).orElse(ErrorCode.INTERNAL);
    StepEntry step = null;
    if (e.hasNonNull("step")) {
      try {
        step = Json.MAPPER.treeToValue(e.get("step"), StepEntry.class);
      } catch (JsonProcessingException | IllegalArgumentException ex) {
        step = null;
      }
    }
    JsonNode container = e.get("container");
    return new Reply(
        id,
        null,
        new ErrorInfo(
            code,
            e.path("message").asText(""),
            step,
            container == null || !container.isTextual() ? null : container.asText()));
  }

  /**
   * A reply. Exactly one of {@code result} and {@code error} is non-null.
   *
   * @param id the id of the request it answers (JSON null when the helper could not read it)
   * @param result the result object when ok
   * @param error the error when not ok
   */
  record Reply(JsonNode id, JsonNode result, ErrorInfo error) implements Incoming {
    /** Whether the request succeeded. */
    public boolean ok() {
      return error == null;
    }
  }

  /**
   * An event.
   *
   * @param type the event's wire name ({@link EventType#fromWireName} gives the enum; unknown types
   *     come from a newer helper and may be ignored)
   * @param container the container it concerns, or null
   * @param body the whole event object
   */
  record Event(String type, String container, ObjectNode body) implements Incoming {
    /** The event type, when this client knows it. */
    public Optional<EventType> eventType() {
      return EventType.fromWireName(type);
    }
  }

  /**
   * The error of a failed reply.
   *
   * @param code the code (an unknown code from a newer helper reads as {@code internal})
   * @param message the helper's one sentence
   * @param step the failing step of a {@code step_failed}, else null
   * @param container the container a failed {@code run} or {@code exec} made and undid (the id its
   *     {@code step} events named), else null
   */
  record ErrorInfo(ErrorCode code, String message, StepEntry step, String container) {}
}
