package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;
import sun.misc.Signal;

/**
 * The CLI's end of one attached process ({@code run} or {@code exec}): prints its output as it
 * arrives, forwards local stdin and window size to it, and waits for its {@code exited} event to
 * turn it into the shell's exit status. It is the listener of the connection it attaches through,
 * so it must be handed to {@link HelperClient#connect} before the run or exec request is made.
 */
final class AttachedSession implements HelperClient.Listener {

  private final String command;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicReference<JsonNode> exit = new AtomicReference<>();
  private final AtomicReference<String> closedReason = new AtomicReference<>();
  private final AtomicReference<FileChannel> stdin = new AtomicReference<>();

  /**
   * @param command the subcommand ({@code run}, {@code exec}) that names error lines and threads
   */
  AttachedSession(String command) {
    this.command = command;
  }

  @Override
  public void event(Incoming.Event e) {
    switch (e.type()) {
      case "output" -> {
        PrintStream out =
            "stderr".equals(e.body().path("stream").asText()) ? System.err : System.out;
        byte[] data = Messages.decode(e.body().path("data").asText());
        out.write(data, 0, data.length);
        out.flush();
      }
      case "exited" -> {
        exit.set(e.body());
        done.countDown();
      }
      default -> {}
    }
  }

  @Override
  public void closed(String reason) {
    closedReason.set(reason);
    done.countDown();
  }

  /**
   * Copies local stdin to the process until EOF (then closes its stdin, without a pty), until
   * {@link #awaitExit} stops it.
   */
  void forwardStdin(HelperClient client, String id, boolean tty) {
    forwardStdin(client, id, tty, new FileInputStream(FileDescriptor.in).getChannel());
  }

  /**
   * Copies {@code source} (local stdin; a test's pipe) to the process from a daemon thread, which
   * it returns. Read through a {@link FileChannel}, not {@code System.in}, so that {@link
   * #awaitExit} can end a read that would never return: a thread blocked in {@code read(2)} of a
   * terminal or of a pipe nobody closes (the benchmark's, a script's) is a thread in native code,
   * and a JVM's exit waits for those — 30 times 10 ms, 300 ms added to every attached {@code run}
   * and {@code exec} whose stdin did not reach EOF (issue 16). Closing the channel signals the
   * reader out of {@code read(2)} and waits until it left.
   */
  Thread forwardStdin(HelperClient client, String id, boolean tty, FileChannel source) {
    stdin.set(source);
    Thread t =
        new Thread(
            () -> {
              ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
              try {
                int n;
                while ((n = source.read(buf.clear())) > 0) {
                  if (!sendStdin(
                      client,
                      JsonText.object()
                          .put("container", id)
                          .put("data", Messages.encode(buf.array(), 0, n)))) {
                    return;
                  }
                }
              } catch (ClosedChannelException e) {
                return; // awaitExit stopped it: the process is gone, nothing to close
              } catch (IOException e) {
                // Local stdin is gone: same as end of input.
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              if (!tty) {
                client.request(Op.STDIN, JsonText.object().put("container", id).put("eof", true));
              }
            },
            "glasshouse-" + command + "-stdin");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Ends the stdin copy: its thread leaves {@code read(2)} before this returns. */
  private void stopStdin() {
    FileChannel source = stdin.getAndSet(null);
    if (source != null) {
      try {
        source.close();
      } catch (IOException e) {
        // Closed all the same: the reader was signalled before the descriptor was closed.
      }
    }
  }

  /**
   * Sends one piece of stdin, waiting for its reply: a container that does not read its stdin makes
   * the helper answer {@code limit} (its queue is full), and the piece is sent again a little later
   * — local stdin is then read no faster than the container reads. False when the process or the
   * connection is gone (nothing more to send).
   */
  static boolean sendStdin(HelperClient client, ObjectNode request) throws InterruptedException {
    long pause = 5;
    while (true) {
      try {
        client.call(Op.STDIN, request);
        return true;
      } catch (HelperException e) {
        if (e.code() != ErrorCode.LIMIT) {
          return false;
        }
        Thread.sleep(pause); // the container reads what waits; room comes back
        pause = Math.min(200, pause * 2);
      }
    }
  }

  /** SIGWINCH → the new size goes to the process's pty. */
  static void forwardWindowSize(HelperClient client, String id) {
    try {
      Signal.handle(
          new Signal("WINCH"),
          sig -> {
            int[] size = Terminal.size();
            if (size != null) {
              client.request(
                  Op.RESIZE,
                  JsonText.object().put("container", id).put("cols", size[0]).put("rows", size[1]));
            }
          });
    } catch (IllegalArgumentException e) {
      // No SIGWINCH on this platform: the size stays what it was at start.
    }
  }

  /**
   * Waits for the process to exit, stops the stdin copy (its thread out of {@code read(2)}, so that
   * the JVM exits at once) and returns the status; when the helper goes away first, says so on
   * stderr (with the terminal restored first, so the line reads normally) and returns {@link
   * Exit#HELPER}.
   *
   * @param terminal the raw terminal to restore before that line, or null
   */
  int awaitExit(Terminal terminal) throws InterruptedException {
    done.await();
    stopStdin();
    System.out.flush();
    JsonNode exited = exit.get();
    if (exited == null) {
      if (terminal != null) {
        terminal.restore();
      }
      System.err.println(
          "glasshouse " + command + ": lost the helper: " + Cli.printable(closedReason.get()));
      return Exit.HELPER;
    }
    return exitStatus(exited);
  }

  /** The shell's view of an {@code exited} event: the code, or 128 + the signal. */
  static int exitStatus(JsonNode exited) {
    JsonNode code = exited.get("code");
    if (code != null && code.isIntegralNumber()) {
      return code.asInt();
    }
    JsonNode signal = exited.get("signal");
    return 128 + (signal != null && signal.isIntegralNumber() ? signal.asInt() : 0);
  }
}
