package org.glasshouse.app.levels;

import java.util.List;

/**
 * A level guide parsed from the Markdown subset the guides use.
 *
 * @param blocks what the guide pane shows, in order
 * @param hints the "Hints" section's bullets: first hint, second hint, then the answer; shown one
 *     by one when a check fails, never in the text itself
 */
public record Guide(List<Block> blocks, List<List<Inline>> hints) {

  /** Every bullet of every list, in order (experiments and questions among them). */
  public List<Item> items() {
    return blocks.stream()
        .filter(b -> b instanceof Bullets)
        .flatMap(b -> ((Bullets) b).items().stream())
        .toList();
  }

  /** A block of the guide. */
  public sealed interface Block {}

  /** {@code #}, {@code ##} or {@code ###} heading. */
  public record Heading(int depth, String text) implements Block {}

  /** A paragraph of inline runs. */
  public record Paragraph(List<Inline> runs) implements Block {}

  /** A bullet list. */
  public record Bullets(List<Item> items) implements Block {}

  /**
   * A bullet.
   *
   * @param runs its text
   * @param id its experiment id ({@code {#02-tmpfs}} at the end of the bullet), or null
   * @param answer an exercise's answer (a continuation line starting with {@code Answer:}), shown
   *     behind a "show" control; empty for other bullets
   */
  public record Item(List<Inline> runs, String id, List<Inline> answer) {
    /** The bullet's text without markup. */
    public String plainText() {
      StringBuilder sb = new StringBuilder();
      runs.forEach(r -> sb.append(r.text()));
      return sb.toString();
    }
  }

  /** A fenced code block, verbatim. */
  public record Code(String text) implements Block {}

  /** A run of text inside a paragraph or bullet. */
  public record Inline(Kind kind, String text) {}

  /** Inline kinds. */
  public enum Kind {
    TEXT,
    CODE,
    STRONG,
    EMPHASIS
  }
}
