package org.glasshouse.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One request as read from a line: {@code {"id":1,"op":"run",...fields}}. The typed accessors
 * validate as they read and throw a {@link ProtocolException} ({@code bad_request}) that names the
 * field, so the server can answer every mistake precisely.
 *
 * @param id the client's id, echoed in the reply: an integral number or a string of at most 128
 *     characters
 * @param op the operation
 * @param body the whole request object (fields are read from it)
 */
public record Request(JsonNode id, Op op, ObjectNode body) {

  /** The longest string id accepted. */
  public static final int MAX_ID_LENGTH = 128;

  /**
   * Parses one line.
   *
   * @throws ProtocolException {@code malformed_json} when it is not one JSON object, {@code
   *     bad_request} without a valid id or op, {@code unknown_op} for an op outside {@link Op}
   */
  public static Request parse(String line) throws ProtocolException {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_JSON, "line is not valid JSON: " + firstLine(e), null);
    }
    if (tree == null || !tree.isObject()) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_JSON, "a request must be one JSON object per line", null);
    }
    ObjectNode object = (ObjectNode) tree;
    JsonNode id = object.get("id");
    if (id == null || id.isNull()) {
      throw ProtocolException.badField(null, "id", "is required (a number or a string)");
    }
    if (!(id.isIntegralNumber() || id.isTextual())
        || (id.isTextual() && id.textValue().length() > MAX_ID_LENGTH)) {
      throw ProtocolException.badField(
          null, "id", "must be an integer or a string of at most " + MAX_ID_LENGTH + " characters");
    }
    JsonNode op = object.get("op");
    if (op == null || !op.isTextual()) {
      throw ProtocolException.badField(id, "op", "is required and must be a string");
    }
    Optional<Op> known = Op.fromWireName(op.textValue());
    if (known.isEmpty()) {
      throw new ProtocolException(
          ErrorCode.UNKNOWN_OP,
          "unknown op '"
              + abbreviate(op.textValue())
              + "'; known: "
              + String.join(", ", Arrays.stream(Op.values()).map(Op::wireName).toList()),
          id);
    }
    return new Request(id, known.get(), object);
  }

  /** Whether the field is present and not null. */
  public boolean has(String field) {
    JsonNode n = body.get(field);
    return n != null && !n.isNull();
  }

  /** A required string field. */
  public String string(String field) throws ProtocolException {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      throw ProtocolException.badField(id, field, "is required");
    }
    if (!n.isTextual()) {
      throw ProtocolException.badField(id, field, "must be a string");
    }
    return n.textValue();
  }

  /** An optional string field. */
  public Optional<String> optString(String field) throws ProtocolException {
    return has(field) ? Optional.of(string(field)) : Optional.empty();
  }

  /** An optional boolean field with a default. */
  public boolean bool(String field, boolean dflt) throws ProtocolException {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw ProtocolException.badField(id, field, "must be true or false");
    }
    return n.booleanValue();
  }

  /** A required integer field within {@code [min, max]}. */
  public long integer(String field, long min, long max) throws ProtocolException {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      throw ProtocolException.badField(id, field, "is required");
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw ProtocolException.badField(id, field, "must be an integer");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw ProtocolException.badField(
          id, field, "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  /** An optional list of strings; empty when absent. */
  public Optional<List<String>> optStrings(String field, int maxItems) throws ProtocolException {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isArray()) {
      throw ProtocolException.badField(id, field, "must be an array of strings");
    }
    if (n.size() > maxItems) {
      throw ProtocolException.badField(id, field, "has more than " + maxItems + " items");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isTextual()) {
        throw ProtocolException.badField(id, field + "[" + i + "]", "must be a string");
      }
      out.add(n.get(i).textValue());
    }
    return Optional.of(out);
  }

  /** A required base64 field, decoded. */
  public byte[] base64(String field) throws ProtocolException {
    String s = string(field);
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw ProtocolException.badField(id, field, "is not valid base64: " + e.getMessage());
    }
  }

  /**
   * A required object field bound to a record ({@link RunSpec}); unknown or mistyped fields inside
   * it are named with their path ({@code spec.limits.memoryBytes}).
   */
  public <T> T typed(String field, Class<T> type) throws ProtocolException {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      throw ProtocolException.badField(id, field, "is required");
    }
    if (!n.isObject()) {
      throw ProtocolException.badField(id, field, "must be an object");
    }
    try {
      return Json.MAPPER.treeToValue(n, type);
    } catch (UnrecognizedPropertyException e) {
      throw ProtocolException.badField(id, path(field, e), "is not a known field");
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      String why =
          cause instanceof IllegalArgumentException && cause.getMessage() != null
              ? cause.getMessage()
              : "has the wrong type or value";
      throw ProtocolException.badField(id, path(field, e), why);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw ProtocolException.badField(id, field, "is invalid: " + firstLine(e));
    }
  }

  private static String path(String root, JsonMappingException e) {
    StringBuilder b = new StringBuilder(root);
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static String firstLine(Exception e) {
    String m = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return abbreviate(nl < 0 ? m : m.substring(0, nl));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
