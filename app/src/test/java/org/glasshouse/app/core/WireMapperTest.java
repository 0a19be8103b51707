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
}
