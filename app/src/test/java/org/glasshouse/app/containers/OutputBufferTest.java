package org.glasshouse.app.containers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OutputBufferTest {
  private final OutputBuffer buffer = new OutputBuffer();

  @Test
  void chunksComeBackWholeAndInOrderAndOnlyTheFirstSchedulesAHandOver() {
    assertTrue(buffer.append("c1", bytes("ab")));
    assertFalse(buffer.append("c1", bytes("cd")));
    assertTrue(buffer.append("c2", bytes("x")));
    assertArrayEquals(bytes("abcd"), buffer.take("c1"));
    assertNull(buffer.take("c1"));
    assertTrue(buffer.append("c1", bytes("e")), "a take empties the container's pending bytes");
    assertArrayEquals(bytes("x"), buffer.take("c2"));
  }

  @Test
  void sevenBytesSkippedAreSaidInBytesNotAsZeroKib() {
    buffer.append("c1", bytes("dropped"));
    buffer.append("c1", new byte[OutputBuffer.MAX_PENDING]);
    String text = new String(buffer.take("c1"), StandardCharsets.US_ASCII);
    assertTrue(
        text.startsWith("\r\n[glasshouse: 7 B of output skipped to keep up]\r\n"),
        text.substring(0, 60));
  }

  @Test
  void aFloodKeepsTheTailAfterANoteOfWhatWasSkipped() {
    byte[] chunk = new byte[3000];
    for (int i = 0; i < 200; i++) {
      Arrays.fill(chunk, (byte) ('a' + i % 26));
      buffer.append("c1", chunk.clone());
    }
    byte[] out = buffer.take("c1");
    String text = new String(out, StandardCharsets.US_ASCII);
    String note = "\r\n[glasshouse: 521.9 KiB of output skipped"; // 600000 - 65536 bytes
    assertTrue(text.startsWith(note), text.substring(0, 60));
    int tail = out.length - text.indexOf("]\r\n") - 3;
    assertEquals(OutputBuffer.MAX_PENDING, tail);
    // The last chunk (i = 199 → 'r') ends the output whole; the cap may cut only the oldest one.
    assertTrue(text.endsWith("r".repeat(3000)));
    assertEquals('q', text.charAt(out.length - 3001));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
