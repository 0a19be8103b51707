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
  void securityIsPid1sNoNewPrivsAndSeccompModeWithItsFilterCount() throws Exception {
    Inspection i =
        mapper.inspection(
            json.readTree(
                "{\"processes\":[{\"nsPids\":[900,7],\"noNewPrivs\":false,"
                    + "\"seccompMode\":\"disabled\"},{\"nsPids\":[800,1],\"noNewPrivs\":true,"
                    + "\"seccomp\":2,\"seccompMode\":\"filter\",\"seccompFilters\":1}]}"));
    assertEquals(
        java.util.Map.of("no_new_privs", "1", "seccomp", "filter (1 filter)"), i.security());
    Inspection host =
        mapper.inspection(
            json.readTree(
                "{\"processes\":[{\"nsPids\":[1],\"noNewPrivs\":false,"
                    + "\"seccompMode\":\"disabled\",\"seccompFilters\":0}]}"));
    assertEquals(java.util.Map.of("no_new_privs", "0", "seccomp", "disabled"), host.security());
    assertEquals(java.util.Map.of(), mapper.inspection(json.readTree("{}")).security());
  }

  @Test
  void withoutAPidNamespaceOfItsOwnThereIsNoPid1Inside() throws Exception {
    Inspection i =
        mapper.inspection(
            json.readTree("{\"processes\":[{\"nsPids\":[800],\"cmdline\":[\"/bin/sh\"]}]}"));
    assertNull(i.pid1Command(), "at levels 00-05 PID 1 inside is the host's");
  }
}
