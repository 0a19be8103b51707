package org.glasshouse.app.cgroups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.protocol.inspect.TelemetrySample;

/**
 * The built telemetry fixtures ({@code fixtures/v1.jsonl} and {@code v2.jsonl}, made by {@link
 * FixtureBuilder} from the helper's captured cgroupfs trees): helper events, one JSON object a
 * line, after a header line. The recorded ones are the app's shared recordings ({@code
 * core/Recording}).
 */
final class Recordings {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Recordings() {}

  /** A fixture's events as the app's {@link LabEvent}s, in recorded order. */
  static List<LabEvent> events(String name) {
    List<LabEvent> out = new ArrayList<>();
    for (JsonNode n : lines(name)) {
      String type = n.path("event").asText();
      String c = n.path("container").asText();
      if (type.equals("telemetry")) {
        out.add(telemetry(c, JSON.convertValue(n.get("sample"), TelemetrySample.class)));
      } else if (type.equals("exited")) {
        out.add(
            new LabEvent.Exited(
                c,
                n.hasNonNull("code") ? n.get("code").asInt() : null,
                n.hasNonNull("signal") ? n.get("signal").asText() : null,
                n.path("oomKilled").asBoolean(),
                n.path("durationMs").asLong()));
      }
    }
    return out;
  }

  /** The containers the fixture's header names, in the order they were started. */
  static List<String> containers(String name) {
    List<String> ids = new ArrayList<>();
    lines(name).get(0).path("containers").forEach(c -> ids.add(c.asText()));
    return ids;
  }

  /** A telemetry event as the socket client makes it. */
  static LabEvent.Telemetry telemetry(String container, TelemetrySample s) {
    return new LabEvent.Telemetry(container, s);
  }

  private static List<JsonNode> lines(String name) {
    var in =
        Objects.requireNonNull(
            Recordings.class.getResourceAsStream("fixtures/" + name + ".jsonl"), name);
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (!l.isBlank()) {
          out.add(JSON.readTree(l));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
