package org.glasshouse.app.glasshouse;

import javafx.scene.layout.Region;
import javafx.scene.transform.Scale;

/**
 * Fits the picture to its area like a drawing. Smaller than the size it needs to stay legible (the
 * views area of a 1366×768 window at a level with many options), it is laid out at that size and
 * scaled down as a whole: every wall and room stays in sight. Larger than the picture needs (a
 * window of its own, a projector), it is scaled up, so the walls and the writing grow with the
 * screen instead of leaving it empty. Shapes and text, so any factor is crisp.
 */
final class FitPane extends Region {
  /** The most the picture is enlarged. */
  static final double MAX_UP = 1.9;

  /** The most a picture too tall for its area is shrunk beyond its smallest legible size. */
  static final double MIN_DOWN = 0.55;

  private final Region content;
  private final Scale scale = new Scale(1, 1, 0, 0);
  private double minW;
  private double minH;
  private double lastW = -1;
  private double lastH = -1;
  private double factor = 1;
  private double floor;
  private boolean refit = true;

  FitPane(Region content) {
    this.content = content;
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
   * The least factor the picture is drawn at (0: none). Presenter mode sets it so that the smallest
   * text stays readable: a picture that would need less is laid out at this factor and grows taller
   * than the area (its scroll pane scrolls), and the view chooses a layout with fewer houses before
   * it comes to that.
   */
  void floor(double f) {
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
    if (floor <= 0) {
      return true;
    }
    return content.minWidth(-1) * floor <= w + 0.5
        && content.prefHeight(w / floor) * floor <= h + 0.5;
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
    return Math.max(floor, fitWithoutFloor(w, h));
  }

  private double fitWithoutFloor(double w, double h) {
    double cap = w < minW || h < minH ? Math.min(w / Math.max(w, minW), h / Math.max(h, minH)) : 1;
    // Taller than the area at that size (a short views area, two houses): shrunk further, down to
    // MIN_DOWN of it, rather than cut at the bottom.
    if (content.prefHeight(w / cap) * cap > h) {
      double lo = cap * MIN_DOWN;
      double hi = cap;
      for (int i = 0; i < 7; i++) {
        double mid = (lo + hi) / 2;
        if (content.prefHeight(w / mid) * mid <= h) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
    if (cap < 1) {
      return cap;
    }
    // Enlarged as far as its height, laid out 1/f as wide, still fits: a single house on a
    // projector or in a window of its own fills the height too, its rooms two by two rather than
    // one short row across the width with the rest of the screen empty.
    double hi = MAX_UP;
    if (content.prefHeight(w) >= h) {
      return 1;
    }
    double lo = 1;
    for (int i = 0; i < 7; i++) {
      double mid = (lo + hi) / 2;
      if (content.prefHeight(w / mid) * mid <= h) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
