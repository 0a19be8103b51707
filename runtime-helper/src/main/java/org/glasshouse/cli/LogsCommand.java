package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code glasshouse logs [-f] ID}: a container's recent output, like {@code docker logs} — the
 * helper keeps the last 512 KiB of each container (stdout to stdout, stderr to stderr, a pty's to
 * stdout). With {@code -f} it then follows the container until it exits. A follower never slows the
 * container down: what it cannot keep up with is skipped, and a note on stderr says how much.
 */
@Command(
    name = "logs",
    description = {
      "Print a container's recent output, like docker logs: the helper keeps its last 512 KiB of"
          + " stdout and stderr."
    })
final class LogsCommand implements Callable<Integer> {

  @Option(
      names = {"-f", "--follow"},
      description = "then follow it until the container exits")
  boolean follow;

  @Parameters(paramLabel = "CONTAINER", description = "its id or name")
  String id;

  @Mixin GlasshouseCommand.HelpOption help;

  @Override
  public Integer call() throws Exception {
    Printer printer = new Printer();
    try (HelperClient c =
        HelperClient.connect(HelperClient.defaultSocket(), "glasshouse-logs", printer)) {
      JsonNode r;
      try {
        r = c.call(Op.LOGS, JsonText.object().put("container", id).put("follow", follow));
      } catch (HelperException e) {
        System.err.println("glasshouse logs: " + Cli.printable(e.getMessage()));
        return Exit.of(e);
      }
      long skipped = r.path("skipped").asLong();
      if (skipped > 0) {
        System.err.println(
            "glasshouse logs: the first " + skipped + " bytes are no longer in the log");
      }
      if (follow && r.path("subscription").isIntegralNumber()) {
        printer.done.await();
        String lost = printer.closed.get();
        if (lost != null) {
          System.err.println("glasshouse logs: lost the helper: " + Cli.printable(lost));
          return Exit.HELPER;
        }
      }
    }
    System.out.flush();
    return Exit.OK;
  }

  /** Prints output as it comes; counts down at the container's exit or when the helper goes. */
  private static final class Printer implements HelperClient.Listener {
    final CountDownLatch done = new CountDownLatch(1);
    final AtomicReference<String> closed = new AtomicReference<>();

    @Override
    public void event(Incoming.Event e) {
      switch (e.type()) {
        case "output" -> {
          long skipped = e.body().path("skipped").asLong();
          if (skipped > 0) {
            System.out.flush();
            System.err.println(
                "\nglasshouse logs: " + skipped + " bytes skipped (this terminal fell behind)");
          }
          PrintStream out =
              "stderr".equals(e.body().path("stream").asText()) ? System.err : System.out;
          byte[] data = Messages.decode(e.body().path("data").asText());
          out.write(data, 0, data.length);
          out.flush();
        }
        case "exited", "removed" -> done.countDown();
        default -> {}
      }
    }

    @Override
    public void closed(String reason) {
      if (done.getCount() > 0) {
        closed.set(reason);
      }
      done.countDown();
    }
  }
}
