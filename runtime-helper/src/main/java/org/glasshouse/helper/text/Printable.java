package org.glasshouse.helper.text;

/**
 * Makes a string safe to print on a terminal or into a one-line log: every control character is
 * shown as an escape instead of being sent. A container chooses its process names, file names and
 * mount paths; printed raw, an escape sequence in one would drive the user's terminal (retitle it,
 * hide lines, fake a prompt) and a newline would forge a line of the helper's log.
 *
 * <p>Escaped: C0 controls and DEL ({@code \n}, {@code \r}, {@code \t}, {@code \e}, else {@code
 * \xHH}), C1 controls, the Unicode line and paragraph separators and the bidirectional controls
 * that reorder what a reader sees (as {@code \u202E}), and the backslash itself ({@code \\}), so
 * the escaped form is never ambiguous. Everything else, including non-ASCII letters, is kept.
 */
public final class Printable {

  private Printable() {}

  /** The string with every control character escaped; null stays null. */
  public static String escape(String s) {
    if (s == null) {
      return null;
    }
    int i = 0;
    while (i < s.length() && !needsEscape(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!needsEscape(c)) {
        b.append(c);
        continue;
      }
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case 0x1b -> b.append("\\e");
        default -> {
          if (c < 0x80) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(String.format("\\u%04X", (int) c));
          }
        }
      }
    }
    return b.toString();
  }

  /** Whether {@code c} is shown escaped. */
  static boolean needsEscape(char c) {
    return c < 0x20
        || c == 0x7f
        || c == '\\'
        || (c >= 0x80 && c <= 0x9f)
        || c == 0x061c
        || c == 0x200e
        || c == 0x200f
        || (c >= 0x2028 && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }
}
