package org.glasshouse.helper.plan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the init channel, written and read by hand: the init JVM must not load Jackson, whose
 * class loading and first (de)serialization cost an init 170-460 ms of CPU (issue 16), for seven
 * small record types. Reading gives plain values — {@code Map<String, Object>} (insertion order,
 * the last of duplicate keys), {@code List<Object>}, {@code String}, {@code Long} (a number without
 * fraction or exponent), {@code Double}, {@code Boolean} or null — and {@link InitCodec} binds them
 * to the records. Total: any input gives a value or an {@link IOException} naming what was wrong
 * and where; nesting deeper than {@link #MAX_DEPTH} is refused before the stack could overflow.
 */
final class JsonText {

  /** The deepest nesting read: a message holds a plan, a spec, its limits (4 levels). */
  static final int MAX_DEPTH = 16;

  private final String s;
  private int i;

  private JsonText(String s) {
    this.s = s;
  }

  /**
   * The one value in {@code text} (whitespace around it allowed, nothing else).
   *
   * @throws IOException on anything that is not exactly one JSON value
   */
  static Object parse(String text) throws IOException {
    JsonText p = new JsonText(text);
    Object v = p.value(0);
    p.skipSpace();
    if (p.i != text.length()) {
      throw p.error("text after the value");
    }
    return v;
  }

  private IOException error(String what) {
    return new IOException("not JSON: " + what + " at offset " + i);
  }

  private void skipSpace() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  private Object value(int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    skipSpace();
    if (i == s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(i);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected '" + c + "'");
      }
    };
  }

  private Object literal(String word, Object v) throws IOException {
    if (!s.startsWith(word, i)) {
      throw error("not a value");
    }
    i += word.length();
    return v;
  }

  private Map<String, Object> object(int depth) throws IOException {
    i++;
    Map<String, Object> m = new LinkedHashMap<>();
    skipSpace();
    if (i < s.length() && s.charAt(i) == '}') {
      i++;
      return m;
    }
    while (true) {
      skipSpace();
      if (i == s.length() || s.charAt(i) != '"') {
        throw error(i == s.length() ? "unexpected end" : "expected a name in quotes");
      }
      String key = string();
      skipSpace();
      expect(':');
      m.put(key, value(depth + 1));
      skipSpace();
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
        continue;
      }
      expect('}');
      return m;
    }
  }

  private List<Object> array(int depth) throws IOException {
    i++;
    List<Object> a = new ArrayList<>();
    skipSpace();
    if (i < s.length() && s.charAt(i) == ']') {
      i++;
      return a;
    }
    while (true) {
      a.add(value(depth + 1));
      skipSpace();
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
        continue;
      }
      expect(']');
      return a;
    }
  }

  private void expect(char c) throws IOException {
    if (i == s.length()) {
      throw error("unexpected end, expected '" + c + "'");
    }
    if (s.charAt(i) != c) {
      throw error("expected '" + c + "', got '" + s.charAt(i) + "'");
    }
    i++;
  }

  private String string() throws IOException {
    i++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (i >= s.length()) {
        throw error("unexpected end in a string");
      }
      char c = s.charAt(i++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw error("a control character in a string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (i >= s.length()) {
        throw error("unexpected end in a string");
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (i + 4 > s.length()) {
            throw error("unexpected end in a \\u escape");
          }
          int code = 0;
          for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0) {
              throw error("a \\u escape that is not hexadecimal");
            }
            code = code * 16 + d;
          }
          i += 4;
          b.append((char) code);
        }
        default -> {
          i--;
          throw error("an unknown escape '\\" + e + "'");
        }
      }
    }
  }

  private Object number() throws IOException {
    int start = i;
    boolean integral = true;
    if (s.charAt(i) == '-') {
      i++;
    }
    int digits = digits();
    if (digits == 0) {
      throw error("a number without digits");
    }
    if (digits > 1 && s.charAt(i - digits) == '0') {
      throw error("a number with a leading zero");
    }
    if (i < s.length() && s.charAt(i) == '.') {
      integral = false;
      i++;
      if (digits() == 0) {
        throw error("a number without digits after '.'");
      }
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      integral = false;
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      if (digits() == 0) {
        throw error("a number without digits in its exponent");
      }
    }
    String text = s.substring(start, i);
    if (!integral) {
      return Double.parseDouble(text);
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      i = start;
      throw error("the integer " + abbreviate(text) + " is out of range");
    }
  }

  private int digits() {
    int n = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      n++;
    }
    return n;
  }

  /** At most 32 characters of {@code text}, for an error message. */
  static String abbreviate(String text) {
    return text.length() <= 32 ? text : text.substring(0, 29) + "...";
  }

  private static final String HEX = "0123456789abcdef";

  /** Appends {@code v} as a JSON string (quotes and escapes). */
  static void quote(StringBuilder b, String v) {
    b.append('"');
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 15));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
