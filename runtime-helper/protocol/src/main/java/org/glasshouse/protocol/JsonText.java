package org.glasshouse.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * The protocol's JSON text written and read by hand, into and out of Jackson's tree nodes but
 * without Jackson's {@code ObjectMapper} (issue 16): building the mapper (its configuration, type
 * factory and serializer caches, the locale data) is ~75 ms of a command line's ~400 at load 2 —
 * every {@code glasshouse ps} and {@code run} paid it to write a hello and read two replies. The
 * text is exactly what {@link Json#MAPPER} writes for the same tree, and {@link #parse} accepts
 * exactly what the mapper's {@code readTree} accepts, giving the same tree: strict JSON (RFC 8259),
 * duplicate names refused, nothing after the value, Jackson's default limits (nesting depth 1000,
 * numbers of 1000 digits, names of 50,000 characters); {@code JsonTextTest} holds both directions
 * against the mapper. {@link Json} stays the mapper's door for what needs data binding (records to
 * trees and back, pretty printing).
 */
public final class JsonText {

  /** Jackson's {@code StreamReadConstraints} defaults. */
  static final int MAX_DEPTH = 1000;

  static final int MAX_NUMBER_LENGTH = 1000;
  static final int MAX_NAME_LENGTH = 50_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private JsonText() {}

  /** An empty object node (the mapper's {@code createObjectNode()}, without the mapper). */
  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /** An empty array node. */
  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  /**
   * {@code node} as one line of compact JSON, the text {@link Json#write} gives. A tree holding a
   * node this writer does not know (a POJO node, a missing node) goes to the mapper.
   */
  public static String write(JsonNode node) {
    StringBuilder b = new StringBuilder(128);
    return write(node, b) ? b.toString() : Json.write(node);
  }

  private static boolean write(JsonNode n, StringBuilder b) {
    switch (n.getNodeType()) {
      case OBJECT -> {
        b.append('{');
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!first) {
            b.append(',');
          }
          first = false;
          string(e.getKey(), b);
          b.append(':');
          if (!write(e.getValue(), b)) {
            return false;
          }
        }
        b.append('}');
      }
      case ARRAY -> {
        b.append('[');
        for (int i = 0; i < n.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          if (!write(n.get(i), b)) {
            return false;
          }
        }
        b.append(']');
      }
      case STRING -> string(n.textValue(), b);
      case BOOLEAN -> b.append(n.booleanValue());
      case NULL -> b.append("null");
      case BINARY -> {
        b.append('"');
        try {
          b.append(Base64.getEncoder().encodeToString(n.binaryValue()));
        } catch (java.io.IOException e) {
          return false;
        }
        b.append('"');
      }
      case NUMBER -> {
        if (n.isDouble() || n.isFloat()) {
          double d = n.doubleValue();
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            // Jackson quotes them (QUOTE_NON_NUMERIC_NUMBERS); rare enough to leave to it.
            return false;
          }
          b.append(n.isFloat() ? Float.toString(n.floatValue()) : Double.toString(d));
        } else if (n.isBigDecimal()) {
          b.append(n.decimalValue().toString());
        } else {
          b.append(n.numberValue().toString());
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** A JSON string as Jackson writes it: quote, backslash and controls escaped, the rest as is. */
  /**
   * Appends {@code s} as a JSON string, quoted and escaped exactly as {@link #write} writes it (for
   * writers of one message kind by hand, such as {@link TelemetryText}).
   */
  public static void appendString(String s, StringBuilder b) {
    string(s, b);
  }

  private static void string(String s, StringBuilder b) {
    b.append('"');
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      b.append(s, from, i);
      from = i + 1;
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\f' -> b.append("\\f");
        case '\r' -> b.append("\\r");
        default -> b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    b.append(s, from, s.length()).append('"');
  }

  /**
   * Parses one JSON value, the whole of {@code text}.
   *
   * @throws IllegalArgumentException with what is wrong and where, when the mapper's {@code
   *     readTree} would refuse it (or find no value at all)
   */
  public static JsonNode parse(String text) {
    Parser p = new Parser(text);
    p.space();
    if (p.pos == text.length()) {
      throw p.error("no JSON value");
    }
    JsonNode n = p.value();
    p.space();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the JSON value");
    }
    return n;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at character " + pos);
    }

    void space() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    /**
     * One value and everything nested in it, with a stack of open containers rather than a call per
     * level: 1000 levels of recursion overflow a reader thread's stack before the limit.
     */
    JsonNode value() {
      ArrayDeque<JsonNode> open = new ArrayDeque<>();
      ArrayDeque<String> names = new ArrayDeque<>();
      while (true) {
        JsonNode v;
        char c = peek();
        if (c == '{' || c == '[') {
          if (open.size() + 1 > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
          }
          pos++;
          space();
          boolean object = c == '{';
          v = object ? NODES.objectNode() : NODES.arrayNode();
          if (peek() != (object ? '}' : ']')) {
            open.push(v);
            if (object) {
              names.push(name());
            }
            continue;
          }
          pos++;
        } else {
          v = scalar(c);
        }
        // Attach v to the innermost open container; close each container that ends here.
        while (true) {
          JsonNode parent = open.peek();
          if (parent == null) {
            return v;
          }
          if (parent instanceof ObjectNode o) {
            String name = names.pop();
            if (o.putIfAbsent(name, v) != null) {
              throw error("duplicate field '" + name + "'");
            }
          } else {
            ((ArrayNode) parent).add(v);
          }
          space();
          char next = peek();
          if (next == ',') {
            pos++;
            space();
            if (parent.isObject()) {
              names.push(name());
            }
            break;
          }
          if (next != (parent.isObject() ? '}' : ']')) {
            throw error(parent.isObject() ? "expected ',' or '}'" : "expected ',' or ']'");
          }
          pos++;
          v = open.pop();
        }
      }
    }

    /** A field name and its colon; the value after it is left to read. */
    private String name() {
      if (peek() != '"') {
        throw error("expected a field name");
      }
      String name = string(MAX_NAME_LENGTH);
      space();
      if (peek() != ':') {
        throw error("expected ':'");
      }
      pos++;
      space();
      return name;
    }

    private JsonNode scalar(char c) {
      switch (c) {
        case '"' -> {
          return NODES.textNode(string(Integer.MAX_VALUE));
        }
        case 't' -> {
          word("true");
          return NODES.booleanNode(true);
        }
        case 'f' -> {
          word("false");
          return NODES.booleanNode(false);
        }
        case 'n' -> {
          word("null");
          return NODES.nullNode();
        }
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + printable(c) + "'");
        }
      }
    }

    private char peek() {
      if (pos >= s.length()) {
        throw error("unexpected end of input");
      }
      return s.charAt(pos);
    }

    private void word(String w) {
      if (!s.startsWith(w, pos)) {
        throw error("unexpected character '" + printable(s.charAt(pos)) + "'");
      }
      pos += w.length();
      // Jackson reads a token to its end: "truex" is one bad token, not true then x.
      if (pos < s.length() && Character.isJavaIdentifierPart(s.charAt(pos))) {
        throw error("unrecognized token '" + w + s.charAt(pos) + "…'");
      }
    }

    /** A string from the opening quote at {@code pos}; at most {@code max} characters. */
    private String string(int max) {
      pos++;
      int start = pos;
      // The common case, no escape: one substring.
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '"') {
          String r = s.substring(start, pos++);
          checkLength(r.length(), max);
          return r;
        }
        if (c == '\\') {
          break;
        }
        if (c < 0x20) {
          throw error("unescaped control character " + (int) c + " in a string");
        }
        pos++;
      }
      StringBuilder b = new StringBuilder(s.length() - start).append(s, start, pos);
      while (true) {
        char c = peek();
        pos++;
        if (c == '"') {
          checkLength(b.length(), max);
          return b.toString();
        }
        if (c < 0x20) {
          pos--;
          throw error("unescaped control character " + (int) c + " in a string");
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = peek();
        pos++;
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            int v = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(peek(), 16);
              if (d < 0 || peek() > 'f') {
                throw error("bad \\u escape");
              }
              v = v * 16 + d;
              pos++;
            }
            b.append((char) v);
          }
          default -> {
            pos--;
            throw error("unrecognized escape '\\" + printable(e) + "'");
          }
        }
      }
    }

    private void checkLength(int length, int max) {
      if (length > max) {
        throw error("a name longer than " + max + " characters");
      }
    }

    /** An RFC 8259 number: IntNode, LongNode or BigIntegerNode as it fits, else a DoubleNode. */
    private JsonNode number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      int intStart = pos;
      digits();
      if (pos == intStart) {
        throw error("a number needs a digit after '-'");
      }
      if (s.charAt(intStart) == '0' && pos - intStart > 1) {
        throw error("a number with a leading zero");
      }
      boolean integral = true;
      if (pos < s.length() && s.charAt(pos) == '.') {
        pos++;
        int f = pos;
        digits();
        if (pos == f) {
          throw error("a number needs a digit after '.'");
        }
        integral = false;
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        int x = pos;
        digits();
        if (pos == x) {
          throw error("a number needs a digit in its exponent");
        }
        integral = false;
      }
      // Jackson reads a token to its end: "12x" or "1.5.2" is one bad number.
      if (pos < s.length()) {
        char c = s.charAt(pos);
        if (Character.isJavaIdentifierPart(c) || c == '.' || c == '+' || c == '-') {
          throw error("unexpected character '" + printable(c) + "' in a number");
        }
      }
      String t = s.substring(start, pos);
      if (t.length() > MAX_NUMBER_LENGTH) {
        throw error("a number longer than " + MAX_NUMBER_LENGTH + " characters");
      }
      if (!integral) {
        return NODES.numberNode(Double.parseDouble(t));
      }
      int digits = pos - intStart;
      if (digits <= 9) {
        return NODES.numberNode(Integer.parseInt(t));
      }
      if (digits <= 18) {
        long v = Long.parseLong(t);
        return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
      }
      BigInteger v = new BigInteger(t);
      if (v.bitLength() <= 31) {
        return NODES.numberNode(v.intValue());
      }
      return v.bitLength() <= 63 ? NODES.numberNode(v.longValue()) : NODES.numberNode(v);
    }

    private void digits() {
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
    }

    private static String printable(char c) {
      return c < 0x20 || c == 0x7f ? "\\u" + Integer.toHexString(c) : String.valueOf(c);
    }
  }
}
