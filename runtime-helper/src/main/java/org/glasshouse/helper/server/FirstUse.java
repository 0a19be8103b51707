package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.ProtocolException;
import org.glasshouse.protocol.Request;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * A {@code run} request's way through the protocol, once, at the helper's start and thrown away
 * (issue 16): the line parsed, its spec bound to a {@link RunSpec} and checked, a step event, the
 * reply and the exit event written. The first request otherwise paid for it: Jackson's tree and its
 * binding of the spec and the step entries (~600 classes loaded, their introspection run) were most
 * of the ~0.4-0.55 s the first start of level 00 spent before its first step here.
 */
public final class FirstUse {
  private FirstUse() {}

  /** The request of a start of {@code /bin/true} at level 13, as a client sends it. */
  static final String RUN =
      "{\"id\":1,\"op\":\"run\",\"attach\":true,\"spec\":{\"image\":\"busybox\",\"level\":13,"
          + "\"rm\":true,\"argv\":[\"/bin/true\"],\"env\":{\"PATH\":\"/bin\"}}}";

  /**
   * Parses {@link #RUN}, binds and checks its spec, writes the messages a start sends.
   *
   * @return the bytes written (for a caller that wants to see something came of it)
   */
  public static int protocol() throws ProtocolException {
    Request req = Request.parse(RUN);
    RunSpec spec = Validation.spec(req.id(), req.typed("spec", RunSpec.class), false);
    StepEntry entry =
        StepEntry.builder()
            .seq(1)
            .step("container")
            .stage("helper")
            .call("mkdir")
            .args("\"/dry-run\", 0700")
            .ok(true)
            .result("0")
            .durationNanos(1)
            .build();
    String id = "000000000000";
    int n = JsonLines.encode(Messages.step(id, entry)).length;
    n += JsonLines.encode(Messages.started(id, 1)).length;
    ObjectNode result = JsonText.object().put("container", id).put("pid", 1);
    n += JsonLines.encode(Messages.ok(req.id(), result)).length;
    n += JsonLines.encode(Messages.exited(id, 0, null, false, 1)).length;
    n += JsonLines.encode(Messages.removed(id)).length;
    return spec.argv().isEmpty() ? 0 : n;
  }
}
