package org.glasshouse.app.containers;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the line typed into the run panel's Command field into argv, the way {@code sh} reads a
 * simple command: whitespace separates words; 'single quotes' keep everything; "double quotes" keep
 * everything but a backslash before {@code $ ` " \}; a backslash outside quotes keeps the next
 * character. A line that needs a shell to mean what it says (a pipe, a redirection, {@code ;},
 * {@code &}, {@code $}, a glob, a backtick) is not guessed at: it runs as {@code sh -c LINE}, and
 * the run panel shows that it does.
 */
public final class CommandLine {
  private static final String SHELL_CHARS = "|&;<>()$`*?";

  private CommandLine() {}

  /** The argv the run panel sends for this line: its words, or {@code sh -c LINE}. */
  public static List<String> argv(String line) {
    if (needsShell(line)) {
      return List.of("sh", "-c", line.strip());
    }
    return split(line);
  }

  /** Whether the line uses the shell's syntax outside quotes (so only a shell can run it). */
  public static boolean needsShell(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        }
      } else if (c == '\\') {
        i++;
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '$' || c == '`') {
          return true;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (SHELL_CHARS.indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Splits into words as sh does, without expanding anything. */
  public static List<String> split(String line) {
    List<String> argv = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\'
            && i + 1 < line.length()
            && "$`\"\\\n".indexOf(line.charAt(i + 1)) >= 0) {
          i++;
          if (line.charAt(i) != '\n') {
            cur.append(line.charAt(i));
          }
        } else {
          cur.append(c);
        }
      } else if (c == '\\') {
        if (i + 1 >= line.length()) {
          throw new IllegalArgumentException("the command ends in a lone backslash");
        }
        i++;
        if (line.charAt(i) != '\n') {
          cur.append(line.charAt(i));
          inWord = true;
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
