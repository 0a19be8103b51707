package org.glasshouse.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Op;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code glasshouse rm [-f] ID…}: removes containers; prints each removed id, one error each. */
@Command(
    name = "rm",
    description = {
      "Remove containers: their processes, mounts, cgroups and directories. Prints each removed"
          + " one; 1 when one could not be removed."
    })
final class RmCommand implements Callable<Integer> {

  @Option(
      names = {"-f", "--force"},
      description = "kill running ones first")
  boolean force;

  @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "ids or names")
  final List<String> ids = new ArrayList<>();

  @Mixin GlasshouseCommand.HelpOption help;

  @Override
  public Integer call() throws Exception {
    int status = Exit.OK;
    try (HelperClient c = Cli.connect("glasshouse-rm")) {
      for (String id : ids) {
        try {
          c.call(Op.REMOVE, JsonText.object().put("container", id).put("force", force));
          System.out.println(Cli.printable(id));
        } catch (HelperException e) {
          System.err.println(
              "glasshouse rm: " + Cli.printable(id) + ": " + Cli.printable(e.getMessage()));
          status = Exit.FAILED;
        }
      }
    }
    return status;
  }
}
