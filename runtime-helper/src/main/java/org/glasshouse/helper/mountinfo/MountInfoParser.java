package org.glasshouse.helper.mountinfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code /proc/PID/mountinfo} (see proc(5)). Stateless; a malformed line raises {@link
 * IllegalArgumentException} naming the line, never anything else.
 */
public final class MountInfoParser {

  private MountInfoParser() {}

  /** Parses a whole mountinfo file; blank lines are skipped. */
  public static List<MountEntry> parse(String text) {
    return parseLines(
        text,
        (lineNo, line, e) -> {
          throw new IllegalArgumentException(
              "mountinfo line " + lineNo + ": " + e.getMessage() + ": " + line, e);
        });
  }

  /**
   * Parses a whole mountinfo file without ever failing: malformed lines are set aside with the
   * reason, so one odd line from a future kernel cannot hide the rest of the mount table.
   */
  public static Result parseTotal(String text) {
    List<String> malformed = new ArrayList<>();
    List<MountEntry> entries =
        parseLines(
            text, (lineNo, line, e) -> malformed.add("line " + lineNo + ": " + e.getMessage()));
    return new Result(List.copyOf(entries), List.copyOf(malformed));
  }

  /** What to do with a line {@link #parseLine} refused; it may throw to stop the parse. */
  private interface Malformed {
    void line(int lineNo, String line, IllegalArgumentException e);
  }

  /**
   * The entries of the non-blank lines, in file order; a refused line goes to {@code onMalformed}.
   */
  private static List<MountEntry> parseLines(String text, Malformed onMalformed) {
    List<MountEntry> entries = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        entries.add(parseLine(line));
      } catch (IllegalArgumentException e) {
        onMalformed.line(lineNo, line, e);
      }
    }
    return entries;
  }

  /**
   * What {@link #parseTotal} found.
   *
   * @param entries the well-formed lines, in file order
   * @param malformed one sentence per line that could not be parsed
   */
  public record Result(List<MountEntry> entries, List<String> malformed) {}

  /**
   * Parses one line: {@code id parent maj:min root mountpoint options [optional…] - fstype source
   * superoptions}.
   */
  public static MountEntry parseLine(String line) {
    String[] f = fields(line);
    int sep = -1;
    for (int i = 6; i < f.length; i++) {
      if (f[i].equals("-")) {
        sep = i;
        break;
      }
    }
    if (f.length < 7 || sep < 0) {
      throw new IllegalArgumentException("missing fields or the '-' separator");
    }
    if (f.length < sep + 3) {
      throw new IllegalArgumentException("missing fstype or source after '-'");
    }
    String[] dev = f[2].split(":");
    if (dev.length != 2) {
      throw new IllegalArgumentException("bad major:minor '" + f[2] + "'");
    }
    List<String> optional = new ArrayList<>();
    for (int i = 6; i < sep; i++) {
      optional.add(f[i]);
    }
    try {
      return new MountEntry(
          Integer.parseInt(f[0]),
          Integer.parseInt(f[1]),
          Integer.parseInt(dev[0]),
          Integer.parseInt(dev[1]),
          unescape(f[3]),
          unescape(f[4]),
          f[5],
          List.copyOf(optional),
          unescape(f[sep + 1]),
          unescape(f[sep + 2]),
          f.length > sep + 3 ? unescape(f[sep + 3]) : "");
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number: " + e.getMessage(), e);
    }
  }

  /** Splits on runs of spaces without a regex: this runs once per mount on every rescan. */
  private static String[] fields(String line) {
    List<String> out = new ArrayList<>(12);
    int n = line.length();
    int i = 0;
    while (i < n) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      int start = i;
      while (i < n && line.charAt(i) != ' ') {
        i++;
      }
      if (i > start) {
        out.add(line.substring(start, i));
      }
    }
    return out.toArray(new String[0]);
  }

  /** Decodes the kernel's octal escapes ({@code \040} space, {@code \011} tab, {@code \134} …). */
  public static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }
}
