package org.glasshouse.cli;

import java.util.ArrayList;
import java.util.List;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;

/** {@code glasshouse rm [-f] ID…}: removes containers; prints each removed id, one error each. */
final class RmCommand implements Command {

  @Override
  public String summary() {
    return "remove containers (-f: kill running ones first)";
  }

  @Override
  public int run(List<String> args) throws Exception {
    boolean force = false;
    List<String> ids = new ArrayList<>();
    for (String a : args) {
      if (a.equals("-f") || a.equals("--force")) {
        force = true;
      } else if (a.startsWith("-")) {
        throw new UsageException("unknown option '" + a + "' (usage: glasshouse rm [-f] ID…)");
      } else {
        ids.add(a);
      }
    }
    if (ids.isEmpty()) {
      throw new UsageException("no container given (usage: glasshouse rm [-f] ID…)");
    }
    int status = 0;
    try (HelperClient c = Cli.connect("glasshouse-rm")) {
      for (String id : ids) {
        try {
          c.call(Op.REMOVE, Json.object().put("container", id).put("force", force));
          System.out.println(Cli.printable(id));
        } catch (HelperException e) {
          System.err.println(
              "glasshouse rm: " + Cli.printable(id) + ": " + Cli.printable(e.getMessage()));
          status = 1;
        }
      }
    }
    return status;
  }
}
