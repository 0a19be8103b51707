package org.glasshouse.helper.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/** One container (or one exec'd process in a container) as the runtime tracks it. */
public interface Container {

  /** The container's id: 12 lowercase hex digits. */
  String id();

  /** What was asked for. */
  RunSpec spec();

  /** PID of the container's first process as the host sees it. */
  long hostPid();

  /** Lifecycle state. */
  State state();

  /** The step log so far, in order. */
  List<StepEntry> steps();

  /** How it ended, once it has. */
  Optional<ExitStatus> exitStatus();

  /** Bytes for the command's stdin (or the pty master). Never blocks the caller for long. */
  void writeStdin(byte[] data);

  /** Closes the command's stdin (no-op with a pty: send ^D instead). */
  void closeStdin();

  /** Sets the pty's window size; ignored without a pty. */
  void resize(int cols, int rows);

  /** Sends a signal to the container's first process. */
  void signal(int signo);

  /**
   * The overlay upper dir the helper made for this container (its writes), when it has one. This,
   * not the {@code upperdir=} in the container's mount table — which a workload holding
   * CAP_SYS_ADMIN can replace by mounting an overlay of its own that names a host path — is what
   * {@code inspect --upper} lists.
   */
  default Optional<Path> upperDir() {
    return Optional.empty();
  }

  /** Lifecycle of a container. */
  enum State {
    CREATED,
    RUNNING,
    EXITED,
    REMOVED
  }
}
