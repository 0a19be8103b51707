package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.glasshouse.protocol.inspect.InspectResult;
import org.junit.jupiter.api.Test;

class WireMapperTest {
  private final WireMapper mapper = new WireMapper();
  private final ObjectMapper json = mapper.json();

  @Test
  void pid1IsTheProcessWhoseInnermostPidIsOne() throws Exception {
    InspectResult i =
        mapper.inspect(
            json.readTree(
                "{\"processes\":[{\"nsPids\":[900,7],\"cmdline\":[\"sleep\",\"9\"]},"
                    + "{\"nsPids\":[800,1],\"cmdline\":[\"/bin/sh\"]}]}"));
    assertEquals("/bin/sh", Inspections.pid1Command(i));
  }

  @Test
  void pid1sLocksAreReadWithTheirFilterCount() throws Exception {
    InspectResult i =
        mapper.inspect(
            json.readTree(
                "{\"processes\":[{\"nsPids\":[900,7],\"noNewPrivs\":false,"
                    + "\"seccompMode\":\"disabled\"},{\"nsPids\":[800,1],\"noNewPrivs\":true,"
                    + "\"seccomp\":2,\"seccompMode\":\"filter\",\"seccompFilters\":1}]}"));
    assertEquals(Integer.valueOf(1), Inspections.pid1(i).orElseThrow().seccompFilters());
    assertEquals(true, Inspections.pid1(i).orElseThrow().noNewPrivs());
    assertNull(i.processes().get(0).seccompFilters(), "absent before Linux 5.9");
  }

  @Test
  void withoutAPidNamespaceOfItsOwnThereIsNoPid1Inside() throws Exception {
    InspectResult i =
        mapper.inspect(
            json.readTree("{\"processes\":[{\"nsPids\":[800],\"cmdline\":[\"/bin/sh\"]}]}"));
    assertNull(Inspections.pid1Command(i), "at levels 00-05 PID 1 inside is the host's");
  }

  @Test
  void aNewerHelpersFieldsAreIgnoredAndAnUnreadableEventIsDropped() throws Exception {
    LabEvent.Step step =
        (LabEvent.Step)
            mapper.event(
                json.readTree(
                    "{\"event\":\"step\",\"container\":\"c\",\"entry\":{\"seq\":1,"
                        + "\"call\":\"unshare\",\"ok\":true,\"durationNanos\":5,\"cpu\":3}}"));
    assertEquals("unshare", step.entry().call());
    LabEvent.Mounts m =
        (LabEvent.Mounts)
            mapper.event(
                json.readTree(
                    "{\"event\":\"mounts\",\"container\":\"c\",\"pid\":9,\"count\":1,"
                        + "\"diff\":{\"against\":\"none\",\"added\":[{\"id\":1,\"parentId\":1,"
                        + "\"mountPoint\":\"/\",\"overmounted\":false,\"idmap\":\"x\"}],"
                        + "\"removed\":[],\"changed\":[]}}"));
    assertEquals("/", m.mounts().diff().added().get(0).mountPoint());
    assertNull(
        mapper.event(json.readTree("{\"event\":\"mounts\",\"container\":\"c\",\"pid\":[]}")));
    assertNull(mapper.event(json.readTree("{\"event\":\"hologram\",\"container\":\"c\"}")));
  }
}
