package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Copies one output stream of a container (a pipe, or the pty master) to the listener on its own
 * thread, in chunks as they arrive.
 */
final class OutputPump {

  /** A source of bytes: returns the count read, or -1 at end. */
  @FunctionalInterface
  interface Source {
    int read(byte[] buf) throws IOException;
  }

  private final Thread thread;

  OutputPump(String name, Source source, ContainerListener listener, String id, String stream) {
    this.thread =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try {
                int n;
                while ((n = source.read(buf)) > 0) {
                  listener.output(id, stream, Arrays.copyOf(buf, n));
                }
              } catch (IOException e) {
                // End of the stream: the pipe or pty closed under us (pty: EIO once the container
                // is gone). Nothing was lost that the container had written.
              }
            },
            name);
    thread.setDaemon(true);
  }

  /** From a pipe. */
  static OutputPump of(InputStream in, ContainerListener l, String id, String stream) {
    return new OutputPump("glasshouse-" + stream + "-" + id, in::read, l, id, stream);
  }

  void start() {
    thread.start();
  }

  /** Waits at most {@code millis} for the stream to end; true when it did. */
  boolean await(long millis) throws InterruptedException {
    thread.join(millis);
    return !thread.isAlive();
  }
}
