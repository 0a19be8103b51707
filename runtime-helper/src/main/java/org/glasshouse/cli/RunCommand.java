package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import sun.misc.Signal;

/**
 * {@code glasshouse run}: runs a container attached (output streamed, stdin forwarded, exit with
 * the container's status, 128+N for signal N) or detached ({@code -d}: prints the id). A start that
 * fails exits 125 after printing the failing step, as docker does for daemon-side errors.
 */
final class RunCommand implements Command {

  /** docker's status for "the container could not be run". */
  static final int START_FAILED = 125;

  @Override
  public String summary() {
    return "run a command in a new container";
  }

  @Override
  public int run(List<String> args) throws Exception {
    RunOptions o = RunOptions.parse(args, System.getenv());
    RunSpec spec = o.spec();
    ObjectNode fields = Json.object().put("attach", !o.detach);
    fields.set("spec", Json.tree(spec));

    Attached attached = new Attached();
    HelperClient client =
        HelperClient.connect(HelperClient.defaultSocket(), "glasshouse-run", attached);
    if (o.detach) {
      try (client) {
        System.out.println(call(client, fields).get("container").asText());
        return 0;
      } catch (HelperException e) {
        return failed(e);
      }
    }
    Terminal terminal = o.tty ? Terminal.raw() : null;
    try {
      JsonNode r;
      try {
        r = call(client, fields);
      } catch (HelperException e) {
        if (terminal != null) {
          terminal.restore();
        }
        return failed(e);
      }
      String id = r.get("container").asText();
      forwardStdin(client, id, o.tty);
      if (o.tty) {
        forwardWindowSize(client, id);
      }
      attached.done.await();
      System.out.flush();
      if (attached.exit.get() == null) {
        if (terminal != null) {
          terminal.restore();
        }
        System.err.println("glasshouse run: lost the helper: " + attached.closedReason.get());
        return START_FAILED;
      }
      return exitStatus(attached.exit.get());
    } finally {
      if (terminal != null) {
        terminal.restore();
      }
      client.close();
    }
  }

  private static JsonNode call(HelperClient c, ObjectNode fields) throws HelperException {
    return c.call(Op.RUN, fields);
  }

  /** Prints a failed start: the helper's sentence, then the failing step as a syscall line. */
  static int failed(HelperException e) {
    System.err.println("glasshouse run: " + e.getMessage());
    StepEntry s = e.step();
    if (s != null) {
      System.err.println("  step " + s.step() + ": " + describe(s));
    }
    return e.code() == ErrorCode.STEP_FAILED ? START_FAILED : 1;
  }

  /** {@code pivot_root(".", ".oldroot") = -1 EBUSY (Device or resource busy): explanation}. */
  static String describe(StepEntry s) {
    StringBuilder b = new StringBuilder();
    b.append(s.call()).append('(').append(s.args() == null ? "" : s.args()).append(')');
    if (s.ok()) {
      b.append(" = ").append(s.result());
    } else {
      b.append(" = -1");
      if (s.errno() != null) {
        b.append(' ').append(s.errno());
      }
      if (s.message() != null) {
        b.append(" (").append(s.message()).append(')');
      }
      if (s.explanation() != null) {
        b.append(": ").append(s.explanation());
      }
    }
    return b.toString();
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

  /** Copies local stdin to the container until EOF (then closes its stdin, without a pty). */
  private static void forwardStdin(HelperClient client, String id, boolean tty) {
    Thread t =
        new Thread(
            () -> {
              InputStream in = System.in;
              byte[] buf = new byte[64 * 1024];
              try {
                int n;
                while ((n = in.read(buf)) > 0) {
                  client.request(
                      Op.STDIN,
                      Json.object().put("container", id).put("data", Messages.encode(buf, 0, n)));
                }
              } catch (IOException e) {
                // Local stdin is gone: same as end of input.
              }
              if (!tty) {
                client.request(Op.STDIN, Json.object().put("container", id).put("eof", true));
              }
            },
            "glasshouse-stdin");
    t.setDaemon(true);
    t.start();
  }

  /** SIGWINCH → the new size goes to the container's pty. */
  private static void forwardWindowSize(HelperClient client, String id) {
    try {
      Signal.handle(
          new Signal("WINCH"),
          sig -> {
            int[] size = Terminal.size();
            if (size != null) {
              client.request(
                  Op.RESIZE,
                  Json.object().put("container", id).put("cols", size[0]).put("rows", size[1]));
            }
          });
    } catch (IllegalArgumentException e) {
      // No SIGWINCH on this platform: the size stays what it was at start.
    }
  }

  /** The events of the one container this connection runs. */
  private static final class Attached implements HelperClient.Listener {
    final CountDownLatch done = new CountDownLatch(1);
    final AtomicReference<JsonNode> exit = new AtomicReference<>();
    final AtomicReference<String> closedReason = new AtomicReference<>();

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
  }
}
