package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class WireMapperTest {
  private final ObjectMapper json = new ObjectMapper();
  private final WireMapper mapper = new WireMapper(json);

  @Test
  void pid1IsTheProcessWhoseInnermostPidIsOne() throws Exception {
    Inspection i =
        mapper.inspection(
            json.readTree(
                "{\"processes\":[{\"nsPids\":[900,7],\"cmdline\":[\"sleep\",\"9\"]},"
                    + "{\"nsPids\":[800,1],\"cmdline\":[\"/bin/sh\"]}]}"));
    assertEquals("/bin/sh", i.pid1Command());
  }

  @Test
  void withoutAPidNamespaceOfItsOwnThereIsNoPid1Inside() throws Exception {
    Inspection i =
        mapper.inspection(
            json.readTree("{\"processes\":[{\"nsPids\":[800],\"cmdline\":[\"/bin/sh\"]}]}"));
    assertNull(i.pid1Command(), "at levels 00-05 PID 1 inside is the host's");
  }

  @Test
  void aTelemetryEventCarriesTheSampleAsNumbers() throws Exception {
    LabEvent e =
        mapper.event(
            json.readTree(
                "{\"event\":\"telemetry\",\"container\":\"c1\",\"sample\":{\"timeMs\":5,"
                    + "\"pid\":7,\"gone\":false,\"intervalMs\":100,\"cpuPercent\":49.5,"
                    + "\"cgroup\":{\"version\":\"v1\",\"memory\":{\"usageBytes\":12582912,"
                    + "\"limitBytes\":33554432,\"oomKills\":1},\"pids\":{\"current\":3},"
                    + "\"pressure\":{\"cpu\":{\"some\":{\"avg10\":1.5,\"avg60\":0.8,"
                    + "\"avg300\":0.2,\"totalUs\":9}}},\"newerField\":1}}}"));
    LabEvent.Telemetry t = (LabEvent.Telemetry) e;
    assertEquals("12.0 MiB", t.usage().get("memory"));
    assertEquals(49.5, t.sample().cpuPercent());
    assertEquals(33554432L, t.sample().cgroup().memory().limitBytes());
    assertEquals(1L, t.sample().cgroup().memory().oomKills());
    assertNull(t.sample().cgroup().memory().swapBytes(), "absent stays absent");
    assertEquals(1.5, t.sample().cgroup().pressure().get("cpu").some().avg10());
  }

  @Test
  void aSampleThatDoesNotParseLeavesTheFormattedUsage() throws Exception {
    LabEvent.Telemetry t =
        (LabEvent.Telemetry)
            mapper.event(
                json.readTree(
                    "{\"event\":\"telemetry\",\"container\":\"c1\",\"sample\":"
                        + "{\"timeMs\":\"soon\",\"cpuPercent\":3}}"));
    assertNull(t.sample());
    assertEquals("3.0 %", t.usage().get("cpu"));
  }
}
