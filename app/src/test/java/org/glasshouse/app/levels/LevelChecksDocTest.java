package org.glasshouse.app.levels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's table of what each level's check verifies is the window's own words: one row per
 * level, in order, and its "passes when" column is the check's description, as the guide shows it
 * under the Check button. A check that changes its description without its row fails here.
 */
class LevelChecksDocTest {
  private static final String HEADING = "### What each level's check verifies";

  @Test
  void theReadmeTableSaysWhatEachCheckVerifies() throws IOException {
    List<String[]> rows = rows(readme());
    assertEquals(Levels.ALL.size(), rows.size(), "one row per level, 00 to 13");
    for (Level level : Levels.ALL) {
      String[] row = rows.get(level.number());
      assertEquals(level.code(), row[0], "rows in level order");
      assertEquals(
          level.check().description(),
          row[1],
          "level " + level.code() + ": the README's 'passes when' is the window's sentence");
      assertTrue(
          row.length >= 4 && !row[2].isBlank() && !row[3].isBlank(),
          "level " + level.code() + " says its facts and what a lower level fails on");
    }
  }

  private static List<String[]> rows(String readme) {
    int at = readme.indexOf(HEADING);
    assertTrue(at >= 0, "the README has the section '" + HEADING + "'");
    List<String[]> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : readme.substring(at).lines().skip(1).toList()) {
      if (line.startsWith("|")) {
        inTable = true;
        String[] cells = line.substring(1, line.length() - 1).split("\\|");
        for (int i = 0; i < cells.length; i++) {
          cells[i] = cells[i].strip();
        }
        if (cells[0].matches("\\d\\d")) {
          rows.add(cells);
        }
      } else if (inTable) {
        break;
      }
    }
    return rows;
  }

  private static String readme() throws IOException {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("app"))) {
        return Files.readString(d.resolve("README.md"));
      }
    }
    throw new IOException("no README.md above " + Path.of("").toAbsolutePath());
  }
}
