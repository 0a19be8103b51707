package org.glasshouse.app.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsEvent;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.NamespacesEvent;
import org.glasshouse.protocol.inspect.StatsResult;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.glasshouse.protocol.inspect.UpperEvent;

/**
 * Turns protocol JSON into the app's model: the protocol's own records where it has them. Total: a
 * field the helper leaves out becomes null or empty and a field it adds is ignored, never an
 * exception, so a newer helper still works; an event that cannot be read at all (a number where an
 * object belongs) is dropped, not thrown at the reader thread.
 */
final class WireMapper {
  private final ObjectMapper json;

  WireMapper() {
    this(JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());
  }

  WireMapper(ObjectMapper json) {
    this.json = json;
  }

  /** The mapper this one reads with (lenient about unknown fields). */
  ObjectMapper json() {
    return json;
  }

  LabEvent event(JsonNode n) {
    String c = text(n, "container");
    String type = text(n, "event");
    if (type == null) {
      return null;
    }
    try {
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
          TelemetrySample sample = read(n.get("sample"), TelemetrySample.class);
          return sample == null ? null : new LabEvent.Telemetry(c, sample);
        case "mounts":
          return new LabEvent.Mounts(c, read(n, MountsEvent.class));
        case "namespaces":
          return new LabEvent.Namespaces(c, read(n, NamespacesEvent.class));
        case "upper":
          return new LabEvent.Upper(c, read(n, UpperEvent.class));
        default:
          return null;
      }
    } catch (IllegalArgumentException e) {
      // Not base64, or a shape this app cannot read: drop the event, keep the connection.
      return null;
    }
  }

  StepEntry step(JsonNode n) {
    return read(n, StepEntry.class);
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
              c.path("oomKilled").asBoolean(false),
              instant(text(c, "createdAt"))));
    }
    return out;
  }

  /** An {@code inspect} result. */
  InspectResult inspect(JsonNode result) {
    return read(result, InspectResult.class);
  }

  /** A {@code mounts} result. */
  MountsResult mounts(JsonNode result) {
    return read(result, MountsResult.class);
  }

  /** A {@code stats} result. */
  StatsResult stats(JsonNode result) {
    return read(result, StatsResult.class);
  }

  /**
   * {@code n} as a {@code type}; null for a missing or JSON-null node.
   *
   * @throws IllegalArgumentException when {@code n} does not fit the type at all
   */
  <T> T read(JsonNode n, Class<T> type) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    return json.convertValue(n, type);
  }

  private static java.time.Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return java.time.Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
