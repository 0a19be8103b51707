package org.glasshouse.helper.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {

  @Test
  void plainTextIsKeptAsItIs() {
    String s = "/bin/sh -c 'échelle ☃ 1:2'";
    assertSame(s, Printable.escape(s));
    assertNull(Printable.escape(null));
  }

  @Test
  void controlCharactersAreShownNotSent() {
    assertEquals("a\\nb\\rc\\td", Printable.escape("a\nb\rc\td"));
    assertEquals("\\e]0;title\\x07", Printable.escape("\u001b]0;title\u0007"));
    assertEquals("\\x00\\x7f", Printable.escape("\u0000\u007f"));
    assertEquals("\\u009B31m", Printable.escape("\u009b31m"), "a C1 CSI");
  }

  @Test
  void bidiControlsAndSeparatorsAreEscaped() {
    assertEquals("evil\\u202Etxt.exe", Printable.escape("evil\u202etxt.exe"));
    assertEquals("a\\u2028b\\u2066c", Printable.escape("a\u2028b\u2066c"));
  }

  @Test
  void theBackslashItselfIsEscapedSoNothingIsAmbiguous() {
    assertEquals("a\\\\nb", Printable.escape("a\\nb"), "a backslash and an n");
    assertEquals("a\\nb", Printable.escape("a\nb"), "a newline");
  }
}
