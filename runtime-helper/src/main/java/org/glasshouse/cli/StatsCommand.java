package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Op;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code glasshouse stats [ID…] [--no-stream]}: a live table like {@code docker stats}, absolute
 * units, refreshed each second until Ctrl-C.
 */
@Command(
    name = "stats",
    description = {
      "Live resource usage of containers, like docker stats: CPU, memory against its limit, pids,"
          + " throttling, OOM kills; redrawn each second until Ctrl-C."
    })
final class StatsCommand implements Callable<Integer> {

  @Option(names = "--no-stream", description = "print one table and exit")
  boolean once;

  @Parameters(
      arity = "0..*",
      paramLabel = "CONTAINER",
      description = "ids or names (default: every running container)")
  final List<String> ids = new ArrayList<>();

  @Mixin GlasshouseCommand.HelpOption help;

  @Override
  public Integer call() throws Exception {
    ObjectNode f = JsonText.object();
    if (!ids.isEmpty()) {
      var arr = f.putArray("containers");
      ids.forEach(arr::add);
    }
    try (HelperCall h = HelperCall.open(false)) {
      // CPU % is a rate: the first reading only sets the starting point.
      h.call(Op.STATS, f.deepCopy());
      while (true) {
        Thread.sleep(1000);
        String table = render(Cli.printableTree(h.call(Op.STATS, f.deepCopy())));
        if (once) {
          System.out.print(table);
          return Exit.OK;
        }
        // Home + clear, then the table: the whole screen is redrawn each second.
        System.out.print("\033[H\033[2J" + table);
        System.out.flush();
      }
    }
  }

  static String render(JsonNode r) {
    StringBuilder b = new StringBuilder();
    String fmt = "%-14s %8s %23s %7s %11s %10s %5s%n";
    b.append(
        String.format(
            fmt, "CONTAINER", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS", "THROTTLED", "OOM"));
    for (JsonNode c : r.path("containers")) {
      JsonNode s = c.path("sample");
      if (s.path("gone").asBoolean()) {
        b.append(String.format(fmt, c.path("container").asText(), "gone", "", "", "", "", ""));
        continue;
      }
      JsonNode cg = s.path("cgroup");
      JsonNode mem = cg.path("memory");
      JsonNode limit = mem.get("limitBytes");
      String memPct =
          limit != null && limit.asLong() > 0
              ? String.format("%.1f%%", mem.path("usageBytes").asDouble() * 100 / limit.asLong())
              : "-";
      JsonNode pids = cg.path("pids");
      b.append(
          String.format(
              fmt,
              c.path("container").asText(),
              s.hasNonNull("cpuPercent")
                  ? String.format("%.2f%%", s.get("cpuPercent").asDouble())
                  : "-",
              Units.bytes(mem.get("usageBytes")) + " / " + Units.limitBytes(limit),
              memPct,
              Units.num(pids.get("current"))
                  + " / "
                  + (pids.hasNonNull("max") ? pids.get("max").asText() : "max"),
              Units.nanos(cg.path("cpu").get("throttledNs")),
              Units.num(mem.get("oomKills"))
                  // v1 with the OOM killer off: at its limit, its processes wait for memory.
                  + (mem.path("underOom").asBoolean() ? " (under_oom: waiting)" : "")));
    }
    return b.toString();
  }
}
