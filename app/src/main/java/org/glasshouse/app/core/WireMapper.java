package org.glasshouse.app.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        return new LabEvent.Telemetry(c, flat(n.get("sample")));
      default:
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
   * Reads an {@code inspect} result. Accepts namespaces as an object ({@code {"uts":"uts:[…]"}}) or
   * as a list of {@code {type, inode}}; PID 1 as {@code pid1.cmdline} (string or list) or {@code
   * pid1Command}; cgroup facts under {@code cgroup.limits}/{@code cgroup.usage} or top-level {@code
   * limits}/{@code usage}.
   */
  Inspection inspection(JsonNode r) {
    Map<String, String> ns = new LinkedHashMap<>();
    JsonNode nsNode = r.path("namespaces");
    if (nsNode.isObject()) {
      nsNode.fields().forEachRemaining(e -> ns.put(e.getKey(), scalar(e.getValue())));
    } else if (nsNode.isArray()) {
      for (JsonNode e : nsNode) {
        String type = text(e, "type");
        ns.put(type, e.hasNonNull("id") ? text(e, "id") : type + ":[" + text(e, "inode") + "]");
      }
    }
    JsonNode pid1 = r.path("pid1");
    String cmd = r.hasNonNull("pid1Command") ? text(r, "pid1Command") : null;
    if (cmd == null && pid1.has("cmdline")) {
      cmd = scalar(pid1.get("cmdline"));
    }
    JsonNode cg = r.path("cgroup");
    Map<String, String> limits = flatText(cg.has("limits") ? cg.get("limits") : r.get("limits"));
    Map<String, String> usage = flatText(cg.has("usage") ? cg.get("usage") : r.get("usage"));
    return new Inspection(text(r, "hostname"), ns, cmd, limits, usage);
  }

  private Map<String, Object> flat(JsonNode n) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (n != null && n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        out.put(e.getKey(), v.isNumber() ? v.numberValue() : scalar(v));
      }
    }
    return out;
  }

  private Map<String, String> flatText(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n != null && n.isObject()) {
      n.fields().forEachRemaining(e -> out.put(e.getKey(), scalar(e.getValue())));
    }
    return out;
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
