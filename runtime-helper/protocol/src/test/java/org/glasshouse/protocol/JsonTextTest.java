package org.glasshouse.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonText} against the mapper it stands in for ({@link Json#MAPPER}): the same text for the
 * same tree, and for any line, the same tree or a refusal from both.
 */
class JsonTextTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** What the mapper's readTree gives, or null when it refuses or finds no value. */
  private static JsonNode jackson(String text) {
    try {
      JsonNode n = Json.MAPPER.readTree(text);
      return n == null || n.isMissingNode() ? null : n;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static JsonNode hand(String text) {
    try {
      return JsonText.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Both refuse, or both give equal trees of the same node classes. */
  private static void sameParse(String text) {
    JsonNode j = jackson(text);
    JsonNode h = hand(text);
    if (j == null || h == null) {
      assertEquals(j == null, h == null, () -> "accepted by one only: " + show(text));
      return;
    }
    sameTree(j, h, text);
  }

  private static void sameTree(JsonNode j, JsonNode h, String text) {
    assertEquals(j.getClass(), h.getClass(), () -> "node class for " + show(text));
    assertEquals(j, h, () -> show(text));
    if (j.isContainerNode()) {
      assertEquals(j.size(), h.size());
      if (j.isObject()) {
        List<String> jn = new ArrayList<>();
        List<String> hn = new ArrayList<>();
        j.fieldNames().forEachRemaining(jn::add);
        h.fieldNames().forEachRemaining(hn::add);
        assertEquals(jn, hn, () -> "field order for " + show(text));
        jn.forEach(n -> sameTree(j.get(n), h.get(n), text));
      } else {
        for (int i = 0; i < j.size(); i++) {
          sameTree(j.get(i), h.get(i), text);
        }
      }
    }
  }

  private static String show(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  @Test
  void writesWhatTheMapperWrites() {
    ObjectNode o = JsonText.object();
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < 0x300; c++) {
      every.append(c);
    }
    o.put("all", every.toString())
        .put("emoji", "ok \uD83D\uDE00 \u2713 \u00e9")
        .put("lone", "a\uD800b")
        .put("int", -42)
        .put("long", 1L << 40)
        .put("double", 0.1)
        .put("big double", 1e300)
        .put("small", 1.5e-7)
        .put("float", 2.5f)
        .put("decimal", new BigDecimal("12.50"))
        .put("bigint", new BigInteger("123456789012345678901234567890"))
        .put("bytes", new byte[] {0, 1, 2, (byte) 255})
        .put("t", true)
        .put("f", false)
        .putNull("null")
        .put("short", (short) 7);
    o.putArray("empty");
    o.putObject("nested").putArray("a").add(1).add("two").addNull().addObject().put("\"", "\\");
    o.put("", "empty name");
    assertEquals(Json.write(o), JsonText.write(o));
  }

  @Test
  void nonFiniteDoublesGoToTheMapper() {
    ObjectNode o = JsonText.object().put("nan", Double.NaN).put("inf", Double.NEGATIVE_INFINITY);
    assertEquals(Json.write(o), JsonText.write(o));
  }

  @Test
  void randomTreesWriteAndParseAsTheMapperDoes() {
    Random r = new Random(16);
    for (int i = 0; i < 2000; i++) {
      JsonNode t = tree(r, 0);
      String text = Json.write(t);
      assertEquals(text, JsonText.write(t));
      sameParse(text);
      sameTree(jackson(text), JsonText.parse(text), text);
    }
  }

  @Test
  void everyMutationOfAValidLineIsAcceptedOrRefusedAsTheMapperDoes() {
    Random r = new Random(1616);
    String alphabet = "{}[]\":,.-+eE0123456789 \t\n\r\\/ubfnrtxa\u0000\u001f\u00e9\uD83D";
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder(Json.write(tree(r, 0)));
      int edits = 1 + r.nextInt(3);
      for (int e = 0; e < edits && b.length() > 0; e++) {
        int at = r.nextInt(b.length());
        char c = alphabet.charAt(r.nextInt(alphabet.length()));
        switch (r.nextInt(3)) {
          case 0 -> b.deleteCharAt(at);
          case 1 -> b.insert(at, c);
          default -> b.setCharAt(at, c);
        }
      }
      String text = b.toString();
      sameParse(text);
      if (jackson(text) != null) {
        accepted++;
      }
    }
    // The mutations must exercise both sides: many refused, and a fair number still valid.
    assertTrue(accepted > 500 && accepted < 19_500, "accepted " + accepted);
  }

  @Test
  void edgeCasesMatchTheMapper() {
    String[] lines = {
      "",
      " ",
      "{}",
      "[]",
      "{} ",
      " {}\n",
      "{}{}",
      "{} x",
      "[1,]",
      "[,1]",
      "{\"a\":1,}",
      "{,}",
      "{\"a\":1,\"a\":2}",
      "{\"a\":{\"b\":1,\"b\":1}}",
      "{\"a\"}",
      "{\"a\":}",
      "{a:1}",
      "{'a':1}",
      "0",
      "-0",
      "-0.0",
      "01",
      "-01",
      "1.",
      ".5",
      "+1",
      "1e5",
      "1E+5",
      "1e-5",
      "1e",
      "1e+",
      "1.5e3",
      "2147483647",
      "2147483648",
      "-2147483648",
      "-2147483649",
      "9223372036854775807",
      "9223372036854775808",
      "-9223372036854775808",
      "-9223372036854775809",
      "0000000000",
      "1e400",
      "-1e400",
      "1e-400",
      "NaN",
      "Infinity",
      "-Infinity",
      "12x",
      "1.5.2",
      "[1-2]",
      "true",
      "truex",
      "tru",
      "nul",
      "null",
      "nullx",
      "[true,false,null]",
      "[truefalse]",
      "\"\\u00e9\\u2713\"",
      "\"\\u00E9\"",
      "\"\\u00g9\"",
      "\"\\u12\"",
      "\"\\uD800\"",
      "\"\\x\"",
      "\"\\/\"",
      "\"\t\"",
      "\"\u007f\"",
      "\"a",
      "\"",
      "[\"\\\"]",
      "\"\\",
      "[1 2]",
      "{\"a\" 1}",
      "\u00a0{}",
      "\uFEFF{}",
      "{}\u0000",
      "\f{}",
      "[1,\n2]",
      "//x\n{}",
      "/*x*/{}",
      "#x\n{}",
      "[0.1e1]",
      "[00]",
      "[-]",
      "[--1]",
      "[1e01]",
      "[\"a\"\"b\"]",
      "\"\\u0000\""
    };
    for (String line : lines) {
      sameParse(line);
    }
    String digits = "1".repeat(1000);
    sameParse(digits);
    sameParse("1" + digits);
    sameParse("{\"" + "n".repeat(50_000) + "\":1}");
    sameParse("{\"" + "n".repeat(50_001) + "\":1}");
  }

  @Test
  void nestingLimitIsTheMappers() {
    for (int depth : new int[] {999, 1000, 1001}) {
      sameParse("[".repeat(depth) + "]".repeat(depth));
      sameParse("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
    }
  }

  @Test
  void aRefusalSaysWhatAndWhere() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"a\":1,\"a\":2}"));
    assertEquals("duplicate field 'a' at character 12", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"a\":1} x"));
    assertTrue(e.getMessage().startsWith("unexpected text after the JSON value"), e.getMessage());
  }

  @Test
  void aReplyReadsThroughIncomingWithoutTheMapper() throws Exception {
    Incoming in =
        Incoming.parse("{\"id\":2,\"ok\":true,\"result\":{\"containers\":[{\"id\":\"c1\"}]}}");
    if (!(in instanceof Incoming.Reply reply)) {
      fail("not a reply: " + in);
      return;
    }
    assertTrue(reply.ok());
    assertEquals("c1", reply.result().path("containers").get(0).path("id").asText());
    ProtocolException bad =
        assertThrows(ProtocolException.class, () -> Incoming.parse("{\"ok\":true,\"ok\":false}"));
    assertEquals(ErrorCode.MALFORMED_JSON, bad.code());
  }

  /** A random tree: every node kind, strings from every character class that needs care. */
  private static JsonNode tree(Random r, int depth) {
    int kind = depth > 3 ? 2 + r.nextInt(8) : r.nextInt(10);
    switch (kind) {
      case 0 -> {
        ObjectNode o = F.objectNode();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          o.set(string(r) + i, tree(r, depth + 1));
        }
        return o;
      }
      case 1 -> {
        ArrayNode a = F.arrayNode();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          a.add(tree(r, depth + 1));
        }
        return a;
      }
      case 2 -> {
        return F.textNode(string(r));
      }
      case 3 -> {
        return F.numberNode(r.nextInt(2000) - 1000);
      }
      case 4 -> {
        return F.numberNode(r.nextBoolean() ? r.nextLong() : (long) r.nextInt() << 8);
      }
      case 5 -> {
        return F.numberNode(
            r.nextBoolean()
                ? r.nextDouble() * Math.pow(10, r.nextInt(40) - 20)
                : -r.nextGaussian());
      }
      case 6 -> {
        return F.numberNode(new BigInteger(70 + r.nextInt(30), r));
      }
      case 7 -> {
        return F.booleanNode(r.nextBoolean());
      }
      case 8 -> {
        return F.nullNode();
      }
      default -> {
        return F.textNode("");
      }
    }
  }

  private static String string(Random r) {
    String pool = "ab \"\\/\u0000\u0001\u001f\b\f\n\r\t\u007f\u00e9\u2713\uD83D\uDE00";
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      b.append(pool.charAt(r.nextInt(pool.length())));
    }
    return b.toString();
  }
}
