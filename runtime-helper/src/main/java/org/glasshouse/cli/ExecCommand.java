package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.RunSpec;

/**
 * {@code glasshouse exec [-t] [-d] [-u UID[:GID]] [-w DIR] [-e K=V]… ID CMD…}: runs a command in a
 * running container — its namespaces, root, cgroups, user and capabilities — attached like {@code
 * run} (exit status of the command; 125 when it could not be started).
 */
final class ExecCommand implements Command {

  @Override
  public String summary() {
    return "run a command in a running container";
  }

  @Override
  public int run(List<String> args) throws Exception {
    boolean tty = false;
    boolean detach = false;
    String user = null;
    String workdir = null;
    Map<String, String> env = new LinkedHashMap<>();
    int i = 0;
    for (; i < args.size() && args.get(i).startsWith("-"); i++) {
      String a = args.get(i);
      switch (a) {
        case "-t", "--tty" -> tty = true;
        case "-i", "--interactive" -> {
          // stdin is always forwarded; accepted for docker's muscle memory.
        }
        case "-it", "-ti" -> tty = true;
        case "-d", "--detach" -> detach = true;
        case "-u", "--user" -> user = value(args, ++i, a);
        case "-w", "--workdir" -> workdir = value(args, ++i, a);
        case "-e", "--env" -> {
          String kv = value(args, ++i, a);
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new UsageException("-e needs NAME=VALUE, got '" + kv + "'");
          }
          env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        case "--" -> {
          i++;
          return exec(args, i, tty, detach, user, workdir, env);
        }
        default -> throw new UsageException("unknown option '" + a + "'" + usage());
      }
    }
    return exec(args, i, tty, detach, user, workdir, env);
  }

  private static String usage() {
    return " (usage: glasshouse exec [-t] [-d] [-u UID[:GID]] [-w DIR] [-e K=V]… ID CMD…)";
  }

  private static String value(List<String> args, int i, String option) throws UsageException {
    if (i >= args.size()) {
      throw new UsageException(option + " needs a value" + usage());
    }
    return args.get(i);
  }

  private int exec(
      List<String> args,
      int i,
      boolean tty,
      boolean detach,
      String user,
      String workdir,
      Map<String, String> env)
      throws Exception {
    if (args.size() - i < 2) {
      throw new UsageException("a container and a command are needed" + usage());
    }
    String container = args.get(i);
    List<String> argv = new ArrayList<>(args.subList(i + 1, args.size()));
    if (tty && !env.containsKey("TERM")) {
      env.put("TERM", "xterm");
    }
    int[] size = tty ? Terminal.size() : null;
    RunSpec spec =
        new RunSpec(
            null,
            argv,
            Map.copyOf(env),
            workdir,
            tty,
            size == null ? null : size[0],
            size == null ? null : size[1],
            null,
            null,
            null,
            user,
            null,
            null,
            false,
            null,
            null);
    ObjectNode fields = Json.object().put("container", container).put("attach", !detach);
    fields.set("spec", Json.tree(spec));
    AttachedSession session = new AttachedSession("exec");
    HelperClient client =
        HelperClient.connect(HelperClient.defaultSocket(), "glasshouse-exec", session);
    Terminal terminal = tty && !detach ? Terminal.raw() : null;
    try (client) {
      JsonNode r;
      try {
        r = client.call(Op.EXEC, fields);
      } catch (HelperException e) {
        if (terminal != null) {
          terminal.restore();
        }
        return RunCommand.failed(e);
      }
      String id = r.get("container").asText();
      if (detach) {
        System.out.println(id);
        return 0;
      }
      session.forwardStdin(client, id, tty);
      return session.awaitExit(terminal);
    } finally {
      if (terminal != null) {
        terminal.restore();
      }
    }
  }
}
