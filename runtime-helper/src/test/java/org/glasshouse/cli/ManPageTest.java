package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.protocol.Feature;
import org.junit.jupiter.api.Test;

/** glasshouse(1), the page the package installs, says what the CLI really has. */
class ManPageTest {

  private static final Path PAGE = Path.of("src/main/man/glasshouse.1");

  @Test
  void itListsEveryCommandAndNoOther() throws Exception {
    List<String> lines = Files.readAllLines(PAGE);
    int from = lines.indexOf(".SH COMMANDS");
    assertTrue(from >= 0, "no COMMANDS section in " + PAGE);
    List<String> documented = new ArrayList<>();
    for (int i = from + 1; i < lines.size() && !lines.get(i).startsWith(".SH"); i++) {
      if (lines.get(i).equals(".TP") && lines.get(i + 1).startsWith(".B ")) {
        documented.add(lines.get(i + 1).substring(3));
      }
    }
    assertEquals(List.copyOf(Main.commands().keySet()), documented);
  }

  @Test
  void itNamesTheLevelsThereAre() throws Exception {
    String page = Files.readString(PAGE);
    assertTrue(page.contains("level 0 to " + Feature.MAX_LEVEL + " "), "the run entry's levels");
    assertTrue(page.contains("\n.B \\-\\-sweep") || page.contains(".BR \\-\\-sweep"), "--sweep");
  }
}
