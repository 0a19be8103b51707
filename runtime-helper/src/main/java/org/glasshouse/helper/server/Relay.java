package org.glasshouse.helper.server;

import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;
import org.glasshouse.helper.runtime.ContainerListener;
import org.glasshouse.helper.runtime.ExitStatus;
import org.glasshouse.protocol.EventType;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.StepEntry;

/**
 * Turns one container's runtime callbacks into protocol events. Runs on runtime threads. Events are
 * queued, never waited for — except output for the connection that holds the container (it attached
 * it): {@link #output} waits for that connection's window, which is how a slow client slows the
 * container down instead of being dropped or buffered without bound.
 */
final class Relay implements ContainerListener {

  private final EventHub hub;
  private final ContainerTable.Entry entry;
  private final Consumer<String> onExit;
  private final Session holder;

  /**
   * @param holder the connection that attached the container, or null
   * @param onExit called with the container id after {@code exited} has been published
   */
  Relay(EventHub hub, ContainerTable.Entry entry, Consumer<String> onExit, Session holder) {
    this.hub = hub;
    this.entry = entry;
    this.onExit = onExit;
    this.holder = holder;
  }

  @Override
  public void step(String containerId, StepEntry entry) {
    // No event tree for a step nobody follows (an attached run with "steps":false, a detached one).
    if (hub.wanted(EventType.STEP.topic(), containerId)) {
      hub.publish(EventType.STEP, containerId, Messages.step(containerId, entry));
    }
  }

  @Override
  public void started(String containerId, long hostPid) {
    entry.startedAt = Instant.now();
    hub.publish(EventType.STARTED, containerId, Messages.started(containerId, hostPid));
  }

  /** Waits for the holder's window, then logs the chunk and offers it to the followers. */
  @Override
  public void output(String containerId, String stream, byte[] data) {
    for (int off = 0; off < data.length; off += Bounds.OUTPUT_CHUNK_BYTES) {
      int len = Math.min(Bounds.OUTPUT_CHUNK_BYTES, data.length - off);
      byte[] piece =
          off == 0 && len == data.length ? data : Arrays.copyOfRange(data, off, off + len);
      if (holder != null) {
        holder.offerHeld(containerId, stream, piece);
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
      }
      hub.publishOutput(entry.log, containerId, stream, piece, holder);
    }
  }

  @Override
  public void exited(String containerId, ExitStatus status) {
    entry.finishedAt = Instant.now();
    synchronized (entry.log) {
      // Under the log's monitor: a `logs` that saw the log still open subscribed before this, so
      // it gets the exited event published next.
      entry.log.end();
    }
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
