package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.Messages;
import org.junit.jupiter.api.Test;

/** The output line assembled as bytes is exactly the one the protocol's encoder would write. */
class OutputLineTest {

  @Test
  void theFastLineIsTheProtocolsLine() {
    byte[] data = "hello, \"world\"\n\u0000\u00ff".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(
        JsonLines.encode(Messages.output("3f9a0c11b2d4", "stdout", data, 0, data.length)),
        OutputLines.line("3f9a0c11b2d4", "stdout", data, 0, data.length, 0));
    ObjectNode skipped = Messages.output("3f9a0c11b2d4", "pty", data, 2, 5);
    skipped.put("skipped", 4096);
    assertArrayEquals(
        JsonLines.encode(skipped), OutputLines.line("3f9a0c11b2d4", "pty", data, 2, 5, 4096));
    assertArrayEquals(
        JsonLines.encode(Messages.output("a-b", "stdout", data, 0, 3)),
        OutputLines.line("a-b", "stdout", data, 0, 3, 0),
        "a name that is not plain goes the slow way, same result");
  }
}
