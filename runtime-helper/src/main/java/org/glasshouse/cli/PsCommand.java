package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.glasshouse.client.HelperClient;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Op;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code glasshouse ps [-a] [-q]}: a table like {@code docker ps -a}; the commands {@code exec}
 * started in a container are listed under it, marked {@code └ exec}, not as containers.
 */
@Command(
    name = "ps",
    description = {
      "List the containers: running ones, or all with -a. Each exec running in a container is"
          + " listed under it."
    })
final class PsCommand implements Callable<Integer> {

  @Option(
      names = {"-a", "--all"},
      description = "also the containers that have exited")
  boolean all;

  @Option(
      names = {"-q", "--quiet"},
      description =
          "only the containers' ids, one a line (for scripts: rm -f $(glasshouse ps -aq))")
  boolean quiet;

  @Mixin GlasshouseCommand.HelpOption help;

  @Override
  public Integer call() throws Exception {
    JsonNode containers;
    try (HelperClient c = Cli.connect("glasshouse-ps")) {
      containers = c.call(Op.PS, JsonText.object().put("all", all)).get("containers");
    }
    System.out.print(quiet ? ids(containers) : table(containers, Instant.now()));
    return Exit.OK;
  }

  static String ids(JsonNode containers) {
    StringBuilder b = new StringBuilder();
    containers.forEach(c -> b.append(Cli.printable(c.path("id").asText())).append('\n'));
    return b.toString();
  }

  static String table(JsonNode containers, Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"CONTAINER ID", "IMAGE", "COMMAND", "LEVEL", "CREATED", "STATUS", "NAMES"});
    for (JsonNode c : containers) {
      rows.add(
          new String[] {
            c.path("id").asText(),
            c.path("image").isNull() ? "-" : c.path("image").asText(),
            command(c),
            c.path("level").isNull() ? "custom" : level(c.path("level").asInt()),
            ago(c.path("createdAt"), now),
            status(c, now),
            c.path("name").isNull() ? "" : c.path("name").asText()
          });
      for (JsonNode x : c.path("execs")) {
        rows.add(
            new String[] {
              "└ " + x.path("id").asText(),
              "",
              command(x),
              "exec",
              ago(x.path("createdAt"), now),
              status(x, now),
              ""
            });
      }
    }
    return Cli.columns(rows);
  }

  /**
   * A level as two digits, {@code 07}: by hand, not {@code String.format}, whose first call in a
   * JVM compiles its pattern and loads the locale's number symbols (~10-20 ms of a {@code ps}).
   */
  static String level(int level) {
    return level >= 0 && level < 10 ? "0" + level : Integer.toString(level);
  }

  private static String command(JsonNode c) {
    List<String> argv = new ArrayList<>();
    c.path("argv").forEach(a -> argv.add(a.asText()));
    return "\"" + abbreviate(String.join(" ", argv), 30) + "\"";
  }

  static String status(JsonNode c, Instant now) {
    String state = c.path("state").asText();
    switch (state) {
      case "running" -> {
        return "Up " + span(c.path("startedAt"), now);
      }
      case "exited" -> {
        String how =
            c.path("exitCode").isIntegralNumber()
                ? "Exited (" + c.path("exitCode").asInt() + ")"
                : "Killed (" + signal(c.path("signal")) + ")";
        if (c.path("oomKilled").asBoolean()) {
          how += " OOM";
        }
        return how + " " + ago(c.path("finishedAt"), now);
      }
      default -> {
        return state.isEmpty() ? "?" : Character.toUpperCase(state.charAt(0)) + state.substring(1);
      }
    }
  }

  private static String signal(JsonNode n) {
    return n.isIntegralNumber() ? "signal " + n.asInt() : "signal ?";
  }

  private static String ago(JsonNode time, Instant now) {
    String s = span(time, now);
    return s.equals("?") ? s : s + " ago";
  }

  private static String span(JsonNode time, Instant now) {
    if (time == null || !time.isTextual()) {
      return "?";
    }
    long secs;
    try {
      secs = Math.max(0, Duration.between(Instant.parse(time.asText()), now).getSeconds());
    } catch (java.time.format.DateTimeParseException e) {
      return "?";
    }
    if (secs < 60) {
      return secs + (secs == 1 ? " second" : " seconds");
    }
    if (secs < 3600) {
      return secs / 60 + (secs / 60 == 1 ? " minute" : " minutes");
    }
    if (secs < 86400) {
      return secs / 3600 + (secs / 3600 == 1 ? " hour" : " hours");
    }
    return secs / 86400 + (secs / 86400 == 1 ? " day" : " days");
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
