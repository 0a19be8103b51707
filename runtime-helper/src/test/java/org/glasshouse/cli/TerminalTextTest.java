package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The CLI on a terminal that is not UTF-8: its text in ASCII, containers' bytes untouched. */
class TerminalTextTest {

  @Test
  void onlyUtfCharsetsShowUnicode() {
    assertTrue(TerminalText.unicode("UTF-8"));
    assertTrue(TerminalText.unicode("utf8"));
    assertFalse(TerminalText.unicode("ANSI_X3.4-1968"), "the POSIX locale");
    assertFalse(TerminalText.unicode("ISO-8859-1"), "has µ but no arrows");
    assertFalse(TerminalText.unicode("no-such-charset"));
    assertFalse(TerminalText.unicode(null));
  }

  @Test
  void theCliTextIsSpelledInAscii() {
    assertEquals(
        "quota 0.50 cores (50000/100000 us), 4026531836->4026532201, ARGS...",
        TerminalText.ascii("quota 0.50 cores (50000/100000 µs), 4026531836→4026532201, ARGS…"));
    assertEquals("cpu.max <- 50000 100000", TerminalText.ascii("cpu.max ← 50000 100000"));
    assertEquals("|-/proc `-/sys", TerminalText.ascii("├─/proc └─/sys"));
    assertEquals("a ? b ?", TerminalText.ascii("a é b \uD83D\uDE00"), "unknown: one ? each");
    String plain = "nothing to change";
    assertSame(plain, TerminalText.ascii(plain));
  }

  @Test
  void anAsciiTerminalGetsAsciiTextAndTheContainersBytesAsWritten() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream raw = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    PrintStream out = TerminalText.forTerminal(raw, "ANSI_X3.4-1968");
    out.println("used 1.2 µs");
    out.printf("%s → %s%n", "a", "b");
    out.print('…');
    byte[] container = "µ from a container\n".getBytes(StandardCharsets.UTF_8);
    out.write(container, 0, container.length);
    out.flush();
    assertEquals(
        "used 1.2 us\na -> b\n...µ from a container\n", bytes.toString(StandardCharsets.UTF_8));
    assertSame(raw, TerminalText.forTerminal(raw, "UTF-8"), "a UTF-8 terminal: as it was");
  }

  /** The real JVM decides from the locale: LC_ALL=C is ASCII, C.UTF-8 is not. */
  @Test
  void theLocaleDecides() throws Exception {
    // picocli's help goes through the same streams as the commands' own text (Main.through).
    String ascii = help("C");
    assertTrue(ascii.contains("(no such container, ...)") && !ascii.contains("?"), ascii);
    String utf8 = help("C.UTF-8");
    assertTrue(utf8.contains("(no such container, …)"), utf8);
  }

  private static String help(String locale) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.glasshouse.cli.Main",
                "--help"));
    pb.environment().remove("LANG");
    pb.environment().put("LC_ALL", locale);
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return out;
  }
}
