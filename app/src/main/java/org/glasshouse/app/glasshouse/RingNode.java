package org.glasshouse.app.glasshouse;

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
    this.wall = w;
    this.slot = slot;
    this.compact = compact;
    if (content != inside) {
      if (content != null) {
        getChildren().remove(content);
      }
      content = inside;
      getChildren().add(0, inside);
    }
    getStyleClass().removeIf(c -> c.startsWith("ns-type-"));
    getStyleClass().add("ns-type-" + w.type().wire());
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
    int p = w.standing() ? Identities.pattern(w.number()) : 0;
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
    pseudoClassStateChanged(OPEN, !w.standing());
    pseudoClassStateChanged(JOINED, w.standing() && w.joined());
    pseudoClassStateChanged(LIT, w.highlighted());
    tag.pseudoClassStateChanged(OWN, w.standing());
    tag.pseudoClassStateChanged(OPEN, !w.standing());
    tag.pseudoClassStateChanged(LIT, w.highlighted());
    String text = w.standing() ? w.type().label() + " " + w.letter() : w.type().label();
    if (!compact && w.standing() && w.note() != null && w.type() == NsType.UTS) {
      text += " · " + w.note();
    }
    if (!compact && !w.standing()) {
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
    requestLayout();
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
    return in.getTop() + inner + in.getBottom();
  }

  @Override
  protected double computeMinWidth(double height) {
    Insets in = getInsets();
    return in.getLeft() + (content == null ? 0 : content.minWidth(-1)) + in.getRight();
  }

  @Override
  protected double computeMinHeight(double width) {
    Insets in = getInsets();
    double w = width < 0 ? -1 : width - in.getLeft() - in.getRight();
    return in.getTop() + (content == null ? 0 : content.minHeight(w)) + in.getBottom();
  }

  @Override
  protected void layoutChildren() {
    Insets in = getInsets();
    double w = getWidth();
    double h = getHeight();
    if (content != null) {
      content.resizeRelocate(
          in.getLeft(),
          in.getTop(),
          Math.max(0, w - in.getLeft() - in.getRight()),
          Math.max(0, h - in.getTop() - in.getBottom()));
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
      // Staggered along the top edge: each wall's tag one step right of the one outside it, so
      // tags of nested walls never cover each other.
      double pitch = tag.getFont().getSize() * 3.4;
      x = Math.max(2, slot * pitch - offsetInChain() + 6);
      y = band / 2 - th / 2;
    } else {
      x = tag.getFont().getSize() * 0.8;
      y = Math.max(0, (band - th) / 2);
    }
    tag.resizeRelocate(snapPositionX(Math.min(x, Math.max(0, w - tw))), snapPositionY(y), tw, th);
    tag.toFront();
  }

  /** How far right this wall starts from the outermost wall of its chain. */
  private double offsetInChain() {
    double acc = 0;
    Node n = this;
    while (n.getParent() instanceof RingNode outer) {
      acc += n.getLayoutX();
      n = outer;
    }
    return acc;
  }
}
