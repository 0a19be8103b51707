package org.glasshouse.app.core;

import java.util.Map;
import org.glasshouse.helper.inspect.TelemetrySample;
import org.glasshouse.protocol.StepEntry;

/** An event the helper pushed: one per protocol event type the app understands. */
public sealed interface LabEvent {
  /** The container the event is about. */
  String container();

  /** A step log entry, in order. */
  record Step(String container, StepEntry entry) implements LabEvent {}

  /** The command was exec'd. */
  record Started(String container, long pid) implements LabEvent {}

  /** Bytes the container wrote ({@code stream} is stdout, stderr or pty). */
  record Output(String container, String stream, byte[] data) implements LabEvent {}

  /** The container's process ended. */
  record Exited(String container, Integer code, String signal, boolean oomKilled, long durationMs)
      implements LabEvent {}

  /** The container is gone. */
  record Removed(String container) implements LabEvent {}

  /**
   * One telemetry sample: {@code usage} as usage name to a value formatted for people ("12.0 MiB"),
   * {@code sample} the same reading as numbers (null when the helper's sample did not parse).
   */
  record Telemetry(String container, Map<String, String> usage, TelemetrySample sample)
      implements LabEvent {}
}
