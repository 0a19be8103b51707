package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.glasshouse.helper.inspect.FindmntRenderer;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountTree;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Op;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code glasshouse mounts ID|host [--diff host] [--json]}: a mount tree like findmnt. */
@Command(
    name = "mounts",
    description = {
      "A container's or the host's mount tree, like findmnt; mounts a container leaked into the"
          + " host's table (level 01) are marked."
    })
final class MountsCommand implements Callable<Integer> {

  /** What {@code --diff} can compare with. */
  enum Against {
    host
  }

  @Option(
      names = "--diff",
      paramLabel = "host",
      description = "mark what differs from the host's mount table (the only value: host)")
  Against diff;

  @Option(names = "--json", description = "the helper's answer as JSON")
  boolean json;

  @Parameters(paramLabel = "CONTAINER", description = "an id or name, or host")
  String target;

  @Mixin GlasshouseCommand.HelpOption help;

  @Override
  public Integer call() throws Exception {
    ObjectNode f = JsonText.object().put("container", target);
    if (diff != null) {
      f.put("diff", diff.name());
    }
    JsonNode r;
    try (HelperCall h = HelperCall.open(target.equals("host"))) {
      r = h.call(Op.MOUNTS, f);
    }
    if (json) {
      System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
    } else {
      System.out.print(render(Cli.printableTree(r)));
    }
    return r.path("gone").asBoolean() ? Exit.FAILED : Exit.OK;
  }

  static String render(JsonNode r) {
    if (r.path("gone").asBoolean()) {
      return "the process is gone (it exited)\n";
    }
    StringBuilder b =
        new StringBuilder(FindmntRenderer.render(MountTree.of(entries(r.path("entries")))));
    List<String> leaks = new ArrayList<>();
    for (JsonNode m : r.path("entries")) {
      if (m.hasNonNull("leakedFrom")) {
        leaks.add(
            "  "
                + m.path("mountPoint").asText()
                + "  (container "
                + m.get("leakedFrom").asText()
                + ")");
      }
    }
    if (!leaks.isEmpty()) {
      b.append("\nLeaked into the host (containers sharing its mount namespace):\n");
      leaks.forEach(l -> b.append(l).append('\n'));
    }
    JsonNode d = r.path("diff");
    if (!d.isMissingNode() && !d.isNull()) {
      b.append("\nDifferences from the ").append(d.path("against").asText()).append(":\n");
      for (JsonNode m : d.path("added")) {
        b.append("  + ").append(line(m)).append('\n');
      }
      for (JsonNode m : d.path("removed")) {
        b.append("  - ").append(line(m)).append('\n');
      }
      for (JsonNode c : d.path("changed")) {
        List<String> fields = new ArrayList<>();
        c.path("fields").forEach(x -> fields.add(x.asText()));
        b.append("  ~ ")
            .append(line(c.path("after")))
            .append("  (")
            .append(String.join(", ", fields))
            .append(")\n");
      }
      if (d.path("added").isEmpty() && d.path("removed").isEmpty() && d.path("changed").isEmpty()) {
        b.append("  none\n");
      }
    }
    return b.toString();
  }

  private static String line(JsonNode m) {
    return m.path("mountPoint").asText()
        + "  "
        + m.path("source").asText()
        + "  "
        + m.path("fsType").asText()
        + "  "
        + m.path("options").asText();
  }

  /** Wire mounts back into entries, so the CLI draws the same tree the helper would. */
  static List<MountEntry> entries(JsonNode arr) {
    List<MountEntry> out = new ArrayList<>();
    for (JsonNode m : arr) {
      String[] dev = m.path("device").asText("0:0").split(":");
      List<String> opt = new ArrayList<>();
      m.path("optionalFields").forEach(x -> opt.add(x.asText()));
      out.add(
          new MountEntry(
              m.path("id").asInt(),
              m.path("parentId").asInt(),
              parse(dev[0]),
              dev.length > 1 ? parse(dev[1]) : 0,
              m.path("root").asText(),
              m.path("mountPoint").asText(),
              m.path("options").asText(),
              List.copyOf(opt),
              m.path("fsType").asText(),
              m.path("source").asText(),
              m.path("superOptions").asText()));
    }
    return out;
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
