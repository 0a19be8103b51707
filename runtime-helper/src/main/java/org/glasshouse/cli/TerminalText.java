package org.glasshouse.cli;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;

/**
 * The CLI's own text on a terminal whose charset is not UTF-8 (a POSIX locale, a bare VM console,
 * an ISO-8859 locale): µ, arrows, ellipses and box drawing become ASCII ({@code us}, {@code ->},
 * {@code ...}) instead of the {@code ?} the JVM would print. The terminal's charset is the locale's
 * ({@code native.encoding}), whatever {@code file.encoding} says. Only text is rewritten: a
 * container's output is relayed as the bytes it wrote ({@code write(byte[])}), never touched.
 */
final class TerminalText {

  /** Every non-ASCII character the CLI's own text uses, and its ASCII spelling. */
  static final Map<Character, String> ASCII =
      Map.ofEntries(
          Map.entry('µ', "u"),
          Map.entry('→', "->"),
          Map.entry('←', "<-"),
          Map.entry('…', "..."),
          Map.entry('—', "--"),
          Map.entry('–', "-"),
          Map.entry('─', "-"),
          Map.entry('├', "|"),
          Map.entry('└', "`"),
          Map.entry('│', "|"),
          Map.entry('×', "x"),
          Map.entry('·', "."));

  private TerminalText() {}

  /** Whether a terminal in {@code charsetName} shows UTF-8 text (unknown names: no). */
  static boolean unicode(String charsetName) {
    if (charsetName == null || charsetName.isBlank()) {
      return false;
    }
    try {
      Charset cs = Charset.forName(charsetName);
      return cs.equals(StandardCharsets.UTF_8)
          || cs.name().startsWith("UTF-")
          || cs.name().equals("GB18030");
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return false;
    }
  }

  /** {@code s} in ASCII: the characters above spelled out, any other non-ASCII one as {@code ?}. */
  static String ascii(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (b != null) {
          b.append(c);
        }
        continue;
      }
      if (b == null) {
        b = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      String r = ASCII.get(c);
      if (r != null) {
        b.append(r);
      } else {
        b.append('?');
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          i++;
        }
      }
    }
    return b == null ? s : b.toString();
  }

  /**
   * {@code out} as it should be for a terminal in {@code charsetName}: itself when that shows
   * UTF-8, else a stream that prints text in ASCII and passes bytes through.
   */
  static PrintStream forTerminal(PrintStream out, String charsetName) {
    return unicode(charsetName) ? out : new AsciiPrintStream(out);
  }

  /** The terminal's charset: the locale's, as the JVM found it at start. */
  static String terminalCharset() {
    return System.getProperty("native.encoding", System.getProperty("file.encoding"));
  }

  /**
   * Text through {@link #ascii}, bytes untouched. PrintStream's println, printf and append of a
   * subclass all end in the print methods overridden here.
   */
  private static final class AsciiPrintStream extends PrintStream {
    AsciiPrintStream(PrintStream out) {
      super(out, true, StandardCharsets.US_ASCII);
    }

    @Override
    public void print(String s) {
      super.print(ascii(String.valueOf(s)));
    }

    @Override
    public void print(Object o) {
      print(String.valueOf(o));
    }

    @Override
    public void print(char c) {
      print(String.valueOf(c));
    }

    @Override
    public void print(char[] s) {
      print(new String(s));
    }
  }
}
