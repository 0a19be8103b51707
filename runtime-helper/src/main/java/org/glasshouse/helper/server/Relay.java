package org.glasshouse.helper.server;

import java.time.Instant;
import java.util.function.Consumer;
import org.glasshouse.helper.runtime.ContainerListener;
import org.glasshouse.helper.runtime.ExitStatus;
import org.glasshouse.protocol.EventType;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.StepEntry;

/**
 * Turns one container's runtime callbacks into protocol events. Runs on runtime threads, so it only
 * encodes and queues: {@link EventHub#publish} never blocks.
 */
final class Relay implements ContainerListener {

  /** Output is cut into events of at most this many bytes (base64 keeps lines far under 1 MiB). */
  static final int MAX_OUTPUT_CHUNK = 256 * 1024;

  private final EventHub hub;
  private final ContainerTable.Times times;
  private final Consumer<String> onExit;

  /**
   * @param onExit called with the container id after {@code exited} has been published
   */
  Relay(EventHub hub, ContainerTable.Times times, Consumer<String> onExit) {
    this.hub = hub;
    this.times = times;
    this.onExit = onExit;
  }

  @Override
  public void step(String containerId, StepEntry entry) {
    hub.publish(EventType.STEP, containerId, Messages.step(containerId, entry));
  }

  @Override
  public void started(String containerId, long hostPid) {
    times.startedAt = Instant.now();
    hub.publish(EventType.STARTED, containerId, Messages.started(containerId, hostPid));
  }

  @Override
  public void output(String containerId, String stream, byte[] data) {
    for (int off = 0; off < data.length; off += MAX_OUTPUT_CHUNK) {
      int len = Math.min(MAX_OUTPUT_CHUNK, data.length - off);
      hub.publish(
          EventType.OUTPUT, containerId, Messages.output(containerId, stream, data, off, len));
    }
  }

  @Override
  public void exited(String containerId, ExitStatus status) {
    times.finishedAt = Instant.now();
    hub.publish(
        EventType.EXITED,
        containerId,
        Messages.exited(
            containerId,
            status.code(),
            status.signal(),
            status.oomKilled(),
            status.durationNanos() / 1_000_000));
    onExit.accept(containerId);
  }
}
