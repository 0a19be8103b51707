package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.glasshouse.protocol.JsonText;
import org.junit.jupiter.api.Test;

class PsCommandTest {

  @Test
  void levelsShowAsTwoDigitsAndCustomWithoutOne() {
    String table =
        PsCommand.table(
            JsonText.parse(
                "[{\"id\":\"a\",\"image\":\"busybox\",\"argv\":[\"true\"],\"level\":7,"
                    + "\"state\":\"running\",\"createdAt\":\"2026-12-03T07:00:00Z\","
                    + "\"startedAt\":\"2026-12-03T07:00:01Z\",\"name\":\"x\"},"
                    + "{\"id\":\"b\",\"image\":null,\"argv\":[],\"level\":12,\"state\":\"created\","
                    + "\"name\":null},"
                    + "{\"id\":\"c\",\"image\":null,\"argv\":[],\"level\":null,\"state\":\"created\","
                    + "\"name\":null}]"),
            Instant.parse("2026-12-03T07:02:00Z"));
    String[] lines = table.split("\n");
    assertEquals(
        "a              busybox   \"true\"    07       2 minutes ago   Up 1 minute   x", lines[1]);
    assertEquals("07", PsCommand.level(7));
    assertEquals("00", PsCommand.level(0));
    assertEquals("12", PsCommand.level(12));
    assertEquals("-1", PsCommand.level(-1));
    assertTrue(lines[2].contains("   12   "), lines[2]);
    assertTrue(lines[3].contains("   custom   "), lines[3]);
  }
}
