package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.server.InspectionService;
import org.glasshouse.helper.server.InspectionServiceTest;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsEvent;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.NamespacesEvent;
import org.glasshouse.protocol.inspect.StatsResult;
import org.glasshouse.protocol.inspect.TelemetryEvent;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records the helper's readers produce survive the wire: record → JSON line (the helper's
 * mapper) → the same record (read back the way a client does). Event bodies go the other way too:
 * the line the service pushes, read into its record and written again, is the same line — so no
 * field of the wire is lost on the way into the types.
 */
class InspectionRoundTripTest {

  @TempDir Path tmp;

  private static <T> T roundTrip(T value, Class<T> type) throws Exception {
    String line = Json.MAPPER.writeValueAsString(value);
    T back = Json.MAPPER.readValue(line, type);
    assertEquals(value, back, line);
    return back;
  }

  private FakeProc fake() throws Exception {
    InspectorTest t = new InspectorTest();
    t.tmp = tmp;
    return t.fake();
  }

  @Test
  void inspectResultsAndMountTablesComeBackEqual() throws Exception {
    FakeProc p = fake();
    Inspector i = new Inspector(p.fs, InspectorTest.fixtureNetns());
    InspectResult r = roundTrip(i.inspect("c1", 50), InspectResult.class);
    assertFalse(r.processes().isEmpty());
    assertNotNull(r.network().interfaces().get(0).rxBytes(), "counters from net/dev");
    roundTrip(i.inspect("host", 1), InspectResult.class);
    roundTrip(InspectResult.gone("c1", 50), InspectResult.class);

    Path upper = Files.createDirectories(tmp.resolve("up/etc"));
    Files.writeString(upper.resolve("hostname"), "c1\n");
    Files.createDirectories(tmp.resolve("lo/etc"));
    List<org.glasshouse.protocol.inspect.UpperDirEntry> listing =
        UpperDirScanner.scan(tmp.resolve("up"), tmp.resolve("lo"), 100).entries();
    roundTrip(i.inspect("c1", 50).withUpperDir(listing), InspectResult.class);
    roundTrip(
        new org.glasshouse.protocol.inspect.UpperEvent(
            50,
            listing.size(),
            false,
            new org.glasshouse.protocol.inspect.UpperEvent.Layers(
                List.of("/lo"), "/up", "/work", "/merged"),
            new org.glasshouse.protocol.inspect.UpperEvent.Diff(
                "none", listing, List.of(), List.of())),
        org.glasshouse.protocol.inspect.UpperEvent.class);

    MountsResult m = roundTrip(i.mounts("c1", 50, "host", Map.of()), MountsResult.class);
    assertEquals(2, m.diff().added().size());
    roundTrip(i.mounts("host", 1, null, Map.of("c1", 50L)), MountsResult.class);
    roundTrip(m.entries().get(0).withStep(9), MountsResult.Mount.class);
  }

  @Test
  void cgroupStatsOfEveryVersionComeBackEqual() throws Exception {
    CgroupStatsTest t = new CgroupStatsTest();
    t.tmp = tmp;
    t.v1();
    Map<String, Path> v1Dirs =
        Map.of(
            "cpu", tmp.resolve("cpu"),
            "cpuacct", tmp.resolve("cpuacct"),
            "memory", tmp.resolve("memory"),
            "pids", tmp.resolve("pids"));
    CgroupStats v1 = CgroupReader.read(new CgroupLocation(v1Dirs, null, null), false);
    assertEquals("v1", v1.version());
    assertNotNull(v1.memory().limitBytes());
    roundTrip(v1, CgroupStats.class);
    Path unified = tmp.resolve("unified");
    Fixtures.copyDir("v2", unified, CgroupStatsTest.V2);
    CgroupStats v2 =
        CgroupReader.read(new CgroupLocation(Map.of(), unified, "/glasshouse/x"), false);
    assertEquals("v2", v2.version());
    roundTrip(v2, CgroupStats.class);
    CgroupStats hybrid =
        CgroupReader.read(new CgroupLocation(v1Dirs, unified, "/glasshouse/x"), false);
    assertEquals("hybrid", hybrid.version());
    assertFalse(hybrid.pressure().isEmpty());
    roundTrip(hybrid, CgroupStats.class);
    roundTrip(
        new TelemetrySample(1795932022502L, 4242, false, 1000L, 49.87, hybrid),
        TelemetrySample.class);
  }

  @Test
  void eventLinesAndStatsReadIntoTheirRecordsAndWriteBackTheSame() throws Exception {
    FakeProc p = fake();
    List<Container> cs =
        List.of(
            new InspectionServiceTest.FakeContainer("aaaaaaaaaaaa", 50, Container.State.RUNNING));
    try (InspectionService s =
        new InspectionService(
            InspectionServiceTest.runtime(cs), new Inspector(p.fs, InspectorTest.fixtureNetns()))) {
      sameAfterReading(s.stats(null), StatsResult.class);
      sameAfterReading(body(s.telemetryTick(null).get(0)), TelemetryEvent.class);
      sameAfterReading(body(s.mountsTick(null).get(0)), MountsEvent.class);
      sameAfterReading(body(s.namespacesTick(null).get(0)), NamespacesEvent.class);

      // A namespace link that became unreadable: "after" is an explicit null on the wire.
      Files.delete(p.proc.resolve("50/ns/uts"));
      ObjectNode moved = s.namespacesTick(null).get(0);
      assertTrue(moved.at("/diff/changed/0/after").isNull(), moved.toString());
      NamespacesEvent e = sameAfterReading(body(moved), NamespacesEvent.class);
      assertEquals(new NamespacesEvent.Change(50, "uts", 201L, null), e.diff().changed().get(0));
    }
  }

  /** An event line without its envelope ({@code event}, {@code container}): the record's part. */
  private static ObjectNode body(ObjectNode event) {
    ObjectNode b = event.deepCopy();
    b.remove("event");
    b.remove("container");
    return b;
  }

  private static <T> T sameAfterReading(JsonNode wire, Class<T> type) throws Exception {
    T read = Json.MAPPER.treeToValue(wire, type);
    // Compared as text: the same fields, in the same order, with the same values.
    assertEquals(Json.write(wire), Json.MAPPER.writeValueAsString(read), type.getSimpleName());
    return read;
  }
}
