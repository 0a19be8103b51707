package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.client.HelperClient;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;

/** {@code glasshouse ps [-a]}: a table like {@code docker ps -a}. */
final class PsCommand implements Command {

  @Override
  public String summary() {
    return "list containers (-a: also exited ones)";
  }

  @Override
  public int run(List<String> args) throws Exception {
    boolean all = false;
    for (String a : args) {
      if (a.equals("-a") || a.equals("--all")) {
        all = true;
      } else {
        throw new UsageException("unknown option '" + a + "' (usage: glasshouse ps [-a])");
      }
    }
    JsonNode containers;
    try (HelperClient c = Cli.connect("glasshouse-ps")) {
      containers = c.call(Op.PS, Json.object().put("all", all)).get("containers");
    }
    System.out.print(table(containers, Instant.now()));
    return 0;
  }

  static String table(JsonNode containers, Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"CONTAINER ID", "IMAGE", "COMMAND", "LEVEL", "CREATED", "STATUS", "NAMES"});
    for (JsonNode c : containers) {
      List<String> argv = new ArrayList<>();
      c.path("argv").forEach(a -> argv.add(a.asText()));
      String command = "\"" + abbreviate(String.join(" ", argv), 30) + "\"";
      rows.add(
          new String[] {
            c.path("id").asText(),
            c.path("image").isNull() ? "-" : c.path("image").asText(),
            command,
            c.path("level").isNull() ? "custom" : String.format("%02d", c.path("level").asInt()),
            ago(c.path("createdAt"), now),
            status(c, now),
            c.path("name").isNull() ? "" : c.path("name").asText()
          });
    }
    return Cli.columns(rows);
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
