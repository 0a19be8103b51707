package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.glasshouse.helper.inspect.Capabilities;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Op;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code glasshouse inspect ID|host [--json]}: everything the kernel says about a container. */
@Command(
    name = "inspect",
    description = {
      "Everything the kernel says about a container or the host: namespaces compared with the"
          + " host's, processes, capabilities, cgroups, devices, network, overlay. 1 when its"
          + " process is gone."
    })
final class InspectCommand implements Callable<Integer> {

  @Option(names = "--upper", description = "also list the files in the overlay's upper dir")
  boolean upper;

  @Option(names = "--json", description = "the helper's answer as JSON")
  boolean json;

  @Parameters(
      paramLabel = "CONTAINER",
      description = "an id or name, or host (read here when no helper runs and you are root)")
  String target;

  @Mixin GlasshouseCommand.HelpOption help;

  @Override
  public Integer call() throws Exception {
    ObjectNode f = JsonText.object().put("container", target);
    if (upper) {
      f.put("upper", true);
    }
    JsonNode r;
    try (HelperCall h = HelperCall.open(target.equals("host"))) {
      r = h.call(Op.INSPECT, f);
    }
    System.out.print(
        json ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n" : text(r));
    return r.path("gone").asBoolean() ? Exit.FAILED : Exit.OK;
  }

  /**
   * The text the command prints: {@link #render} of the answer with every string made {@link
   * Cli#printable} first — names, command lines and upper-dir paths are the container's choice, and
   * a newline or an escape sequence among them would forge lines or drive the terminal.
   */
  static String text(JsonNode r) {
    return render(Cli.printableTree(r));
  }

  /** Which devices it may open: the v1 allow-list, or the v2 BPF programs. */
  static void renderDevices(StringBuilder b, JsonNode d) {
    if (d.isMissingNode() || d.isNull()) {
      return;
    }
    b.append("\nDevices (").append(d.path("cgroup").asText()).append(")\n");
    if (d.path("source").asText().equals("bpf")) {
      int n = d.path("bpfPrograms").asInt(-1);
      b.append(
          n < 0
              ? "  BPF device programs: could not be asked\n"
              : n == 0
                  ? "  no BPF device program: any device node may be opened\n"
                  : "  " + n + " BPF device program(s) decide every open and mknod\n");
      return;
    }
    List<String> allow = new ArrayList<>();
    d.path("allow").forEach(x -> allow.add(x.asText()));
    if (allow.equals(List.of("a *:* rwm"))) {
      b.append("  a *:* rwm   any device node may be opened (no allow-list)\n");
      return;
    }
    b.append("  allowed: ").append(String.join(", ", allow)).append('\n');
  }

  /** The human-readable sections. */
  static String render(JsonNode r) {
    StringBuilder b = new StringBuilder();
    String target = r.path("target").asText();
    b.append(target.equals("host") ? "Host" : "Container " + target)
        .append(" (pid ")
        .append(r.path("pid").asLong())
        .append(")\n");
    if (r.path("gone").asBoolean()) {
      return b.append("  the process is gone (it exited)\n").toString();
    }
    b.append("\nNamespaces\n");
    b.append(String.format("  %-18s %-12s %-12s %s%n", "TYPE", "THIS", "HOST", "SHARED BY"));
    r.path("namespaces")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode n = e.getValue();
              boolean same = n.path("sameAsHost").asBoolean();
              b.append(
                  String.format(
                      "%s %-18s %-12s %-12s %d process%s%s%n",
                      same ? " " : "*",
                      e.getKey(),
                      Units.num(n.get("inode")),
                      Units.num(n.get("hostInode")),
                      n.path("sharers").asInt(),
                      n.path("sharers").asInt() == 1 ? "" : "es",
                      same ? "" : "   (differs from host)"));
            });
    b.append("\nProcesses\n");
    b.append(
        String.format(
            "  %-8s %-14s %-8s %-10s %-5s %s%n",
            "PID", "NSPID", "PPID", "UID/GID", "STATE", "COMMAND"));
    for (JsonNode p : r.path("processes")) {
      List<String> ns = new ArrayList<>();
      p.path("nsPids").forEach(x -> ns.add(x.asText()));
      List<String> argv = new ArrayList<>();
      p.path("cmdline").forEach(x -> argv.add(x.asText()));
      b.append(
          String.format(
              "  %-8d %-14s %-8d %-10s %-5s %s%n",
              p.path("pid").asLong(),
              String.join("→", ns),
              p.path("ppid").asLong(),
              p.path("uids").path(1).asText("?") + "/" + p.path("gids").path(1).asText("?"),
              p.path("state").asText(),
              argv.isEmpty() ? "[" + p.path("name").asText() + "]" : String.join(" ", argv)));
    }
    b.append("\nCapabilities\n");
    for (JsonNode p : r.path("processes")) {
      b.append("  pid ").append(p.path("pid").asLong()).append(":\n");
      p.path("capabilities")
          .fields()
          .forEachRemaining(
              e -> {
                List<String> names = new ArrayList<>();
                e.getValue().forEach(x -> names.add(x.asText()));
                b.append(
                    String.format(
                        "    %-12s %2d  %s%n", e.getKey(), names.size(), capabilityList(names)));
              });
      int filters = p.path("seccompFilters").asInt(0);
      b.append(
          String.format(
              "    no_new_privs %s, seccomp %s%s%n",
              p.path("noNewPrivs").asBoolean() ? "1" : "0",
              p.path("seccompMode").asText(),
              filters > 0 ? " (" + filters + (filters == 1 ? " filter)" : " filters)") : ""));
    }
    renderCgroup(b, r.path("cgroup"));
    renderDevices(b, r.path("devices"));
    renderNetwork(b, r.path("network"));
    JsonNode o = r.path("overlay");
    b.append("\nOverlay\n");
    if (o.isMissingNode() || o.isNull()) {
      b.append("  root is not an overlay\n");
    } else {
      List<String> lower = new ArrayList<>();
      o.path("lower").forEach(x -> lower.add(x.asText()));
      b.append("  lower  ").append(String.join(":", lower)).append('\n');
      b.append("  upper  ").append(o.path("upper").asText("-")).append('\n');
      b.append("  work   ").append(o.path("work").asText("-")).append('\n');
    }
    if (r.has("upperDir")) {
      b.append("\nUpper dir (what the container changed)\n");
      for (JsonNode e : r.get("upperDir")) {
        String kind = e.path("kind").asText();
        String note =
            kind.equals("whiteout")
                ? "  (deleted from the image)"
                : e.path("opaque").asBoolean() ? "  (opaque: hides the image's content)" : "";
        b.append(
            String.format(
                "  %-8s %s %5s:%-5s %10s  %s%s%n",
                kind,
                e.path("mode").asText(),
                e.path("uid").asText(),
                e.path("gid").asText(),
                kind.equals("dir") ? "" : Units.bytes(e.path("size").asLong()),
                e.path("path").asText(),
                note));
      }
      if (r.get("upperDir").isEmpty()) {
        b.append("  empty: nothing written yet\n");
      }
    }
    JsonNode m = r.path("mounts");
    b.append("\nMounts\n");
    b.append(
        String.format(
            "  %d mounts, root %s (%s) at %s; %d not on the host, %d host mounts not here, %d"
                + " overmounted%n",
            m.path("count").asInt(),
            m.path("rootSource").asText("-"),
            m.path("rootFsType").asText("-"),
            m.path("root").asText("/"),
            m.path("addedVsHost").asInt(),
            m.path("removedVsHost").asInt(),
            m.path("overmounted").asInt()));
    return b.toString();
  }

  /** Long sets read better as what is missing: "all but sys_resource". */
  static String capabilityList(List<String> names) {
    if (names.size() <= Capabilities.NAMES.size() / 2) {
      return String.join(" ", names);
    }
    List<String> missing = new ArrayList<>(Capabilities.NAMES);
    missing.removeAll(names);
    return missing.isEmpty() ? "all" : "all but " + String.join(" ", missing);
  }

  private static void renderCgroup(StringBuilder b, JsonNode cg) {
    JsonNode s = cg.path("stats");
    b.append("\nCgroup (").append(s.path("version").asText("?")).append(")\n");
    cg.path("v1")
        .fields()
        .forEachRemaining(
            e -> {
              if (List.of("cpu", "cpuacct", "memory", "pids").contains(e.getKey())) {
                b.append(String.format("  %-8s %s%n", e.getKey(), e.getValue().asText()));
              }
            });
    if (cg.hasNonNull("v2")) {
      b.append(String.format("  %-8s %s%n", "unified", cg.get("v2").asText()));
    }
    JsonNode c = s.path("cpu");
    if (!c.isMissingNode()) {
      String quota =
          c.hasNonNull("quotaUs")
              ? String.format(
                  "%.2f cores (%s/%s µs)",
                  c.get("quotaUs").asDouble() / c.path("periodUs").asDouble(1),
                  c.get("quotaUs").asText(),
                  Units.num(c.get("periodUs")))
              : "none";
      b.append(
          String.format(
              "  cpu      used %s, quota %s, %s %s, throttled %s of %s periods (%s)%n",
              Units.nanos(c.get("usageNs")),
              quota,
              c.has("shares") ? "shares" : "weight",
              Units.num(c.has("shares") ? c.get("shares") : c.get("weight")),
              Units.num(c.get("throttledPeriods")),
              Units.num(c.get("periods")),
              Units.nanos(c.get("throttledNs"))));
    }
    JsonNode mem = s.path("memory");
    if (!mem.isMissingNode()) {
      b.append(
          String.format(
              "  memory   %s / %s (peak %s), swap %s / %s, failcnt %s, OOM kills %s%n",
              Units.bytes(mem.get("usageBytes")),
              Units.limitBytes(mem.get("limitBytes")),
              Units.bytes(mem.get("peakBytes")),
              Units.bytes(mem.get("swapBytes")),
              Units.limitBytes(mem.get("swapLimitBytes")),
              Units.num(mem.get("failcnt")),
              Units.num(mem.get("oomKills"))));
      String bonus = memoryBonus(mem);
      if (!bonus.isEmpty()) {
        b.append("  memory+  ").append(bonus).append('\n');
      }
    }
    JsonNode p = s.path("pids");
    if (!p.isMissingNode()) {
      b.append(
          String.format(
              "  pids     %s / %s, rejected forks %s%n",
              Units.num(p.get("current")),
              p.hasNonNull("max") ? p.get("max").asText() : "max",
              Units.num(p.get("rejected"))));
    }
    s.path("pressure")
        .fields()
        .forEachRemaining(
            e ->
                b.append(
                    String.format(
                        "  psi %-6s some %.2f%% full %.2f%% (avg10)%n",
                        e.getKey(),
                        e.getValue().path("some").path("avg10").asDouble(),
                        e.getValue().path("full").path("avg10").asDouble())));
  }

  /**
   * Level 09's bonus controls, those the kernel reports for this group (v1: soft limit, swappiness,
   * the OOM killer's switch; v2: memory.high and how often it was crossed, memory.oom.group; both:
   * kernel memory); empty when none is known.
   */
  static String memoryBonus(JsonNode mem) {
    List<String> parts = new ArrayList<>();
    if (mem.hasNonNull("softLimitBytes")) {
      parts.add(
          "soft limit "
              + Units.bytes(mem.get("softLimitBytes"))
              + (mem.hasNonNull("highEvents")
                  ? " (crossed " + mem.get("highEvents").asLong() + " times)"
                  : ""));
    }
    if (mem.hasNonNull("swappiness")) {
      parts.add("swappiness " + mem.get("swappiness").asLong());
    }
    if (mem.hasNonNull("oomKillDisabled")) {
      parts.add(
          "OOM killer "
              + (mem.get("oomKillDisabled").asBoolean() ? "off" : "on")
              + (mem.path("underOom").asBoolean() ? " (under OOM: waiting for memory)" : ""));
    }
    if (mem.hasNonNull("oomGroup")) {
      parts.add("OOM group " + (mem.get("oomGroup").asBoolean() ? "on" : "off"));
    }
    if (mem.hasNonNull("kernelBytes")) {
      parts.add("kernel " + Units.bytes(mem.get("kernelBytes")));
    }
    return String.join(", ", parts);
  }

  private static void renderNetwork(StringBuilder b, JsonNode n) {
    b.append("\nNetwork (hostname ").append(n.path("hostname").asText("?")).append(")\n");
    for (JsonNode i : n.path("interfaces")) {
      List<String> flags = new ArrayList<>();
      i.path("flags").forEach(x -> flags.add(x.asText()));
      List<String> addrs = new ArrayList<>();
      i.path("addresses").forEach(x -> addrs.add(x.asText()));
      b.append(
          String.format(
              "  %-10s %-8s mtu %-6d %-28s %s%n",
              i.path("name").asText(),
              i.path("state").asText(),
              i.path("mtu").asInt(),
              String.join(",", flags),
              String.join(" ", addrs)));
    }
    if (n.hasNonNull("error")) {
      b.append("  (").append(n.get("error").asText()).append(")\n");
    }
    JsonNode w = n.path("wiring");
    if (w.isObject()) {
      b.append(
          String.format(
              "  wiring: %s (%s) ── %s [host: rx %s tx %s] ═ veth ═ %s [rx %s tx %s] %s, via %s;"
                  + " ip netns %s%n",
              w.path("bridge").asText(),
              w.path("bridgeAddress").asText(),
              w.path("hostEnd").asText(),
              Units.bytes(w.get("hostEndRxBytes")),
              Units.bytes(w.get("hostEndTxBytes")),
              w.path("containerEnd").asText(),
              Units.bytes(w.get("containerEndRxBytes")),
              Units.bytes(w.get("containerEndTxBytes")),
              w.path("address").asText(),
              w.path("gateway").asText(),
              w.path("netns").asText()));
    }
  }
}
