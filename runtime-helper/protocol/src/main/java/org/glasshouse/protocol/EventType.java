package org.glasshouse.protocol;

import java.util.Optional;

/** The events the helper pushes (lines with an {@code event} field and no {@code id}). */
public enum EventType {
  /** A step-log entry: {@code {container, entry}}. Topic {@code steps}. */
  STEP("step", Topic.STEPS),
  /** The command has been exec'd: {@code {container, pid}}. Topic {@code lifecycle}. */
  STARTED("started", Topic.LIFECYCLE),
  /** Output bytes: {@code {container, stream, data}}. Topic {@code output}. */
  OUTPUT("output", Topic.OUTPUT),
  /** The first process ended: {@code {container, code, signal, oomKilled, durationMs}}. */
  EXITED("exited", Topic.LIFECYCLE),
  /** The container has been removed: {@code {container}}. Topic {@code lifecycle}. */
  REMOVED("removed", Topic.LIFECYCLE),
  /** A telemetry sample: {@code {container, sample}}. Topic {@code telemetry}. */
  TELEMETRY("telemetry", Topic.TELEMETRY),
  /** A mount-table change: {@code {container, …}}. Topic {@code mounts}. */
  MOUNTS("mounts", Topic.MOUNTS),
  /**
   * A change in the namespaces of a container's processes: {@code {container, pid, processes,
   * diff}}. Topic {@code namespaces}.
   */
  NAMESPACES("namespaces", Topic.NAMESPACES),
  /**
   * A change in a container's overlay upper dir: {@code {container, pid, count, truncated, layers,
   * diff}}. Topic {@code upper}.
   */
  UPPER("upper", Topic.UPPER);

  private final String wireName;
  private final Topic topic;

  EventType(String wireName, Topic topic) {
    this.wireName = wireName;
    this.topic = topic;
  }

  /** The name on the wire. */
  public String wireName() {
    return wireName;
  }

  /** The subscription topic that delivers it. */
  public Topic topic() {
    return topic;
  }

  /** The event type with this wire name, if it is one. */
  public static Optional<EventType> fromWireName(String name) {
    for (EventType t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
