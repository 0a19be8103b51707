package org.glasshouse.app.glasshouse;

import java.util.List;
import java.util.function.Consumer;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.util.Duration;
import org.glasshouse.app.glasshouse.HouseModel.WallModel;

/**
 * One namespace wall: a band around its content, coloured by the namespace's identity, with a tag
 * naming it (type and letter) on its top band. A wall the container does not have is open: the same
 * place, a dotted host-coloured edge and a greyed tag, so walls fill in their places as the levels
 * add them and the picture never jumps. Sizes and colours come from CSS ({@code .ns-wall}, {@code
 * :own}, {@code .ns-c0} … {@code .ns-c6}, and a dashed or dotted stripe {@code .ns-p1}, {@code
 * .ns-p2} when the colours repeat); in the compact density the tags stand staggered on the top
 * edge, since the bands are too thin to hold them.
 */
final class RingNode extends Region {
  static final PseudoClass OWN = PseudoClass.getPseudoClass("own");
  static final PseudoClass OPEN = PseudoClass.getPseudoClass("open");
  static final PseudoClass JOINED = PseudoClass.getPseudoClass("joined");
  static final PseudoClass LIT = PseudoClass.getPseudoClass("highlighted");
  static final PseudoClass PLANNED = PseudoClass.getPseudoClass("planned");

  /** Where the first compact tag starts, in pixels from its wall's left edge. */
  private static final double TAG_START = 6;

  private final Label tag = new Label();
  private final Tooltip tip = new Tooltip();
  private Node content;
  private WallModel wall;
  private int slot;
  private boolean compact;
  private String colourClass;
  private String patternClass;

  RingNode(Consumer<WallModel> onClick) {
    getStyleClass().add("ns-wall");
    tag.getStyleClass().add("ns-tag");
    tag.setMinWidth(Region.USE_PREF_SIZE);
    tag.setFocusTraversable(false);
    tip.setShowDelay(Duration.millis(250));
    tip.setShowDuration(Duration.seconds(30));
    tip.setWrapText(true);
    tip.setMaxWidth(460);
    Tooltip.install(this, tip);
    getChildren().add(tag);
    setOnMouseClicked(
        e -> {
          if (wall != null && e.getTarget() == this) {
            onClick.accept(wall);
            e.consume();
          }
        });
    tag.setOnMouseClicked(
        e -> {
          onClick.accept(wall);
          e.consume();
        });
  }

  /** The wall's model; the content inside it. */
  void update(WallModel w, Node inside, int slot, boolean compact) {
    // The content may have been taken by another nest since (a house drawn alone, then beside
    // another: its rooms move between nests kept by key): then it comes back here.
    boolean holds = content == inside && inside.getParent() == this;
    if (w.equals(wall) && holds && slot == this.slot && compact == this.compact) {
      // Nothing to do: a style class touched (even set to what it was) makes the CSS pass
      // re-match this wall and everything inside it, the house included.
      return;
    }
    boolean moved = slot != this.slot || compact != this.compact;
    this.slot = slot;
    this.compact = compact;
    if (!holds) {
      if (content != null && content.getParent() == this) {
        getChildren().remove(content);
      }
      content = inside;
      getChildren().add(0, inside);
    }
    if (wall == null || wall.type() != w.type()) {
      getStyleClass().removeIf(c -> c.startsWith("ns-type-"));
      getStyleClass().add("ns-type-" + w.type().wire());
    }
    this.wall = w;
    String colour = w.standing() ? "ns-c" + w.colour() : null;
    if (!java.util.Objects.equals(colour, colourClass)) {
      if (colourClass != null) {
        getStyleClass().remove(colourClass);
        tag.getStyleClass().remove(colourClass);
      }
      if (colour != null) {
        getStyleClass().add(colour);
        tag.getStyleClass().add(colour);
      }
      colourClass = colour;
    }
    int p = w.standing() && w.inode() != null ? Identities.pattern(w.inode()) : 0;
    String pattern = p == 0 ? null : "ns-p" + p;
    if (!java.util.Objects.equals(pattern, patternClass)) {
      if (patternClass != null) {
        getStyleClass().remove(patternClass);
      }
      if (pattern != null) {
        getStyleClass().add(pattern);
      }
      patternClass = pattern;
    }
    pseudoClassStateChanged(OWN, w.standing());
    pseudoClassStateChanged(OPEN, !w.standing() && !w.planned());
    pseudoClassStateChanged(PLANNED, w.planned());
    pseudoClassStateChanged(JOINED, w.standing() && w.joined());
    pseudoClassStateChanged(LIT, w.highlighted());
    tag.pseudoClassStateChanged(OWN, w.standing());
    tag.pseudoClassStateChanged(OPEN, !w.standing() && !w.planned());
    tag.pseudoClassStateChanged(PLANNED, w.planned());
    tag.pseudoClassStateChanged(LIT, w.highlighted());
    String text = w.standing() ? (w.type().label() + " " + w.letter()).strip() : w.type().label();
    if (!compact && w.standing() && w.note() != null && w.type() == NsType.UTS) {
      text += " · " + w.note();
    }
    if (!compact && w.planned()) {
      text += " · to come";
    } else if (!compact && !w.standing()) {
      text += " · host's";
    }
    if (!text.equals(tag.getText())) {
      tag.setText(text);
    }
    String t = Describe.wall(w);
    if (!t.equals(tip.getText())) {
      tip.setText(t);
    }
    setAccessibleText(t);
    if (moved) {
      requestLayout();
    }
  }

  WallModel wall() {
    return wall;
  }

  Label tag() {
    return tag;
  }

  /** Its height depends on its width (the rooms inside wrap). */
  @Override
  public javafx.geometry.Orientation getContentBias() {
    return javafx.geometry.Orientation.HORIZONTAL;
  }

  @Override
  protected double computePrefWidth(double height) {
    Insets in = getInsets();
    double inner = content == null ? 0 : content.prefWidth(-1);
    return in.getLeft() + inner + in.getRight();
  }

  @Override
  protected double computePrefHeight(double width) {
    Insets in = getInsets();
    double w = width < 0 ? -1 : width - in.getLeft() - in.getRight();
    double inner = content == null ? 0 : content.prefHeight(w);
    return in.getTop() + openRow() + inner + in.getBottom();
  }

  /** Whether this wall is open (the container shares the host's namespace): no band of its own. */
  private boolean open() {
    return wall != null && !wall.standing() && !wall.planned();
  }

  /**
   * The room the compact tags of open walls take above what they hold: an open wall has no band
   * (border 0), so its tag, centred on its top edge, stood half on the band or roof line above it
   * (at 1366, "NET CGROUP USER TIME" crossed the PID wall's edge; at levels 00-04, every name
   * crossed the roof). The first open wall of a chain keeps a line for the tags of it and of the
   * open walls inside it, which stand on that line; 0 for every other wall.
   */
  private double openRow() {
    if (!compact || !open() || (getParent() instanceof RingNode outer && outer.open())) {
      return 0;
    }
    return tag.prefHeight(-1);
  }

  @Override
  protected double computeMinWidth(double height) {
    Insets in = getInsets();
    double walls = in.getLeft() + (content == null ? 0 : content.minWidth(-1)) + in.getRight();
    if (!compact || getParent() instanceof RingNode) {
      return walls;
    }
    // The outermost wall of a chain is at least as wide as its tags in a row (and the first inner
    // chain's, which continue the row): narrower, the grid puts fewer houses side by side, and the
    // whole picture is scaled down rather than the tags stacked on each other.
    return Math.max(walls, TAG_START + tagRow(this));
  }

  /**
   * The width the compact tags of {@code n}'s walls take in a row, from the outermost inwards, with
   * the band on the right of each wall: a wall inside is narrower by it, and the last tag of a row
   * too long for the innermost wall was pushed back onto the one before ("USER" under "TIME").
   */
  private static double tagRow(Node n) {
    if (n instanceof RingNode r) {
      return r.tag.prefWidth(-1) + r.tagGap() + r.getInsets().getRight() + tagRow(r.content);
    }
    if (n instanceof NestNode nest && nest.leaf()) {
      // A house's own walls stand below its roof: their tags are on a line of their own.
      return 0;
    }
    if (n instanceof javafx.scene.Parent p && !p.getChildrenUnmodifiable().isEmpty()) {
      // A nest's walls, or the first of the nests side by side in a grid.
      List<Node> kids = p.getChildrenUnmodifiable();
      return tagRow(n instanceof NestNode ? kids.get(kids.size() - 1) : kids.get(0));
    }
    return 0;
  }

  private double tagGap() {
    return tag.getFont().getSize() * 0.5;
  }

  @Override
  protected double computeMinHeight(double width) {
    Insets in = getInsets();
    double w = width < 0 ? -1 : width - in.getLeft() - in.getRight();
    return in.getTop() + openRow() + (content == null ? 0 : content.minHeight(w)) + in.getBottom();
  }

  @Override
  protected void layoutChildren() {
    Insets in = getInsets();
    double w = getWidth();
    double h = getHeight();
    double row = openRow();
    if (content != null) {
      content.resizeRelocate(
          in.getLeft(),
          in.getTop() + row,
          Math.max(0, w - in.getLeft() - in.getRight()),
          Math.max(0, h - in.getTop() - row - in.getBottom()));
    }
    double tw = tag.prefWidth(-1);
    double th = tag.prefHeight(tw);
    double band =
        getBorder() == null || getBorder().getStrokes().isEmpty()
            ? in.getTop()
            : getBorder().getStrokes().get(0).getWidths().getTop();
    double x;
    double y;
    if (compact) {
      // In a row along the top edge: each wall's tag just right of the one outside it (measured,
      // so long names such as CGROUP never run into the next), since the bands are too thin to
      // hold them one above the other.
      x = Math.max(TAG_START, afterOuterTag());
      if (row > 0) {
        y = (row - th) / 2; // on the line this wall keeps for the open walls' tags
      } else if (open() && getParent() instanceof RingNode outer) {
        y = outer.tag.getLayoutY() - getLayoutY(); // on the line of the open wall outside it
      } else {
        y = band / 2 - th / 2;
      }
    } else {
      x = tag.getFont().getSize() * 0.8;
      y = Math.max(0, (band - th) / 2);
    }
    tag.resizeRelocate(snapPositionX(Math.min(x, Math.max(0, w - tw))), snapPositionY(y), tw, th);
    tag.toFront();
  }

  /**
   * Where the tag of the nearest wall outside this one ends, plus a gap, in this wall's
   * coordinates; 0 when there is none on this line (the outermost wall, or one below a roof).
   */
  private double afterOuterTag() {
    double offset = 0;
    Node n = this;
    while (n.getParent() != null) {
      javafx.scene.Parent p = n.getParent();
      offset += n.getLayoutX();
      if (p instanceof RingNode outer) {
        Label t = outer.tag;
        return t.getLayoutX() + t.getWidth() + outer.tagGap() - offset;
      }
      boolean belowRoof = p instanceof NestNode nest && nest.leaf();
      if (belowRoof || !(p instanceof NestNode || p instanceof NestNode.Grid)) {
        return 0;
      }
      n = p;
    }
    return 0;
  }
}
