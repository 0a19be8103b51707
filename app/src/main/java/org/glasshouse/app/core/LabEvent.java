package org.glasshouse.app.core;

import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.MountsEvent;
import org.glasshouse.protocol.inspect.NamespacesEvent;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.glasshouse.protocol.inspect.UpperEvent;

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

  /** One telemetry sample of the container's cgroups (topic {@code telemetry}). */
  record Telemetry(String container, TelemetrySample sample) implements LabEvent {}

  /** The container's mount table changed (topic {@code mounts}). */
  record Mounts(String container, MountsEvent mounts) implements LabEvent {}

  /**
   * A process of the container came, went or moved to another namespace (topic {@code namespaces}).
   */
  record Namespaces(String container, NamespacesEvent namespaces) implements LabEvent {}

  /** The container's overlay upper dir changed (topic {@code upper}). */
  record Upper(String container, UpperEvent upper) implements LabEvent {}
}
