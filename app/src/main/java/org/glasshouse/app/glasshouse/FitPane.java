package org.glasshouse.app.glasshouse;

import javafx.scene.layout.Region;
import javafx.scene.transform.Scale;

/**
 * Fits the picture to its area like a drawing. Smaller than the size it needs to stay legible (the
 * views area of a 1366×768 window at a level with many options), it is laid out at that size and
 * scaled down as a whole, never below its floor (the factor at which its smallest text is still
 * readable). Larger than the picture needs (a window of its own, a projector), it is scaled up, so
 * the walls and the writing grow with the screen instead of leaving it empty. Shapes and text, so
 * any factor is crisp. The arithmetic is {@link HouseLayout#factor}'s.
 */
final class FitPane extends Region {
  private final Region content;
  private final Scale scale = new Scale(1, 1, 0, 0);
  private double minW;
  private double minH;
  private double lastW = -1;
  private double lastH = -1;
  private double factor = 1;
  private double floor;
  private double minTextPx;
  private final java.util.function.DoubleSupplier em;
  private boolean refit = true;
  private boolean enlarge = true;

  /**
   * @param content the picture
   * @param em the size of the view's text, for a picture without text
   */
  FitPane(Region content, java.util.function.DoubleSupplier em) {
    this.content = content;
    this.em = em;
    getChildren().add(content);
    content.getTransforms().add(scale);
    // No fixed least size: computeMinWidth and computeMinHeight are the picture's at its floor,
    // which is what makes the scroll pane around it scroll (a fixed 0 here once hid a house taller
    // than its area past the bottom, with no scroll bar to reach it).
  }

  /** The smallest size the picture is laid out at, in pixels. */
  void minimum(double w, double h) {
    if (w != minW || h != minH) {
      minW = w;
      minH = h;
      refit();
    }
  }

  /**
   * The least size of the picture's text on the screen, in pixels (0: none). The picture is never
   * drawn at a factor below the one that brings its smallest text to that size (its floor): a
   * picture that would need less is laid out at the floor and grows taller than the area (its
   * scroll pane scrolls), and the view chooses a layout with fewer houses before it comes to that.
   */
  void minText(double px) {
    minTextPx = px;
    remeasure();
  }

  /**
   * Measures the floor again from the picture's smallest text as styled now: the view calls it once
   * CSS has been applied to what it changed; every layout pass that fits the picture anew does too.
   */
  void remeasure() {
    double f =
        minTextPx <= 0
            ? 0
            : HouseLayout.floor(minTextPx, Legibility.smallestText(content), em.getAsDouble());
    if (f != floor) {
      floor = f;
      refit();
    }
  }

  double floor() {
    return floor;
  }

  /**
   * Whether the picture fits {@code w} × {@code h} pixels at a factor no less than the floor
   * (always true without a floor).
   */
  boolean fits(double w, double h) {
    return HouseLayout.fits(
        w, h, floor, floor <= 0 ? 0 : content.minWidth(-1), content::prefHeight);
  }

  /**
   * Lays the picture out now as it would be in an area of {@code w} × {@code h} pixels, at the
   * factor it would be drawn at, so that what its labels show can be read before it is drawn. The
   * next layout pass lays it out again.
   */
  void layoutAsIn(double w, double h) {
    double f = fit(w, h);
    content.resize(w / f, Math.max(h / f, content.prefHeight(w / f)));
    content.layout();
    refit();
  }

  /**
   * Whether the picture may be drawn larger than its own size (a house on a projector); not an
   * empty host, whose one line would be drawn twice its size.
   */
  void enlarge(boolean on) {
    if (on != enlarge) {
      enlarge = on;
      refit();
    }
  }

  /** The picture's structure changed (houses came or went, density changed): fit it again. */
  void refit() {
    refit = true;
    requestLayout();
  }

  /** The factor the picture is drawn at. */
  double factor() {
    return factor;
  }

  @Override
  public javafx.geometry.Orientation getContentBias() {
    return javafx.geometry.Orientation.HORIZONTAL;
  }

  @Override
  protected double computePrefWidth(double height) {
    return content.prefWidth(-1);
  }

  /** With a floor, as wide as the picture's least width at the floor: narrower, it scrolls. */
  @Override
  protected double computeMinWidth(double height) {
    return floor > 0 ? content.minWidth(-1) * floor : 0;
  }

  /**
   * With a floor, as tall as the picture at the floor: shorter, it scrolls. Asked without a width,
   * at the width it has: a scroll pane that fits its content to its height shows its scroll bar
   * only when the content's least height for no width in particular exceeds it (0 here once left a
   * house taller than its area without one).
   */
  @Override
  protected double computeMinHeight(double width) {
    double w = width > 0 ? width : getWidth();
    if (floor <= 0 || w <= 0) {
      return 0;
    }
    return Math.ceil(content.prefHeight(w / floor) * floor);
  }

  @Override
  protected double computePrefHeight(double width) {
    return content.prefHeight(width);
  }

  @Override
  protected void layoutChildren() {
    double w = getWidth();
    double h = getHeight();
    if (w <= 0 || h <= 0) {
      return;
    }
    // The floor is not measured here: a floor changed during the layout pass changes this pane's
    // least height after its parents were laid out, and JavaFX drops a layout request made while
    // the parent lays out: the scroll pane kept its old height, the house's last row past its
    // bottom with no scroll bar. The view measures it after each pulse ({@link #remeasure}).
    if (refit || w != lastW || h != lastH) {
      factor = fit(w, h);
      lastW = w;
      lastH = h;
      refit = false;
    } else if (factor > floor && content.prefHeight(w / factor) * factor > h + 0.5) {
      // The picture grew since it was fitted (a gauge's limits read, a chip more) without a refit:
      // at the old factor its last row would be drawn past the area's bottom, where no scroll bar
      // reaches. Fitted again it is drawn smaller, never below the floor; at the floor it is as
      // tall as its least height, which the scroll pane around it scrolls.
      factor = fit(w, h);
    }
    // At the floor a picture taller than the area keeps its height (the scroll pane around scrolls)
    // rather than squeezing its houses.
    double ch = h / factor;
    if (floor > 0 && factor <= floor) {
      ch = Math.max(ch, content.prefHeight(w / factor));
    }
    content.resizeRelocate(0, 0, w / factor, ch);
    scale.setX(factor);
    scale.setY(factor);
  }

  private double fit(double w, double h) {
    return HouseLayout.factor(
        w, h, minW, minH, floor, enlarge ? HouseLayout.MAX_UP : 1, content::prefHeight);
  }
}
