package org.glasshouse.helper.runtime;

import java.util.Arrays;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;

/**
 * Copies one output stream of a container (a pipe, or the pty master) to the listener on its own
 * thread, a chunk of up to {@link #CHUNK_BYTES} as it arrives.
 *
 * <p>Back-pressure: the listener may take its time over a chunk (a slow client holding the
 * container); meanwhile the pump reads nothing, the pipe or pty fills and the container blocks in
 * {@code write()}.
 *
 * <p>Stopping: the pump waits for data in {@code poll} on its fd together with an eventfd of its
 * own; {@link #stop} writes the eventfd (and interrupts a listener that is waiting), so the thread
 * returns promptly without anyone closing an fd it is blocked on. When the pump ends it closes its
 * eventfd and, when it owns it, its fd: the helper's end of a pipe lives exactly as long as its
 * pump.
 */
final class OutputPump {

  /** The most read in one go: a pipe's default capacity. */
  static final int CHUNK_BYTES = 64 * 1024;

  private final Syscalls sys;
  private final int fd;
  private final boolean ownsFd;
  private final int wake;
  private final Thread thread;
  private final Object wakeLock = new Object();
  private boolean wakeClosed;
  private volatile boolean stopping;
  private volatile long idleSinceNanos;

  /**
   * @param ownsFd whether the pump closes {@code fd} when it ends (pipes: yes; the pty master is
   *     also written to and is closed by the container's undo once the pump has ended)
   */
  private OutputPump(
      Syscalls sys, int fd, boolean ownsFd, int wake, ContainerListener l, String id, String stream)
      throws SyscallException {
    this.sys = sys;
    this.fd = fd;
    this.ownsFd = ownsFd;
    this.wake = wake;
    this.thread = new Thread(() -> pump(l, id, stream), "glasshouse-" + stream + "-" + id);
    thread.setDaemon(true);
  }

  /**
   * A pump for {@code fd}. When even its eventfd cannot be made, an owned fd is closed before the
   * exception leaves: nobody else would close it.
   */
  static OutputPump of(
      Syscalls sys, int fd, boolean ownsFd, ContainerListener l, String id, String stream)
      throws SyscallException {
    int wake;
    try {
      wake = sys.eventfd();
    } catch (SyscallException e) {
      if (ownsFd) {
        closeQuietly(sys, fd);
      }
      throw e;
    }
    return new OutputPump(sys, fd, ownsFd, wake, l, id, stream);
  }

  private void pump(ContainerListener listener, String id, String stream) {
    byte[] buf = new byte[CHUNK_BYTES];
    int[] fds = {fd, wake};
    try {
      while (!stopping) {
        idleSinceNanos = System.nanoTime();
        short[] ready = sys.pollIn(fds, -1);
        idleSinceNanos = 0;
        if (stopping || ready[1] != 0) {
          break;
        }
        if (ready[0] == 0) {
          continue;
        }
        // Readable, hung up or failed: read says which (0 at end of a pipe, EIO for a pty).
        int n = sys.read(fd, buf);
        if (n <= 0) {
          break;
        }
        listener.output(id, stream, Arrays.copyOf(buf, n));
        if (Thread.currentThread().isInterrupted()) {
          break;
        }
      }
    } catch (SyscallException e) {
      // End of the stream: the pty reports EIO once the container is gone. Nothing was lost that
      // the container had written.
    } finally {
      idleSinceNanos = 0;
      synchronized (wakeLock) {
        // Under the lock: silentFor never polls an fd number after it was closed (and reused).
        wakeClosed = true;
        closeQuietly(sys, wake);
        if (ownsFd) {
          closeQuietly(sys, fd);
        }
      }
    }
  }

  private static void closeQuietly(Syscalls sys, int fd) {
    try {
      sys.close(fd);
    } catch (SyscallException e) {
      // EBADF cannot happen (each fd is closed once, by its owner); nothing else is useful here.
    }
  }

  void start() {
    thread.start();
  }

  /** Asks the pump to end now: whatever the container writes from here on is not read. */
  void stop() {
    stopping = true;
    synchronized (wakeLock) {
      if (!wakeClosed) {
        try {
          sys.write(wake, ONE, ONE.length);
        } catch (SyscallException e) {
          // The counter cannot overflow with one write per stop; the interrupt still stops it.
        }
      }
    }
    thread.interrupt();
  }

  private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

  /** Waits at most {@code millis} for the pump to end; true when it did. */
  boolean await(long millis) throws InterruptedException {
    thread.join(millis);
    return !thread.isAlive();
  }

  boolean ended() {
    return !thread.isAlive();
  }

  /**
   * Whether the pump has been waiting in {@code poll} since at least {@code sinceNanos} and for
   * {@code nanos}, and its fd has nothing to read now (no data, no end of file). A pump that is
   * reading, or handing a chunk to a listener that waits for a slow client, is not silent; nor is
   * one whose data arrived but whose thread has not run yet (a loaded machine) — hence the look at
   * the fd itself.
   */
  boolean silentFor(long nanos, long sinceNanos) {
    long idle = idleSinceNanos;
    if (idle == 0 || System.nanoTime() - Math.max(idle, sinceNanos) < nanos) {
      return false;
    }
    synchronized (wakeLock) {
      if (wakeClosed) {
        return false;
      }
      try {
        return sys.pollIn(new int[] {fd}, 0)[0] == 0;
      } catch (SyscallException e) {
        return false;
      }
    }
  }
}
