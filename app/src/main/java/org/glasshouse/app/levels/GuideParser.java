package org.glasshouse.app.levels;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the guides' Markdown subset: {@code #} headings, paragraphs, {@code -}/{@code *} bullets,
 * fenced code blocks, and inline {@code `code`} and {@code **strong**}. Anything else is text, so a
 * typo in a guide shows as text instead of breaking the pane.
 */
public final class GuideParser {
  private GuideParser() {}

  public static Guide parse(String markdown) {
    List<Guide.Block> blocks = new ArrayList<>();
    List<String> para = new ArrayList<>();
    List<List<Guide.Inline>> bullets = new ArrayList<>();
    StringBuilder code = null;
    for (String raw : markdown.replace("\r", "").split("\n", -1)) {
      String line = raw.stripTrailing();
      if (code != null) {
        if (line.strip().startsWith("```")) {
          blocks.add(new Guide.Code(code.toString()));
          code = null;
        } else {
          code.append(code.isEmpty() ? "" : "\n").append(raw);
        }
        continue;
      }
      String t = line.strip();
      if (t.startsWith("```")) {
        flush(blocks, para, bullets);
        code = new StringBuilder();
      } else if (t.isEmpty()) {
        flush(blocks, para, bullets);
      } else if (t.startsWith("#")) {
        flush(blocks, para, bullets);
        int depth = 0;
        while (depth < t.length() && t.charAt(depth) == '#') {
          depth++;
        }
        blocks.add(new Guide.Heading(Math.min(depth, 3), t.substring(depth).strip()));
      } else if (t.startsWith("- ") || t.startsWith("* ")) {
        if (!para.isEmpty()) {
          flush(blocks, para, List.of());
        }
        bullets.add(inline(t.substring(2).strip()));
      } else if (!bullets.isEmpty() && raw.startsWith(" ")) {
        // A continuation line of the last bullet.
        List<Guide.Inline> last = new ArrayList<>(bullets.get(bullets.size() - 1));
        last.add(new Guide.Inline(Guide.Kind.TEXT, " "));
        last.addAll(inline(t));
        bullets.set(bullets.size() - 1, last);
      } else {
        if (!bullets.isEmpty()) {
          flush(blocks, List.of(), bullets);
        }
        para.add(t);
      }
    }
    if (code != null) {
      blocks.add(new Guide.Code(code.toString()));
    }
    flush(blocks, para, bullets);
    return new Guide(List.copyOf(blocks));
  }

  private static void flush(
      List<Guide.Block> blocks, List<String> para, List<List<Guide.Inline>> bullets) {
    if (!para.isEmpty()) {
      blocks.add(new Guide.Paragraph(inline(String.join(" ", para))));
      para.clear();
    }
    if (!bullets.isEmpty()) {
      blocks.add(new Guide.Bullets(List.copyOf(bullets)));
      bullets.clear();
    }
  }

  /** Splits a line into text, `code` and **strong** runs. */
  static List<Guide.Inline> inline(String s) {
    List<Guide.Inline> runs = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char ch = s.charAt(i);
      int end;
      if (ch == '`' && (end = s.indexOf('`', i + 1)) > i) {
        addText(runs, text);
        runs.add(new Guide.Inline(Guide.Kind.CODE, s.substring(i + 1, end)));
        i = end + 1;
      } else if (s.startsWith("**", i) && (end = s.indexOf("**", i + 2)) > i) {
        addText(runs, text);
        runs.add(new Guide.Inline(Guide.Kind.STRONG, s.substring(i + 2, end)));
        i = end + 2;
      } else {
        text.append(ch);
        i++;
      }
    }
    addText(runs, text);
    return runs;
  }

  private static void addText(List<Guide.Inline> runs, StringBuilder text) {
    if (!text.isEmpty()) {
      runs.add(new Guide.Inline(Guide.Kind.TEXT, text.toString()));
      text.setLength(0);
    }
  }
}
