package org.glasshouse.app.containers;

import java.util.ArrayList;
import java.util.List;

/** Splits a command typed in the run panel into argv: whitespace, 'single' and "double" quotes. */
public final class CommandLine {
  private CommandLine() {}

  public static List<String> split(String line) {
    List<String> argv = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          argv.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("the command has an unclosed " + quote + " quote");
    }
    if (inWord) {
      argv.add(cur.toString());
    }
    return argv;
  }
}
