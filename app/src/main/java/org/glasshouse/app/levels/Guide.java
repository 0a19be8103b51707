package org.glasshouse.app.levels;

import java.util.List;

/** A level guide parsed from the Markdown subset the guides use. */
public record Guide(List<Block> blocks) {

  /** A block of the guide. */
  public sealed interface Block {}

  /** {@code #}, {@code ##} or {@code ###} heading. */
  public record Heading(int depth, String text) implements Block {}

  /** A paragraph of inline runs. */
  public record Paragraph(List<Inline> runs) implements Block {}

  /** A bullet list; each item is a list of inline runs. */
  public record Bullets(List<List<Inline>> items) implements Block {}

  /** A fenced code block, verbatim. */
  public record Code(String text) implements Block {}

  /** A run of text inside a paragraph or bullet. */
  public record Inline(Kind kind, String text) {}

  /** Inline kinds. */
  public enum Kind {
    TEXT,
    CODE,
    STRONG
  }
}
