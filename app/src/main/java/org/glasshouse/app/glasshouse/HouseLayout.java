package org.glasshouse.app.glasshouse;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Predicate;

/**
 * How the glass house fits its area, as arithmetic: the smallest text allowed, which layout holds
 * the containers shown (every house, the house in focus and cards, or cards only), when the picture
 * turns compact, and the factor the picture is drawn at. No JavaFX here: the view measures its
 * nodes and hands the measures in, so these rules are tested without a toolkit.
 *
 * <p>The rule, in presenter mode and out of it: no text of the picture is drawn smaller than {@link
 * #minTextPx}. Up to {@link #MAX_HOUSES} houses are drawn: as many side by side as keep each house
 * at its least readable width (its rooms one above the other, every header whole), the others
 * wrapped into rows below; taller than the area, they scroll together. More than that, or houses
 * whose labels are cut even one to a row, and the container in focus keeps its house while the
 * others become cards ({@link Layout#FOCUS}). The house in focus is never a card: where even it
 * does not fit, it scrolls. Its gauges are the lesson of levels 08, 09 and 12 (an OOM kill is
 * marked on the memory gauge), and a card has none; a house that grows by a line when that marker
 * comes must not vanish at the moment it has something to show. The picture is never shrunk into a
 * strip of text nobody can read.
 */
final class HouseLayout {
  /** The smallest text in presenter mode, in pixels on the screen (a 1366×768 projector). */
  static final double PRESENTER_MIN_TEXT_PX = 13;

  /** The same on a screen at least {@link #LARGE_SCREEN_PX} tall (1920×1080): smaller pixels. */
  static final double PRESENTER_MIN_TEXT_PX_LARGE = 14;

  /**
   * The smallest text outside presenter mode, at a desk: 11 pixels, a little under the app's
   * default 13-pixel text (the picture's small print — wall tags, room headers — is 0.78 of it).
   */
  static final double NORMAL_MIN_TEXT_PX = 11;

  /** A screen this tall or taller has the larger presenter floor. */
  static final double LARGE_SCREEN_PX = 1000;

  /** Below this many lines of text (in the view's em) the picture turns compact. */
  static final double COMPACT_BELOW_EM = 33;

  /** The most the picture is enlarged. */
  static final double MAX_UP = 1.9;

  /** Without a floor, the most a picture too tall is shrunk beyond its smallest legible size. */
  static final double MIN_DOWN = 0.55;

  /** How the containers shown are drawn, from the richest to the most frugal. */
  enum Layout {
    /** Every house in its walls, side by side. */
    FULL,
    /** The house of the container in focus; the others as cards below it. */
    FOCUS
  }

  private HouseLayout() {}

  /** The smallest text allowed, in pixels, in presenter mode or not, on a screen this tall. */
  static double minTextPx(boolean presenter, double screenHeight) {
    if (!presenter) {
      return NORMAL_MIN_TEXT_PX;
    }
    return screenHeight >= LARGE_SCREEN_PX ? PRESENTER_MIN_TEXT_PX_LARGE : PRESENTER_MIN_TEXT_PX;
  }

  /**
   * The most houses drawn, in columns then rows; with more, the one in focus is drawn and the rest
   * carded.
   */
  static final int MAX_HOUSES = 4;

  /**
   * The layouts worth trying for {@code houses} houses, richest first: each draws the house in
   * focus. Up to {@link #MAX_HOUSES} stand in their walls, side by side where they fit, in rows
   * where they do not (level 08's pair, a compared pair, four {@code run -d} at level 12); more
   * never do: a class that never stops its containers (a walk 00 → 06 leaves seven running) would
   * scroll through seven sets of walls to find the one it just started. The house in focus is the
   * picture; the others are cards.
   */
  static List<Layout> candidates(int houses) {
    if (houses < 2) {
      return List.of(Layout.FULL);
    }
    return houses <= MAX_HOUSES ? List.of(Layout.FULL, Layout.FOCUS) : List.of(Layout.FOCUS);
  }

  /**
   * The richest layout that is {@code wide} enough, trying {@link #candidates} in order; the most
   * frugal when none is. {@code wide} says whether a layout, drawn at the floor in the area's
   * width, shows every label whole; its height does not decide: a layout taller than the area
   * scrolls. Two houses side by side are never traded for one house and a card because they are
   * taller than the area: the house in focus would scroll in either (a card stands below it), and
   * the card has no CPU gauge — the two CPU gauges next to each other are level 08's lesson.
   */
  static Layout choose(int houses, Predicate<Layout> wide) {
    List<Layout> c = candidates(houses);
    for (Layout l : c) {
      if (wide.test(l)) {
        return l;
      }
    }
    return c.get(c.size() - 1);
  }

  /**
   * What the picture gives up, in order, so that two houses or more stand side by side in an area
   * too narrow for them as they are drawn: nothing; the host's column of facts (they go on its
   * roof, as in the compact picture); that and the compact density, whose wall tags stand in a row
   * along the top edge — six or more tags wider than half of a 1366-pixel window's views area. A
   * short area then scrolls a picture it would have drawn compact.
   */
  enum Squeeze {
    NONE(false, false),
    HOST_AWAY(true, false),
    HOST_AWAY_ROOMY(true, true);

    private final boolean hostAway;
    private final boolean roomy;

    Squeeze(boolean hostAway, boolean roomy) {
      this.hostAway = hostAway;
      this.roomy = roomy;
    }

    /** Whether the host's column is put away. */
    boolean hostAway() {
      return hostAway;
    }

    /** Whether the picture keeps its full density in a short area. */
    boolean roomy() {
      return roomy;
    }
  }

  /**
   * The squeezes worth trying for {@code l} with {@code houses} houses: the least first, for houses
   * whose rooms stay two by two; when their rooms are to stand one above the other anyway ({@code
   * stacked}), the host's column goes first: narrow houses, the widest they can be.
   */
  static List<Squeeze> squeezes(Layout l, int houses, boolean stacked) {
    if (l != Layout.FULL || houses < 2) {
      return List.of(Squeeze.NONE);
    }
    return stacked
        ? List.of(Squeeze.HOST_AWAY, Squeeze.HOST_AWAY_ROOMY, Squeeze.NONE)
        : List.of(Squeeze.values());
  }

  /** The next more frugal layout after {@code l}, or {@code l} itself when it is the last. */
  static Layout frugal(Layout l, int houses) {
    List<Layout> c = candidates(houses);
    int i = c.indexOf(l);
    return c.get(i < 0 ? c.size() - 1 : Math.min(i + 1, c.size() - 1));
  }

  /**
   * The least factor the picture may be drawn at so that its smallest text, {@code smallestText}
   * pixels at factor 1, is {@code minPx} on the screen; {@code fallback} stands for the smallest
   * text when the picture has none.
   */
  static double floor(double minPx, double smallestText, double fallback) {
    double t = smallestText <= 0 || smallestText == Double.MAX_VALUE ? fallback : smallestText;
    return minPx <= 0 || t <= 0 ? 0 : minPx / t;
  }

  /**
   * Whether an area {@code height} pixels tall, text {@code em} pixels, draws the compact house.
   */
  static boolean compact(double height, double em) {
    return height > 0 && height < COMPACT_BELOW_EM * em;
  }

  /**
   * Whether a picture fits {@code w} × {@code h} pixels at a factor no less than {@code floor}: its
   * least width ({@code minWidth}) and its height laid out that wide ({@code prefHeightAt} of the
   * width at factor 1), both times the floor. Always true without a floor.
   */
  static boolean fits(
      double w, double h, double floor, double minWidth, DoubleUnaryOperator prefHeightAt) {
    if (floor <= 0) {
      return true;
    }
    return minWidth * floor <= w + 0.5 && prefHeightAt.applyAsDouble(w / floor) * floor <= h + 0.5;
  }

  /**
   * The factor a picture is drawn at in an area of {@code w} × {@code h} pixels: never below {@code
   * floor}; below its least legible size {@code minW} × {@code minH} scaled down as a whole
   * (without a floor, down to {@link #MIN_DOWN} of that rather than cut at the bottom); larger than
   * it needs, enlarged up to {@code maxUp} (at most {@link #MAX_UP}; 1 for a picture without a
   * house: the line saying what to do, not drawn at twice its size with the rest of the area empty)
   * as far as its height still fits. {@code prefHeightAt} gives the picture's height laid out at a
   * width, at factor 1.
   */
  static double factor(
      double w,
      double h,
      double minW,
      double minH,
      double floor,
      double maxUp,
      DoubleUnaryOperator prefHeightAt) {
    return Math.max(floor, factorWithoutFloor(w, h, minW, minH, maxUp, prefHeightAt));
  }

  private static double factorWithoutFloor(
      double w,
      double h,
      double minW,
      double minH,
      double maxUp,
      DoubleUnaryOperator prefHeightAt) {
    double cap = w < minW || h < minH ? Math.min(w / Math.max(w, minW), h / Math.max(h, minH)) : 1;
    // Taller than the area at that size (a short views area, two houses): shrunk further, down to
    // MIN_DOWN of it, rather than cut at the bottom.
    if (prefHeightAt.applyAsDouble(w / cap) * cap > h) {
      return largest(cap * MIN_DOWN, cap, w, h, prefHeightAt);
    }
    if (cap < 1) {
      return cap;
    }
    // Enlarged as far as its height, laid out 1/f as wide, still fits: a single house on a
    // projector or in a window of its own fills the height too, its rooms two by two rather than
    // one short row across the width with the rest of the screen empty.
    if (maxUp <= 1 || prefHeightAt.applyAsDouble(w) >= h) {
      return 1;
    }
    return largest(1, maxUp, w, h, prefHeightAt);
  }

  /** The largest factor in [lo, hi] (to within 1/128 of the range) at which the height fits. */
  private static double largest(
      double lo, double hi, double w, double h, DoubleUnaryOperator prefHeightAt) {
    for (int i = 0; i < 7; i++) {
      double mid = (lo + hi) / 2;
      if (prefHeightAt.applyAsDouble(w / mid) * mid <= h) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
