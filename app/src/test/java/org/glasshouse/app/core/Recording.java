package org.glasshouse.app.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.StatsResult;

/**
 * A conversation with a real helper, recorded by {@link FixtureRecorder} into a fixture file of
 * JSON lines (see {@code fixtures/README.md}): a header line {@code {"recording":{…}}}, then in
 * order every request the recorder sent (lines with {@code op}) and every line it received —
 * replies ({@code ok}) and events ({@code event}). Read back into the app's typed model through the
 * same {@link WireMapper} the socket client uses, so a view-model test fed from it sees exactly
 * what the app would have seen.
 */
public final class Recording {
  /** Where the fixture files are, on the test class path. */
  public static final String FIXTURES = "/org/glasshouse/app/fixtures/";

  private final String name;
  private final JsonNode header;
  private final List<JsonNode> lines;
  private final List<LabEvent> events = new ArrayList<>();
  private final Map<String, InspectResult> inspect = new LinkedHashMap<>();
  private final Map<String, MountsResult> mounts = new LinkedHashMap<>();
  private final List<StatsResult> stats = new ArrayList<>();
  private final List<String> unreadable = new ArrayList<>();

  private Recording(String name, List<JsonNode> lines) {
    this.name = name;
    this.lines = List.copyOf(lines);
    WireMapper wire = new WireMapper();
    JsonNode head = null;
    Map<String, JsonNode> pending = new HashMap<>();
    for (JsonNode n : lines) {
      if (n.has("recording")) {
        head = n.get("recording");
      } else if (n.has("op")) {
        pending.put(n.path("id").asText(), n);
      } else if (n.has("event")) {
        LabEvent e = wire.event(n);
        if (e == null) {
          unreadable.add(n.toString());
        } else {
          events.add(e);
        }
      } else if (n.has("ok")) {
        JsonNode request = pending.remove(n.path("id").asText());
        if (request != null && n.path("ok").asBoolean()) {
          reply(wire, request, n.get("result"));
        }
      } else {
        unreadable.add(n.toString());
      }
    }
    this.header = head;
  }

  private void reply(WireMapper wire, JsonNode request, JsonNode result) {
    String target = request.path("container").asText();
    switch (request.path("op").asText()) {
      case "inspect" -> inspect.put(target, wire.inspect(result));
      case "mounts" -> mounts.put(target, wire.mounts(result));
      case "stats" -> stats.add(wire.stats(result));
      default -> {
        // run, exec, subscribe…: their replies carry ids, already in the events.
      }
    }
  }

  /** Loads {@code fixtures/NAME.jsonl} (or {@code NAME.jsonl.gz}) from the test class path. */
  public static Recording load(String name) {
    try (InputStream in = open(name)) {
      return read(name, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture's bytes, uncompressed. */
  public static InputStream open(String name) throws IOException {
    InputStream in = Recording.class.getResourceAsStream(FIXTURES + name + ".jsonl");
    if (in != null) {
      return in;
    }
    InputStream gz = Recording.class.getResourceAsStream(FIXTURES + name + ".jsonl.gz");
    if (gz == null) {
      throw new IllegalArgumentException("no fixture " + FIXTURES + name + ".jsonl(.gz)");
    }
    return new GZIPInputStream(gz);
  }

  /** Reads a recording from a stream of JSON lines. */
  public static Recording read(String name, InputStream in) throws IOException {
    WireMapper wire = new WireMapper();
    List<JsonNode> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          lines.add(wire.json().readTree(line));
        }
      }
    }
    return new Recording(name, lines);
  }

  /** The fixture's name ({@code level-09-oom}). */
  public String name() {
    return name;
  }

  /** The header: scenario, description, when and where it was recorded; null when absent. */
  public JsonNode header() {
    return header;
  }

  /** Every line of the file, parsed, in order. */
  public List<JsonNode> lines() {
    return lines;
  }

  /** The events the helper pushed, typed, in the order they arrived. */
  public List<LabEvent> events() {
    return List.copyOf(events);
  }

  /** The events of one type, in order. */
  public <T extends LabEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The last {@code inspect} reply per target ("host" or a container id). */
  public Map<String, InspectResult> inspectResults() {
    return Map.copyOf(inspect);
  }

  /** The last {@code mounts} reply per target. */
  public Map<String, MountsResult> mountsResults() {
    return Map.copyOf(mounts);
  }

  /** Every {@code stats} reply, in order. */
  public List<StatsResult> statsResults() {
    return List.copyOf(stats);
  }

  /** Event lines the app could not read (should be none: a test checks it). */
  public List<String> unreadable() {
    return List.copyOf(unreadable);
  }
}
