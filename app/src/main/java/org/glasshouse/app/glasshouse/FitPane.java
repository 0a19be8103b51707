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

  /**
   * @param content the picture
   * @param em the size of the view's text, for a picture without text
   */
  FitPane(Region content, java.util.function.DoubleSupplier em) {
    this.content = content;
    this.em = em;
    getChildren().add(content);
    content.getTransforms().add(scale);
    setMinSize(0, 0);
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

  /** With a floor, as tall as the picture at the floor: shorter, it scrolls. */
  @Override
  protected double computeMinHeight(double width) {
    if (floor <= 0 || width <= 0) {
      return 0;
    }
    return Math.ceil(content.prefHeight(width / floor) * floor);
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
    if (refit || w != lastW || h != lastH) {
      // CSS has run by now: the floor is measured on the picture as it is drawn.
      remeasure();
      factor = fit(w, h);
      lastW = w;
      lastH = h;
      refit = false;
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
    return HouseLayout.factor(w, h, minW, minH, floor, content::prefHeight);
  }
}
