package org.glasshouse.app.glasshouse;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.text.Text;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * What the layout rules of {@link HouseLayout} need to know of the nodes on screen: the smallest
 * text under a node, and whether a label shows its text cut short.
 */
final class Legibility {
  private Legibility() {}

  /**
   * The first visible label under {@code n} whose text is shown cut short (an ellipsis in place of
   * its end), or null. Command lines are cut on purpose (their tooltip and details card hold all of
   * them) and do not count.
   */
  static Labeled cutLabel(Node n) {
    if (!n.isVisible()) {
      return null;
    }
    if (n instanceof Labeled l && cut(l)) {
      return l;
    }
    if (n instanceof Parent p) {
      for (Node c : p.getChildrenUnmodifiable()) {
        Labeled l = cutLabel(c);
        if (l != null) {
          return l;
        }
      }
    }
    return null;
  }

  /**
   * The first wall under {@code n} laid out narrower than its least width or wider than the place
   * it stands in, or null: two houses side by side in an area too narrow for their walls overlap,
   * or the compact walls' tags in a row cover each other.
   */
  static RingNode overflowing(Node n) {
    if (!n.isVisible()) {
      return null;
    }
    if (n instanceof RingNode r
        && (r.getWidth() < r.minWidth(-1) - 1
            || r.getParent() instanceof javafx.scene.layout.Region p
                && r.getLayoutX() + r.getWidth() > p.getWidth() + 1)) {
      return r;
    }
    if (n instanceof Parent p) {
      for (Node c : p.getChildrenUnmodifiable()) {
        RingNode r = overflowing(c);
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  /** Whether {@code l} shows its text cut short (command lines aside). */
  static boolean cut(Labeled l) {
    if (l.getText() == null
        || l.getStyleClass().contains("gh-command")
        || l.getStyleClass().contains("gh-roof-command")) {
      return false;
    }
    String e = l.getEllipsisString();
    for (Node c : l.getChildrenUnmodifiable()) {
      if (c instanceof Text t
          && !(t instanceof FontIcon)
          && t.getText() != null
          && !e.isEmpty()
          && t.getText().endsWith(e)
          && !t.getText().equals(l.getText())) {
        return true;
      }
    }
    return false;
  }

  /** The least font size of the visible text under {@code n} (icons aside), in its own pixels. */
  static double smallestText(Node n) {
    if (!n.isVisible()) {
      return Double.MAX_VALUE;
    }
    if (n instanceof Labeled l) {
      // The label's own font, which CSS sets: its text node gets the text only when the label is
      // laid out, so the floor measured between a change and the next layout pass missed it.
      double own =
          l.getText() == null || l.getText().isBlank() ? Double.MAX_VALUE : l.getFont().getSize();
      return Math.min(
          own, l.getGraphic() == null ? Double.MAX_VALUE : smallestText(l.getGraphic()));
    }
    if (n instanceof Text t) {
      return t instanceof FontIcon || t.getText() == null || t.getText().isBlank()
          ? Double.MAX_VALUE
          : t.getFont().getSize();
    }
    double min = Double.MAX_VALUE;
    if (n instanceof Parent p) {
      for (Node c : p.getChildrenUnmodifiable()) {
        min = Math.min(min, smallestText(c));
      }
    }
    return min;
  }
}
