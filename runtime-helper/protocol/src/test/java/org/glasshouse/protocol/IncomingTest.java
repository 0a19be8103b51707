package org.glasshouse.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IncomingTest {

  @Test
  void okReplyRoundTrips() throws ProtocolException {
    Incoming in =
        Incoming.parse(Json.write(Messages.ok(TextNode.valueOf("x"), Json.object().put("pid", 5))));
    Incoming.Reply r = assertInstanceOf(Incoming.Reply.class, in);
    assertTrue(r.ok());
    assertEquals(TextNode.valueOf("x"), r.id());
    assertEquals(5, r.result().get("pid").asInt());
  }

  @Test
  void errorReplyCarriesCodeMessageAndStep() throws ProtocolException {
    StepEntry step =
        StepEntry.builder()
            .seq(3)
            .step("pivot-root")
            .stage("init")
            .call("pivot_root")
            .args("\".\", \".oldroot\"")
            .ok(false)
            .errno("EBUSY")
            .message("Device or resource busy")
            .explanation("the new root is not a mount point")
            .durationNanos(1200)
            .build();
    String line =
        Json.write(Messages.error(IntNode.valueOf(2), ErrorCode.STEP_FAILED, "start failed", step));
    assertTrue(line.contains("\"code\":\"step_failed\""), line);
    Incoming.Reply r = assertInstanceOf(Incoming.Reply.class, Incoming.parse(line));
    assertFalse(r.ok());
    assertEquals(ErrorCode.STEP_FAILED, r.error().code());
    assertEquals("start failed", r.error().message());
    assertEquals(step, r.error().step());
  }

  @Test
  void errorWithoutIdHasJsonNullId() throws ProtocolException {
    String line = Json.write(Messages.error(null, ErrorCode.MALFORMED_JSON, "bad", null));
    assertTrue(line.startsWith("{\"id\":null,\"ok\":false"), line);
  }

  @Test
  void eventsRoundTrip() throws ProtocolException {
    Incoming.Event e =
        assertInstanceOf(
            Incoming.Event.class,
            Incoming.parse(Json.write(Messages.exited("0123456789ab", null, 9, true, 12))));
    assertEquals(Optional.of(EventType.EXITED), e.eventType());
    assertEquals("0123456789ab", e.container());
    assertTrue(e.body().get("code").isNull());
    assertEquals(9, e.body().get("signal").asInt());
    assertTrue(e.body().get("oomKilled").asBoolean());

    byte[] data = {1, 2, 3};
    Incoming.Event out =
        (Incoming.Event) Incoming.parse(Json.write(Messages.output("c", "pty", data, 1, 2)));
    assertArrayEquals(new byte[] {2, 3}, Messages.decode(out.body().get("data").asText()));
  }

  @Test
  void garbageFromTheHelperIsMalformed() {
    assertEquals(
        ErrorCode.MALFORMED_JSON,
        assertThrows(ProtocolException.class, () -> Incoming.parse("{\"id\":1}")).code());
    assertEquals(
        ErrorCode.MALFORMED_JSON,
        assertThrows(ProtocolException.class, () -> Incoming.parse("nope")).code());
  }

  @Test
  void enumsAreClosedAndNamedLikeTheContract() {
    assertEquals(11, ErrorCode.values().length);
    assertEquals(Optional.of(ErrorCode.LINE_TOO_LONG), ErrorCode.fromWireName("line_too_long"));
    assertEquals(Optional.of(ErrorCode.LIMIT), ErrorCode.fromWireName("limit"));
    assertEquals(Optional.empty(), Op.fromWireName("HELLO"));
    assertEquals(Optional.of(Op.UNSUBSCRIBE), Op.fromWireName("unsubscribe"));
  }
}
