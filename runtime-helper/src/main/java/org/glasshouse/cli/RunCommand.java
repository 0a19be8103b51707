package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.helper.plan.InitCodec;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code glasshouse run}: runs a container attached (output streamed, stdin forwarded, exit with
 * the container's status, 128+N for signal N) or detached ({@code -d}: prints the id). A start that
 * fails exits 125 after printing the failing step, as docker does for daemon-side errors.
 */
@Command(
    name = "run",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Run a command in a new container, attached: its output here, this stdin forwarded, its exit"
          + " status glasshouse's (128+N for signal N); 125 when it could not be started, after the"
          + " failing step as a syscall line."
    })
final class RunCommand implements Callable<Integer> {

  @Mixin RunOptions options;

  @Mixin GlasshouseCommand.LongHelpOption help;

  @Override
  public Integer call() throws Exception {
    RunOptions o = options;
    RunSpec spec = o.spec();
    // No step events: the command line shows none (a failed start's step comes in the error
    // reply), and ~130 of them per start cost the helper and this JVM (issue 16).
    ObjectNode fields = JsonText.object().put("attach", !o.detach).put("steps", false);
    fields.set("spec", specTree(spec));

    AttachedSession session = new AttachedSession("run");
    HelperClient client =
        HelperClient.connect(HelperClient.defaultSocket(), "glasshouse-run", session);
    if (o.detach) {
      try (client) {
        System.out.println(call(client, fields).get("container").asText());
        return 0;
      } catch (HelperException e) {
        return failed("run", e);
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
        return failed("run", e);
      }
      String id = r.get("container").asText();
      session.forwardStdin(client, id, o.tty);
      if (o.tty) {
        AttachedSession.forwardWindowSize(client, id);
      }
      return session.awaitExit(terminal);
    } finally {
      if (terminal != null) {
        terminal.restore();
      }
      client.close();
    }
  }

  /**
   * The spec as the request's tree: written by the init channel's codec (the JSON Jackson writes
   * for the record) and parsed back by {@link JsonText}, not {@code Json.tree}: Jackson's
   * serialization of a record, first used in this fresh JVM, cost ~110 ms of every {@code run}
   * against ~15 ms for this, and building the mapper to parse it back ~75 ms more (issue 16).
   */
  static JsonNode specTree(RunSpec spec) {
    return JsonText.parse(InitCodec.encode(spec));
  }

  private static JsonNode call(HelperClient c, ObjectNode fields) throws HelperException {
    return c.call(Op.RUN, fields);
  }

  /** Prints a failed start: the helper's sentence, then the failing step as a syscall line. */
  static int failed(String command, HelperException e) {
    System.err.println("glasshouse " + command + ": " + Cli.printable(e.getMessage()));
    StepEntry s = e.step();
    if (s != null) {
      System.err.println("  step " + Cli.printable(s.step()) + ": " + Cli.printable(describe(s)));
    }
    return Exit.of(e);
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
}
