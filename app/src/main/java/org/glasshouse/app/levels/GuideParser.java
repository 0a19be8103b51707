package org.glasshouse.app.levels;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the guides' Markdown subset: {@code #} headings, paragraphs, {@code -}/{@code *} bullets,
 * fenced code blocks, and inline {@code `code`}, {@code **strong**} and {@code *emphasis*}. Two
 * additions of our own: a bullet may end in an experiment id ({@code {#02-tmpfs}}), and a bullet's
 * continuation line starting with {@code Answer:} is that exercise's answer. The bullets of a
 * {@code ## Hints} section become the guide's hints instead of text. Anything else is text, so a
 * typo in a guide shows as text instead of breaking the pane.
 */
public final class GuideParser {
  private static final Pattern ID = Pattern.compile("\\s*\\{#([a-z0-9-]+)\\}\\s*$");

  private GuideParser() {}

  public static Guide parse(String markdown) {
    List<Guide.Block> blocks = new ArrayList<>();
    List<String> para = new ArrayList<>();
    List<Draft> bullets = new ArrayList<>();
    List<List<Guide.Inline>> hints = new ArrayList<>();
    boolean inHints = false;
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
        flush(blocks, para, bullets, inHints ? hints : null);
        code = new StringBuilder();
      } else if (t.isEmpty()) {
        flush(blocks, para, bullets, inHints ? hints : null);
      } else if (t.startsWith("#")) {
        flush(blocks, para, bullets, inHints ? hints : null);
        int depth = 0;
        while (depth < t.length() && t.charAt(depth) == '#') {
          depth++;
        }
        String title = t.substring(depth).strip();
        inHints = title.equalsIgnoreCase("Hints");
        if (!inHints) {
          blocks.add(new Guide.Heading(Math.min(depth, 3), title));
        }
      } else if (t.startsWith("- ") || t.startsWith("* ")) {
        if (!para.isEmpty()) {
          flush(blocks, para, List.of(), null);
        }
        bullets.add(new Draft(t.substring(2).strip()));
      } else if (!bullets.isEmpty() && raw.startsWith(" ")) {
        // A continuation line of the last bullet, or its answer.
        Draft last = bullets.get(bullets.size() - 1);
        if (t.startsWith("Answer:")) {
          last.answer = t.substring("Answer:".length()).strip();
        } else if (last.answer != null) {
          last.answer += " " + t;
        } else {
          last.text += " " + t;
        }
      } else {
        if (!bullets.isEmpty()) {
          flush(blocks, List.of(), bullets, inHints ? hints : null);
        }
        para.add(t);
      }
    }
    if (code != null) {
      blocks.add(new Guide.Code(code.toString()));
    }
    flush(blocks, para, bullets, inHints ? hints : null);
    return new Guide(List.copyOf(blocks), List.copyOf(hints));
  }

  /** A bullet being read. */
  private static final class Draft {
    String text;
    String answer;

    Draft(String text) {
      this.text = text;
    }

    Guide.Item item() {
      Matcher m = ID.matcher(text);
      String id = null;
      String body = text;
      if (m.find()) {
        id = m.group(1);
        body = text.substring(0, m.start());
      }
      return new Guide.Item(inline(body), id, answer == null ? List.of() : inline(answer));
    }
  }

  private static void flush(
      List<Guide.Block> blocks,
      List<String> para,
      List<Draft> bullets,
      List<List<Guide.Inline>> hints) {
    if (!para.isEmpty()) {
      blocks.add(new Guide.Paragraph(inline(String.join(" ", para))));
      para.clear();
    }
    if (!bullets.isEmpty()) {
      if (hints != null) {
        bullets.forEach(d -> hints.add(inline(d.text)));
      } else {
        blocks.add(new Guide.Bullets(bullets.stream().map(Draft::item).toList()));
      }
      bullets.clear();
    }
  }

  /** Splits a line into text, `code`, **strong** and *emphasis* runs. */
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
      } else if ((ch == '*' || ch == '_')
          && opens(s, i)
          && (end = s.indexOf(ch, i + 1)) > i + 1
          && !Character.isWhitespace(s.charAt(end - 1))) {
        addText(runs, text);
        runs.add(new Guide.Inline(Guide.Kind.EMPHASIS, s.substring(i + 1, end)));
        i = end + 1;
      } else {
        text.append(ch);
        i++;
      }
    }
    addText(runs, text);
    return runs;
  }

  /** An emphasis mark opens at a word's start: not after a letter, and before a non-space. */
  private static boolean opens(String s, int i) {
    boolean afterWord = i > 0 && Character.isLetterOrDigit(s.charAt(i - 1));
    return !afterWord && i + 1 < s.length() && !Character.isWhitespace(s.charAt(i + 1));
  }

  private static void addText(List<Guide.Inline> runs, StringBuilder text) {
    if (!text.isEmpty()) {
      runs.add(new Guide.Inline(Guide.Kind.TEXT, text.toString()));
      text.setLength(0);
    }
  }
}
