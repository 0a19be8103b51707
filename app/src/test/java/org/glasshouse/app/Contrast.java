package org.glasshouse.app;

import javafx.scene.paint.Color;

/** WCAG 2 contrast, for the tests that check text is readable against what is behind it. */
public final class Contrast {
  private Contrast() {}

  /** The WCAG 2 contrast ratio of {@code a} and {@code b}: 1 (none) to 21 (black on white). */
  public static double ratio(Color a, Color b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** The WCAG 2 relative luminance of {@code c}: 0 (black) to 1 (white). */
  public static double luminance(Color c) {
    return 0.2126 * lin(c.getRed()) + 0.7152 * lin(c.getGreen()) + 0.0722 * lin(c.getBlue());
  }

  private static double lin(double v) {
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }
}
