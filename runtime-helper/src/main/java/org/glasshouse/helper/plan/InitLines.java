package org.glasshouse.helper.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.glasshouse.protocol.JsonLines;

/**
 * The framing of the init channel, for both of its ends: one {@link InitMessage} per line, framed
 * and bounded as the protocol's {@link JsonLines} (at most {@link JsonLines#MAX_LINE_BYTES} a
 * line), so neither side can make the other buffer an endless line.
 */
public final class InitLines {

  private InitLines() {}

  /**
   * One message as the bytes of one line, newline included.
   *
   * @throws IOException when it is longer than the line limit (nothing is sent)
   */
  public static byte[] encode(ObjectMapper json, InitMessage m) throws IOException {
    try {
      return JsonLines.frame(json.writeValueAsBytes(m));
    } catch (IllegalArgumentException e) {
      throw new IOException("init channel: " + m.type() + " " + e.getMessage(), e);
    }
  }

  /**
   * The next message, or null at the end of the stream.
   *
   * @throws IOException on a line over the limit, not UTF-8, or not a message
   */
  public static InitMessage read(JsonLines.LineReader in, ObjectMapper json) throws IOException {
    JsonLines.Line line = in.next();
    if (line instanceof JsonLines.Line.Text t) {
      return json.readValue(t.text(), InitMessage.class);
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
