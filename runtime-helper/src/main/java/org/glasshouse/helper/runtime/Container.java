package org.glasshouse.helper.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.glasshouse.helper.runtime.net.NetworkAttachment;
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

  /**
   * The directory that became the container's root, as the helper made it and the host sees it (the
   * rootfs copy, or the overlay's merged dir), when it has one: the steps' mount targets lie under
   * it, so a mount of the container's table can be traced to the step that made it.
   */
  default Optional<Path> rootDir() {
    return Optional.empty();
  }

  /** The overlay's lower dir the helper gave the container (the shared image), when it has one. */
  default Optional<Path> lowerDir() {
    return Optional.empty();
  }

  /** The overlay's work dir the helper made for the container, when it has one. */
  default Optional<Path> workDir() {
    return Optional.empty();
  }

  /** How it ended, once it has. */
  Optional<ExitStatus> exitStatus();

  /** At most this many bytes wait for a container's stdin. */
  long STDIN_QUEUE_BYTES = 512 * 1024;

  /**
   * Queues bytes for the command's stdin (or the pty master); never blocks the caller. False, and
   * nothing queued, when they would make more than {@link #STDIN_QUEUE_BYTES} wait: the command is
   * not reading, and the caller says so instead of holding the bytes.
   */
  boolean writeStdin(byte[] data);

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

  /**
   * How the container is wired to the helper's bridge ({@code "network":"bridge"}), while it runs;
   * empty otherwise.
   */
  default Optional<NetworkAttachment> network() {
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
