package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.Messages;

/** The {@code output} event as the bytes of one line: every byte a container writes goes here. */
final class OutputLines {

  private OutputLines() {}

  /** The {@code output} event line for a slice, with {@code skipped} when not 0. */
  static byte[] line(String container, String stream, byte[] data, int off, int len, long skipped) {
    if (!plain(container) || !plain(stream)) {
      ObjectNode event = Messages.output(container, stream, data, off, len);
      if (skipped > 0) {
        event.put("skipped", skipped);
      }
      return JsonLines.encode(event);
    }
    // The hot path of every byte a container writes: the line is assembled as bytes, the base64
    // written once, with no JSON tree and no String of the data (the same line Messages.output
    // and JsonLines.encode would give).
    byte[] head =
        ("{\"event\":\"output\",\"container\":\""
                + container
                + "\",\"stream\":\""
                + stream
                + "\",\"data\":\"")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail =
        (skipped > 0 ? "\",\"skipped\":" + skipped + "}\n" : "\"}\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] b64 =
        off == 0 && len == data.length
            ? Base64.getEncoder().encode(data)
            : Base64.getEncoder().encode(Arrays.copyOfRange(data, off, off + len));
    byte[] line = new byte[head.length + b64.length + tail.length];
    System.arraycopy(head, 0, line, 0, head.length);
    System.arraycopy(b64, 0, line, head.length, b64.length);
    System.arraycopy(tail, 0, line, head.length + b64.length, tail.length);
    return line;
  }

  /** Lowercase letters and digits only: nothing to escape in JSON (ids, stream names). */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return !s.isEmpty();
  }
}
