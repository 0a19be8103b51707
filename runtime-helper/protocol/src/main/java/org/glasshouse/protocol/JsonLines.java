package org.glasshouse.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The framing of protocol v1: one UTF-8 JSON object per line, {@code \n} terminated, at most {@link
 * #MAX_LINE_BYTES} bytes per line (not counting the newline).
 *
 * <p>Reading works on a {@link ReadableByteChannel} rather than an {@code InputStream}: on JDK 17
 * the streams of {@code Channels.newInputStream/newOutputStream} over one {@code SocketChannel}
 * share a lock, so a thread blocked reading would block the thread writing replies.
 */
public final class JsonLines {

  /** The longest line either side accepts: 1 MiB. */
  public static final int MAX_LINE_BYTES = 1 << 20;

  private JsonLines() {}

  /**
   * One message as the bytes of one line, newline included.
   *
   * @throws IllegalArgumentException when the message would be longer than {@link #MAX_LINE_BYTES}
   */
  public static byte[] encode(JsonNode message) {
    return frame(JsonText.write(message).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A message already written as UTF-8 JSON (one object, no newline in it), framed as one line: the
   * same limit, the newline appended. The helper's init channel frames its messages here.
   *
   * @throws IllegalArgumentException when the message is longer than {@link #MAX_LINE_BYTES}
   */
  public static byte[] frame(byte[] json) {
    if (json.length > MAX_LINE_BYTES) {
      throw new IllegalArgumentException(
          "message of "
              + json.length
              + " bytes exceeds the "
              + MAX_LINE_BYTES
              + "-byte line limit");
    }
    byte[] line = Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    return line;
  }

  /** What reading one line gave. */
  public sealed interface Line {
    /** A complete line (newline and a trailing {@code \r} removed), valid UTF-8. */
    record Text(String text) implements Line {}

    /** A complete line that is not valid UTF-8; the stream is still in step. */
    record NotUtf8() implements Line {}

    /**
     * The line exceeded the limit. The reader stopped buffering at the limit; the stream is now in
     * the middle of that line, so the connection should be closed.
     */
    record TooLong() implements Line {}

    /** End of stream (a partial last line without newline is dropped). */
    record Eof() implements Line {}
  }

  /**
   * Reads lines from a channel, never buffering more than the limit plus one read buffer. Not
   * thread-safe: one reader thread per channel.
   */
  public static final class LineReader {
    private final ReadableByteChannel channel;
    private final int maxLineBytes;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private byte[] line = new byte[1024];
    private int lineLength;
    private boolean eof;

    /** A reader with the protocol's 1 MiB limit. */
    public LineReader(ReadableByteChannel channel) {
      this(channel, MAX_LINE_BYTES);
    }

    /** A reader with another limit (tests). */
    public LineReader(ReadableByteChannel channel, int maxLineBytes) {
      this.channel = channel;
      this.maxLineBytes = maxLineBytes;
      in.flip();
    }

    /** Blocks until a whole line, an over-long line or the end of the stream. */
    public Line next() throws IOException {
      while (true) {
        while (in.hasRemaining()) {
          byte b = in.get();
          if (b == '\n') {
            return complete();
          }
          if (lineLength == maxLineBytes) {
            lineLength = 0;
            return new Line.TooLong();
          }
          if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
          }
          line[lineLength++] = b;
        }
        if (eof) {
          return new Line.Eof();
        }
        in.clear();
        int n = channel.read(in);
        in.flip();
        if (n < 0) {
          eof = true;
        }
      }
    }

    private Line complete() {
      int end = lineLength;
      lineLength = 0;
      if (end > 0 && line[end - 1] == '\r') {
        end--;
      }
      CharsetDecoder decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      try {
        CharBuffer text = decoder.decode(ByteBuffer.wrap(line, 0, end));
        return new Line.Text(text.toString());
      } catch (CharacterCodingException e) {
        return new Line.NotUtf8();
      } finally {
        if (line.length > 64 * 1024) {
          // Give back the memory of one huge line; ordinary lines are small.
          line = new byte[1024];
        }
      }
    }
  }
}
