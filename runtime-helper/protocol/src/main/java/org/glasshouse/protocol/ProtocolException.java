package org.glasshouse.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request (or reply) that breaks the protocol. Carries the error code to answer with and, when
 * the request got far enough to have one, its id so the reply can be correlated.
 */
public class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient JsonNode requestId;
  private final transient StepEntry step;
  private final String container;

  /**
   * @param code the error code of the reply
   * @param message one sentence that names the field or the problem
   * @param requestId the request's id, or null when unknown
   */
  public ProtocolException(ErrorCode code, String message, JsonNode requestId) {
    this(code, message, requestId, null);
  }

  /**
   * @param step the failing step of a {@code step_failed}, or null
   */
  public ProtocolException(ErrorCode code, String message, JsonNode requestId, StepEntry step) {
    this(code, message, requestId, step, null);
  }

  /**
   * A failed start: {@code container} is the id the helper gave the container it made and undid
   * (the id its {@code step} events carried), so the client that asked knows which steps were its.
   */
  public ProtocolException(
      ErrorCode code, String message, JsonNode requestId, StepEntry step, String container) {
    super(message);
    this.code = code;
    this.requestId = requestId;
    this.step = step;
    this.container = container;
  }

  /** The container a failed start made and undid, or null. */
  public String container() {
    return container;
  }

  /** The failing step of a {@code step_failed}, or null. */
  public StepEntry step() {
    return step;
  }

  /** The error code of the reply. */
  public ErrorCode code() {
    return code;
  }

  /** The request's id, or null when it could not be read. */
  public JsonNode requestId() {
    return requestId;
  }

  /** A {@link ErrorCode#BAD_REQUEST} about one field. */
  public static ProtocolException badField(JsonNode id, String field, String problem) {
    return new ProtocolException(ErrorCode.BAD_REQUEST, "field '" + field + "' " + problem, id);
  }
}
