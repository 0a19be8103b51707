package org.glasshouse.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.techsenger.jeditermfx.core.util.TermSize;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.glasshouse.app.core.FakeLabService;
import org.junit.jupiter.api.Test;

class HelperTtyConnectorTest {
  private final FakeLabService lab = new FakeLabService();
  private final HelperTtyConnector tty = new HelperTtyConnector(lab, "c1");

  private String readAll() {
    StringBuilder sb = new StringBuilder();
    char[] buf = new char[4];
    while (tty.ready()) {
      int n = tty.read(buf, 0, buf.length);
      sb.append(buf, 0, n);
    }
    return sb.toString();
  }

  @Test
  void aUtf8CharacterSplitAcrossEventsArrivesWhole() {
    byte[] b = "grüße ✓".getBytes(StandardCharsets.UTF_8);
    tty.feed(Arrays.copyOfRange(b, 0, 3));
    tty.feed(Arrays.copyOfRange(b, 3, b.length - 1));
    tty.feed(Arrays.copyOfRange(b, b.length - 1, b.length));
    assertEquals("grüße ✓", readAll());
  }

  @Test
  void keystrokesAndSizeGoToTheHelper() {
    tty.write("ls\r");
    tty.resize(new TermSize(120, 40));
    assertEquals(java.util.List.of("stdin c1 ls\r", "resize c1 120x40"), lab.requests);
  }

  @Test
  void aHiddenTerminalParksItsOutputAndReplaysTheTail() {
    tty.setActive(false);
    tty.feed("before ".getBytes(StandardCharsets.UTF_8));
    assertTrue(!tty.ready(), "a hidden terminal does not emulate");
    tty.feed(new byte[600 * 1024]);
    tty.feed("after".getBytes(StandardCharsets.UTF_8));
    tty.setActive(true);
    String shown = readAll();
    assertTrue(shown.startsWith("\r\n[glasshouse: "), shown.substring(0, 40));
    assertTrue(shown.contains("7 B of output skipped to keep up]"), "\"before \" was dropped");
    assertTrue(shown.endsWith("after"));
    assertTrue(!shown.contains("before"), "only the tail is kept");
  }

  @Test
  void sevenBytesSkippedAreSaidInBytesNotAsZeroKib() {
    tty.setActive(false);
    tty.feed("dropped".getBytes(StandardCharsets.UTF_8));
    tty.feed(new byte[64 * 1024]);
    tty.setActive(true);
    String shown = readAll();
    assertTrue(
        shown.startsWith("\r\n[glasshouse: 7 B of output skipped to keep up]\r\n"),
        shown.substring(0, 60));
  }

  @Test
  void closeEndsTheReader() {
    tty.close();
    assertEquals(-1, tty.read(new char[8], 0, 8));
    assertTrue(!tty.isConnected());
  }
}
