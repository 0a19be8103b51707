package org.glasshouse.helper.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.glasshouse.protocol.JsonLines;

/**
 * The framing of the init channel, for both of its ends: one {@link InitMessage} per line, written
 * and read by {@link InitCodec} (no Jackson: the init JVM must not load it), framed and bounded as
 * the protocol's {@link JsonLines} (at most {@link JsonLines#MAX_LINE_BYTES} a line), so neither
 * side can make the other buffer an endless line.
 */
public final class InitLines {

  private InitLines() {}

  /**
   * One message as the bytes of one line, newline included.
   *
   * @throws IOException when it is longer than the line limit or holds a number JSON cannot
   *     (nothing is sent)
   */
  public static byte[] encode(InitMessage m) throws IOException {
    try {
      return JsonLines.frame(InitCodec.encode(m).getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException("init channel: " + m.type() + " " + e.getMessage(), e);
    }
  }

  /**
   * The next message, or null at the end of the stream (a partial last line is dropped).
   *
   * @throws IOException on a line over the limit, not UTF-8, or not a message
   */
  public static InitMessage read(JsonLines.LineReader in) throws IOException {
    JsonLines.Line line = in.next();
    if (line instanceof JsonLines.Line.Text t) {
      return InitCodec.decode(t.text());
    }
    if (line instanceof JsonLines.Line.Eof) {
      return null;
    }
    if (line instanceof JsonLines.Line.TooLong) {
      throw new IOException(
          "init channel: a line longer than " + JsonLines.MAX_LINE_BYTES + " bytes");
    }
    throw new IOException("init channel: a line that is not UTF-8");
  }
}
