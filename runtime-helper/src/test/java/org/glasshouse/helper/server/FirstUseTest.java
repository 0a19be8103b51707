package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.Request;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Test;

class FirstUseTest {
  @Test
  void theDryRunsRequestIsARealStartOfLevel13() throws Exception {
    Request req = Request.parse(FirstUse.RUN);
    assertEquals(Op.RUN, req.op());
    RunSpec spec = Validation.spec(req.id(), req.typed("spec", RunSpec.class), false);
    assertEquals(13, spec.level());
    assertEquals("busybox", spec.image());
    assertTrue(FirstUse.protocol() > 0, "the messages a start sends were written");
  }
}
