package org.glasshouse.app.levels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuideParserTest {

  @Test
  void parsesHeadingsParagraphsBulletsAndCode() {
    Guide g =
        GuideParser.parse(
            "# Title\n\nSome `code` and **bold**\ncontinued.\n\n## Part\n- one\n- two `x`\n"
                + "  more of two\n\n```\nls -l /\n  indented\n```\nafter");
    List<Guide.Block> b = g.blocks();
    assertEquals(new Guide.Heading(1, "Title"), b.get(0));
    Guide.Paragraph p = assertInstanceOf(Guide.Paragraph.class, b.get(1));
    assertEquals(
        List.of(
            new Guide.Inline(Guide.Kind.TEXT, "Some "),
            new Guide.Inline(Guide.Kind.CODE, "code"),
            new Guide.Inline(Guide.Kind.TEXT, " and "),
            new Guide.Inline(Guide.Kind.STRONG, "bold"),
            new Guide.Inline(Guide.Kind.TEXT, " continued.")),
        p.runs());
    assertEquals(new Guide.Heading(2, "Part"), b.get(2));
    Guide.Bullets bullets = assertInstanceOf(Guide.Bullets.class, b.get(3));
    assertEquals(2, bullets.items().size());
    assertEquals(
        new Guide.Inline(Guide.Kind.TEXT, " more of two"),
        bullets.items().get(1).runs().get(bullets.items().get(1).runs().size() - 1));
    assertEquals(new Guide.Code("ls -l /\n  indented"), b.get(4));
    assertInstanceOf(Guide.Paragraph.class, b.get(5));
  }

  @Test
  void emphasisIdsAnswersAndHints() {
    Guide g =
        GuideParser.parse(
            "## Experiments\n- run `ls` *now* {#01-ls}\n- Why?\n  Answer: because _so_.\n\n"
                + "## Hints\n- one\n- two\n- the answer\n");
    List<Guide.Item> items = g.items();
    assertEquals("01-ls", items.get(0).id());
    assertEquals(new Guide.Inline(Guide.Kind.EMPHASIS, "now"), items.get(0).runs().get(3));
    assertEquals("run ls now", items.get(0).plainText());
    assertEquals(
        List.of(
            new Guide.Inline(Guide.Kind.TEXT, "because "),
            new Guide.Inline(Guide.Kind.EMPHASIS, "so"),
            new Guide.Inline(Guide.Kind.TEXT, ".")),
        items.get(1).answer());
    assertEquals(3, g.hints().size());
    assertEquals(2, g.blocks().size(), "hints are not text: " + g.blocks());
    assertEquals(
        List.of(new Guide.Inline(Guide.Kind.TEXT, "pivot_root and 2 * 3")),
        GuideParser.inline("pivot_root and 2 * 3"));
  }

  @Test
  void unclosedMarkersStayText() {
    assertEquals(
        List.of(new Guide.Inline(Guide.Kind.TEXT, "a `b and **c")),
        GuideParser.inline("a `b and **c"));
  }

  @Test
  void everyLevelHasAGuideWithTheSections() {
    for (Level l : Levels.ALL) {
      Guide g = LevelsViewModel.readGuide(l);
      assertInstanceOf(Guide.Heading.class, g.blocks().get(0), l.guideResource());
      assertTrue(
          ((Guide.Heading) g.blocks().get(0)).text().startsWith(l.code()), l.guideResource());
      List<String> h2 =
          g.blocks().stream()
              .filter(x -> x instanceof Guide.Heading h && h.depth() == 2)
              .map(x -> ((Guide.Heading) x).text())
              .toList();
      assertEquals(
          List.of("Goal", "Syscalls", "What to look at", "Experiments", "Questions", "Done when"),
          h2,
          l.guideResource());
    }
  }
}
