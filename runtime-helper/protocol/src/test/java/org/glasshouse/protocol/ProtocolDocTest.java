package org.glasshouse.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md names every op, error code, event and topic, and its request examples parse. */
class ProtocolDocTest {

  private static String doc() throws IOException {
    return Files.readString(Path.of("src/main/java/org/glasshouse/protocol/PROTOCOL.md"));
  }

  @Test
  void everyWireNameIsDocumented() throws IOException {
    String doc = doc();
    List<String> missing = new ArrayList<>();
    for (Op op : Op.values()) {
      String name = "`" + op.wireName() + "`";
      if (doc.lines().noneMatch(l -> l.startsWith("### ") && l.contains(name))) {
        missing.add("op " + op.wireName());
      }
    }
    for (ErrorCode c : ErrorCode.values()) {
      if (!doc.contains("| `" + c.wireName() + "` |")) {
        missing.add("error " + c.wireName());
      }
    }
    for (EventType e : EventType.values()) {
      if (!doc.contains("| `" + e.wireName() + "` | `" + e.topic().wireName() + "` |")) {
        missing.add("event " + e.wireName());
      }
    }
    for (Topic t : Topic.values()) {
      if (!doc.contains("`" + t.wireName() + "`")) {
        missing.add("topic " + t.wireName());
      }
    }
    assertTrue(missing.isEmpty(), "PROTOCOL.md does not document: " + missing);
  }

  @Test
  void theLevelRangeAndEveryFeatureAreDocumented() throws IOException {
    String doc = doc();
    assertTrue(
        doc.contains("| `spec.level` | 0.." + Feature.MAX_LEVEL + " "),
        "PROTOCOL.md gives another level range than 0.." + Feature.MAX_LEVEL);
    String row =
        doc.lines().filter(l -> l.startsWith("| `spec.features` |")).findFirst().orElseThrow();
    for (Feature f : Feature.values()) {
      assertTrue(row.contains("`" + f.wireName() + "`"), "spec.features lacks " + f.wireName());
    }
  }

  @Test
  void everyLimitAndTheNetworkOptionHaveAValidationRow() throws IOException {
    String doc = doc();
    List<String> missing = new ArrayList<>();
    for (var c : Limits.class.getRecordComponents()) {
      if (!doc.contains("| `spec.limits." + c.getName() + "` |")) {
        missing.add("spec.limits." + c.getName());
      }
    }
    if (!doc.contains("| `spec.network` |")) {
      missing.add("spec.network");
    }
    assertTrue(missing.isEmpty(), "PROTOCOL.md's validation table lacks " + missing);
  }

  @Test
  void everyRequestExampleIsAValidRequest() throws Exception {
    Matcher m = Pattern.compile("(?m)^\\{\"id\":.*\"op\":.*\\}$").matcher(doc());
    int n = 0;
    while (m.find()) {
      Request r = Request.parse(m.group());
      JsonNode back = Json.MAPPER.readTree(m.group());
      assertTrue(back.get("op").asText().equals(r.op().wireName()));
      n++;
    }
    assertTrue(n >= 15, "found only " + n + " request examples");
  }
}
