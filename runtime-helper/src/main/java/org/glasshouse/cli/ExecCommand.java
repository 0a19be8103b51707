package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code glasshouse exec [-t] [-d] [-u UID[:GID]] [-w DIR] [-e K=V]… ID CMD…}: runs a command in a
 * running container — its namespaces, root, cgroups, user and capabilities — attached like {@code
 * run} (exit status of the command; 125 when it could not be started).
 */
@Command(
    name = "exec",
    sortOptions = false,
    description = {
      "Run a command in a running container: its namespaces, root, cgroups, user and"
          + " capabilities. Attached like run; 125 when it could not be started. ps lists it"
          + " under its container while it runs."
    })
final class ExecCommand implements Callable<Integer> {

  @Option(
      names = {"-t", "--tty"},
      description = "a pseudo-terminal: this terminal in raw mode")
  boolean tty;

  @Option(
      names = {"-i", "--interactive"},
      description = "accepted for docker's habit (-it): stdin is always forwarded")
  boolean interactive;

  @Option(
      names = {"-d", "--detach"},
      description = "start it, print its id and return")
  boolean detach;

  @Option(
      names = {"-u", "--user"},
      paramLabel = "UID[:GID]",
      description = "run as this user (default: the container's)")
  String user;

  @Option(
      names = {"-w", "--workdir"},
      paramLabel = "DIR",
      description = "the working directory inside")
  String workdir;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "NAME[=VALUE]",
      description = "set a variable; NAME alone passes this shell's value, when it has one")
  final List<String> env = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "CONTAINER", description = "the container's id or name")
  String container;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "CMD",
      description = "the command and its arguments")
  final List<String> argv = new ArrayList<>();

  @Mixin GlasshouseCommand.HelpOption help;

  /**
   * The command: {@code argv} without a {@code --} between the container and the command ({@code
   * exec ID -- sh -c …}, as podman's and kubectl's exec read it; parsing stops at the container, so
   * picocli hands the separator over as the command's first word).
   */
  List<String> command() throws UsageException {
    if (!argv.isEmpty() && argv.get(0).equals("--")) {
      if (argv.size() == 1) {
        throw new UsageException("exec needs a command after --");
      }
      return List.copyOf(argv.subList(1, argv.size()));
    }
    return List.copyOf(argv);
  }

  /** This shell's environment, for {@code -e NAME}. */
  Map<String, String> localEnv = System.getenv();

  /** {@code -e} as {@code run} reads it; with a terminal, TERM=xterm unless set. */
  Map<String, String> environment() throws UsageException {
    Map<String, String> environment = RunOptions.environment(env, localEnv);
    if (tty && !environment.containsKey("TERM")) {
      environment.put("TERM", "xterm");
    }
    return environment;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> environment = environment();
    int[] size = tty ? Terminal.size() : null;
    RunSpec spec =
        RunSpec.builder()
            .argv(command())
            .env(Map.copyOf(environment))
            .workdir(workdir)
            .tty(tty)
            .cols(size == null ? null : size[0])
            .rows(size == null ? null : size[1])
            .user(user)
            .build();
    ObjectNode fields =
        JsonText.object().put("container", container).put("attach", !detach).put("steps", false);
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
        return RunCommand.failed("exec", e);
      }
      String id = r.get("container").asText();
      if (detach) {
        System.out.println(id);
        return Exit.OK;
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
