package org.glasshouse.helper.runtime;

import org.glasshouse.protocol.StepEntry;

/**
 * Receives a container's events. Called from runtime threads; implementations must not block (queue
 * and return), or container I/O stalls.
 */
public interface ContainerListener {

  /** A step-log entry, in order. */
  void step(String containerId, StepEntry entry);

  /** The command has been exec'd. */
  void started(String containerId, long hostPid);

  /**
   * Output of the command. {@code stream} is {@code stdout}, {@code stderr} or {@code pty}. The
   * array is the listener's to keep.
   */
  void output(String containerId, String stream, byte[] data);

  /** The container's first process has ended (all output has been delivered before this). */
  void exited(String containerId, ExitStatus status);
}
