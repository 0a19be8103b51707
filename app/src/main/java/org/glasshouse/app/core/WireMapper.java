package org.glasshouse.app.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.inspect.TelemetrySample;
import org.glasshouse.protocol.StepEntry;

/**
 * Turns protocol JSON into the app's model. Total: a field the helper leaves out becomes null or
 * empty, never an exception, so a newer helper with more fields still works.
 */
final class WireMapper {
  private final ObjectMapper json;

  WireMapper(ObjectMapper json) {
    this.json = json;
  }

  LabEvent event(JsonNode n) {
    String c = text(n, "container");
    String type = text(n, "event");
    if (type == null) {
      return null;
    }
    switch (type) {
      case "step":
        return new LabEvent.Step(c, step(n.get("entry")));
      case "started":
        return new LabEvent.Started(c, n.path("pid").asLong());
      case "output":
        return new LabEvent.Output(
            c, text(n, "stream"), Base64.getDecoder().decode(n.path("data").asText("")));
      case "exited":
        return new LabEvent.Exited(
            c,
            n.hasNonNull("code") ? n.get("code").asInt() : null,
            n.hasNonNull("signal") ? n.get("signal").asText() : null,
            n.path("oomKilled").asBoolean(false),
            n.path("durationMs").asLong());
      case "removed":
        return new LabEvent.Removed(c);
      case "telemetry":
        JsonNode sample = n.path("sample");
        return new LabEvent.Telemetry(
            c,
            usage(
                sample.path("cgroup"),
                sample.hasNonNull("cpuPercent") ? sample.get("cpuPercent").asDouble() : null),
            sample(sample));
      default:
        return null;
    }
  }

  /** A telemetry sample as the helper's record, or null when it does not parse. */
  TelemetrySample sample(JsonNode n) {
    if (n == null || !n.isObject()) {
      return null;
    }
    try {
      // A newer helper may send more fields: they are skipped, the known ones still read.
      return json.readerFor(TelemetrySample.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(n);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  StepEntry step(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    return json.convertValue(n, StepEntry.class);
  }

  List<StepEntry> steps(JsonNode result) {
    List<StepEntry> out = new ArrayList<>();
    for (JsonNode s : result.path("steps")) {
      out.add(step(s));
    }
    return out;
  }

  List<ContainerSummary> ps(JsonNode result) {
    List<ContainerSummary> out = new ArrayList<>();
    for (JsonNode c : result.path("containers")) {
      List<String> argv = new ArrayList<>();
      c.path("argv").forEach(a -> argv.add(a.asText()));
      out.add(
          new ContainerSummary(
              text(c, "id"),
              text(c, "image"),
              argv,
              c.hasNonNull("level") ? c.get("level").asInt() : null,
              text(c, "state"),
              c.hasNonNull("pid") ? c.get("pid").asLong() : null,
              c.hasNonNull("exitCode") ? c.get("exitCode").asInt() : null,
              c.hasNonNull("signal") ? c.get("signal").asText() : null,
              c.path("oomKilled").asBoolean(false)));
    }
    return out;
  }

  /**
   * Reads an {@code inspect} result (the inspection module's {@code InspectResult}): namespaces as
   * {@code {type: {inode, hostInode, sameAsHost}}}, the hostname under {@code network}, processes
   * with their NSpid chains (PID 1 inside is the one whose last NSpid is 1), cgroup stats.
   */
  Inspection inspection(JsonNode r) {
    Map<String, String> ns = new LinkedHashMap<>();
    r.path("namespaces")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              String id =
                  v.isObject()
                      ? (v.hasNonNull("inode")
                          ? e.getKey() + ":[" + v.get("inode").asText() + "]"
                          : null)
                      : scalar(v);
              ns.put(e.getKey(), id);
            });
    // Only a process whose innermost pid is 1 is PID 1 as seen from inside; without a PID
    // namespace of its own there is none here (inside, PID 1 is the host's: the view says so).
    String cmd = null;
    for (JsonNode p : r.path("processes")) {
      JsonNode nsPids = p.path("nsPids");
      if (nsPids.size() > 0 && nsPids.get(nsPids.size() - 1).asLong() == 1) {
        String c = scalar(p.get("cmdline"));
        cmd = c == null || c.isBlank() ? text(p, "name") : c;
        break;
      }
    }
    String hostname = text(r.path("network"), "hostname");
    JsonNode stats = r.path("cgroup").path("stats");
    return new Inspection(hostname, ns, cmd, limits(stats), usage(stats, null));
  }

  /** Limits from a {@code CgroupStats}, formatted for people; absent ones left out. */
  static Map<String, String> limits(JsonNode stats) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode cpu = stats.path("cpu");
    if (cpu.hasNonNull("shares")) {
      out.put("cpu shares", cpu.get("shares").asText());
    }
    if (cpu.hasNonNull("weight")) {
      out.put("cpu weight", cpu.get("weight").asText());
    }
    if (cpu.hasNonNull("quotaUs") && cpu.path("periodUs").asLong() > 0) {
      out.put(
          "cpus",
          String.format(
              java.util.Locale.ROOT,
              "%.2f",
              cpu.get("quotaUs").asDouble() / cpu.get("periodUs").asDouble()));
    }
    JsonNode mem = stats.path("memory");
    if (mem.hasNonNull("limitBytes")) {
      out.put("memory limit", bytes(mem.get("limitBytes").asLong()));
    }
    if (mem.hasNonNull("swapLimitBytes")) {
      out.put("swap limit", bytes(mem.get("swapLimitBytes").asLong()));
    }
    JsonNode pids = stats.path("pids");
    if (pids.hasNonNull("max")) {
      out.put("pids max", pids.get("max").asText());
    }
    return out;
  }

  /** Current usage from a {@code CgroupStats} (and a telemetry sample's CPU %). */
  static Map<String, String> usage(JsonNode stats, Double cpuPercent) {
    Map<String, String> out = new LinkedHashMap<>();
    if (cpuPercent != null) {
      out.put("cpu", String.format(java.util.Locale.ROOT, "%.1f %%", cpuPercent));
    }
    JsonNode mem = stats.path("memory");
    if (mem.hasNonNull("usageBytes")) {
      out.put("memory", bytes(mem.get("usageBytes").asLong()));
    }
    if (mem.hasNonNull("oomKills") && mem.get("oomKills").asLong() > 0) {
      out.put("OOM kills", mem.get("oomKills").asText());
    }
    JsonNode pids = stats.path("pids");
    if (pids.hasNonNull("current")) {
      out.put("pids", pids.get("current").asText());
    }
    return out;
  }

  static String bytes(long b) {
    if (b >= 1L << 30) {
      return String.format(java.util.Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
    }
    if (b >= 1L << 20) {
      return String.format(java.util.Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    }
    return String.format(java.util.Locale.ROOT, "%.1f KiB", b / 1024.0);
  }

  private static String scalar(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(p -> parts.add(p.asText()));
      return String.join(" ", parts);
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
