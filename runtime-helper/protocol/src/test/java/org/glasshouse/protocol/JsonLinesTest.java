package org.glasshouse.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JsonLinesTest {

  private static JsonLines.LineReader reader(byte[] bytes, int max) {
    return new JsonLines.LineReader(Channels.newChannel(new ByteArrayInputStream(bytes)), max);
  }

  @Test
  void encodedMessageReadsBackIdentical() throws IOException {
    ObjectNode msg = Json.object().put("id", 7).put("op", "hello").put("text", "é ✓ \n inside");
    byte[] line = JsonLines.encode(msg);
    assertEquals('\n', line[line.length - 1]);
    JsonLines.Line read = reader(line, 1024).next();
    assertEquals(msg, Json.MAPPER.readTree(((JsonLines.Line.Text) read).text()));
  }

  @Test
  void splitsLinesDropsCarriageReturnAndReportsEof() throws IOException {
    JsonLines.LineReader r = reader("a\r\nb\n\npartial".getBytes(StandardCharsets.UTF_8), 16);
    assertEquals(new JsonLines.Line.Text("a"), r.next());
    assertEquals(new JsonLines.Line.Text("b"), r.next());
    assertEquals(new JsonLines.Line.Text(""), r.next());
    assertInstanceOf(JsonLines.Line.Eof.class, r.next());
    assertInstanceOf(JsonLines.Line.Eof.class, r.next());
  }

  @Test
  void lineExactlyAtTheLimitIsAcceptedOneMoreByteIsTooLong() throws IOException {
    assertEquals(new JsonLines.Line.Text("12345678"), reader("12345678\n".getBytes(), 8).next());
    assertInstanceOf(JsonLines.Line.TooLong.class, reader("123456789\n".getBytes(), 8).next());
  }

  @Test
  void tooLongLineIsDetectedWithoutReadingTheRestOfIt() throws IOException {
    // An endless stream of 'x': the reader must give up after the limit, not buffer it all.
    AtomicLong served = new AtomicLong();
    ReadableByteChannel endless =
        new ReadableByteChannel() {
          @Override
          public int read(ByteBuffer dst) {
            int n = dst.remaining();
            for (int i = 0; i < n; i++) {
              dst.put((byte) 'x');
            }
            served.addAndGet(n);
            return n;
          }

          @Override
          public boolean isOpen() {
            return true;
          }

          @Override
          public void close() {}
        };
    JsonLines.Line line = new JsonLines.LineReader(endless).next();
    assertInstanceOf(JsonLines.Line.TooLong.class, line);
    assertTrue(
        served.get() <= JsonLines.MAX_LINE_BYTES + 64 * 1024,
        "read " + served.get() + " bytes to detect an over-long line");
  }

  @Test
  void invalidUtf8IsReportedAndTheNextLineStillReads() throws IOException {
    byte[] bytes = {(byte) 0xc3, (byte) 0x28, '\n', 'o', 'k', '\n'};
    JsonLines.LineReader r = reader(bytes, 16);
    assertInstanceOf(JsonLines.Line.NotUtf8.class, r.next());
    assertEquals(new JsonLines.Line.Text("ok"), r.next());
  }

  @Test
  void encodeRefusesAMessageOverTheLimit() {
    ObjectNode big = Json.object().put("data", "x".repeat(JsonLines.MAX_LINE_BYTES));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JsonLines.encode(big));
    assertTrue(e.getMessage().contains("line limit"), e.getMessage());
  }

  @Test
  void binaryDataSurvivesBase64() throws IOException {
    byte[] data = new byte[256];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    byte[] line = JsonLines.encode(Messages.output("0123456789ab", "stdout", data, 0, data.length));
    InputStream in = new ByteArrayInputStream(line);
    String text =
        ((JsonLines.Line.Text) new JsonLines.LineReader(Channels.newChannel(in)).next()).text();
    assertArrayEquals(data, Messages.decode(Json.MAPPER.readTree(text).get("data").asText()));
  }
}
