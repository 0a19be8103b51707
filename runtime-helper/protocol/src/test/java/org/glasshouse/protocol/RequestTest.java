package org.glasshouse.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTest {

  private static ProtocolException rejected(String line) {
    return assertThrows(ProtocolException.class, () -> Request.parse(line));
  }

  @Test
  void parsesIdOpAndFields() throws ProtocolException {
    Request r = Request.parse("{\"id\":1,\"op\":\"hello\",\"version\":1,\"client\":\"socat\"}");
    assertEquals(IntNode.valueOf(1), r.id());
    assertEquals(Op.HELLO, r.op());
    assertEquals(1, r.integer("version", 1, 1));
    assertEquals("socat", r.string("client"));
    Request s = Request.parse("{\"id\":\"a-1\",\"op\":\"ps\"}");
    assertEquals(TextNode.valueOf("a-1"), s.id());
    assertFalse(s.bool("all", false));
  }

  @Test
  void builtRequestRoundTrips() throws ProtocolException {
    RunSpec spec =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("/bin/sh", "-c", "echo hi"))
            .env(Map.of("A", "1"))
            .workdir("/")
            .tty(true)
            .cols(80)
            .rows(24)
            .features(EnumSet.of(Feature.PIVOT_ROOT, Feature.MOUNT_NS))
            .limits(new Limits(64L << 20, null, 512, 0.5, 20))
            .user("1000:1000")
            .hostname("box")
            .name("web")
            .rm(true)
            .capAdd(List.of("CAP_NET_ADMIN"))
            .build();
    ObjectNode fields = Json.object().put("attach", true);
    fields.set("spec", Json.tree(spec));
    String line = Json.write(Messages.request(IntNode.valueOf(3), Op.RUN, fields));
    assertTrue(line.contains("\"pivot-root\""), line);
    Request r = Request.parse(line);
    assertEquals(Op.RUN, r.op());
    assertEquals(spec, r.typed("spec", RunSpec.class));
    assertTrue(r.bool("attach", false));
  }

  @Test
  void notJsonIsMalformed() {
    ProtocolException e = rejected("{\"id\":1,");
    assertEquals(ErrorCode.MALFORMED_JSON, e.code());
    assertTrue(e.getMessage().startsWith("line is not valid JSON"), e.getMessage());
    assertNull(e.requestId());
    assertEquals(ErrorCode.MALFORMED_JSON, rejected("[1,2]").code());
    assertEquals(ErrorCode.MALFORMED_JSON, rejected("{\"id\":1,\"op\":\"ps\"} {}").code());
    assertEquals(ErrorCode.MALFORMED_JSON, rejected("{\"id\":1,\"id\":2,\"op\":\"ps\"}").code());
  }

  @Test
  void missingOrBadIdAndOpAreNamed() {
    ProtocolException noId = rejected("{\"op\":\"ps\"}");
    assertEquals(ErrorCode.BAD_REQUEST, noId.code());
    assertTrue(noId.getMessage().startsWith("field 'id'"), noId.getMessage());
    assertEquals(ErrorCode.BAD_REQUEST, rejected("{\"id\":1.5,\"op\":\"ps\"}").code());
    assertEquals(ErrorCode.BAD_REQUEST, rejected("{\"id\":{},\"op\":\"ps\"}").code());
    ProtocolException noOp = rejected("{\"id\":4}");
    assertTrue(noOp.getMessage().startsWith("field 'op'"), noOp.getMessage());
    assertEquals(IntNode.valueOf(4), noOp.requestId());
  }

  @Test
  void unknownOpKeepsTheId() {
    ProtocolException e = rejected("{\"id\":9,\"op\":\"format-disk\"}");
    assertEquals(ErrorCode.UNKNOWN_OP, e.code());
    assertEquals(IntNode.valueOf(9), e.requestId());
    assertTrue(e.getMessage().contains("'format-disk'"), e.getMessage());
    assertTrue(e.getMessage().contains("hello"), e.getMessage());
  }

  @Test
  void typedAccessorsNameTheField() throws ProtocolException {
    Request r =
        Request.parse(
            "{\"id\":1,\"op\":\"resize\",\"cols\":\"80\",\"rows\":99999,\"force\":1,"
                + "\"data\":\"!!\",\"argv\":[\"a\",2]}");
    assertEquals("field 'cols' must be an integer", msg(() -> r.integer("cols", 1, 1000)));
    assertEquals(
        "field 'rows' must be between 1 and 1000, got 99999",
        msg(() -> r.integer("rows", 1, 1000)));
    assertEquals("field 'force' must be true or false", msg(() -> r.bool("force", false)));
    assertEquals("field 'container' is required", msg(() -> r.string("container")));
    assertTrue(msg(() -> r.base64("data")).startsWith("field 'data' is not valid base64"));
    assertEquals("field 'argv[1]' must be a string", msg(() -> r.optStrings("argv", 10)));
  }

  @Test
  void specErrorsCarryTheirPath() throws ProtocolException {
    assertEquals(
        "field 'spec.colour' is not a known field",
        specError("{\"argv\":[\"true\"],\"colour\":\"red\"}"));
    assertEquals(
        "field 'spec.limits.pidsMax' has the wrong type or value",
        specError("{\"argv\":[\"true\"],\"limits\":{\"pidsMax\":\"ten\"}}"));
    String feature = specError("{\"argv\":[\"true\"],\"features\":[\"teleport\"]}");
    assertTrue(feature.startsWith("field 'spec.features[0]' unknown feature 'teleport'"), feature);
    assertEquals("field 'spec' must be an object", specError("[1]"));
  }

  @Test
  void base64RoundTrip() throws ProtocolException {
    byte[] data = {0, 1, (byte) 0xff, '\n'};
    ObjectNode f = Json.object().put("container", "0123456789ab");
    f.put("data", Messages.encode(data, 0, data.length));
    Request r = Request.parse(Json.write(Messages.request(IntNode.valueOf(1), Op.STDIN, f)));
    assertArrayEquals(data, r.base64("data"));
  }

  private static String specError(String spec) throws ProtocolException {
    Request r = Request.parse("{\"id\":1,\"op\":\"run\",\"spec\":" + spec + "}");
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> r.typed("spec", RunSpec.class));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    return e.getMessage();
  }

  private interface Call {
    void run() throws ProtocolException;
  }

  private static String msg(Call c) {
    ProtocolException e = assertThrows(ProtocolException.class, c::run);
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    return e.getMessage();
  }
}
