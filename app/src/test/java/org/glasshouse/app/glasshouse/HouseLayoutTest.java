package org.glasshouse.app.glasshouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.glasshouse.app.glasshouse.HouseLayout.Layout;
import org.junit.jupiter.api.Test;

/** The glass house's layout rules and size arithmetic, without a toolkit. */
class HouseLayoutTest {
  /** A picture whose text reflows: laid out narrower, it grows taller (a constant area). */
  private static DoubleUnaryOperator reflowing(double area) {
    return w -> area / w;
  }

  @Test
  void theFloorIsElevenPixelsAtADeskAndThirteenOrFourteenOnAProjector() {
    assertEquals(11, HouseLayout.minTextPx(false, 768));
    assertEquals(11, HouseLayout.minTextPx(false, 1080));
    assertEquals(13, HouseLayout.minTextPx(true, 768));
    assertEquals(14, HouseLayout.minTextPx(true, 1080));
    assertTrue(HouseLayout.NORMAL_MIN_TEXT_PX > 0, "normal mode has a floor too");
    assertTrue(HouseLayout.NORMAL_MIN_TEXT_PX < HouseLayout.PRESENTER_MIN_TEXT_PX);
  }

  @Test
  void oneHouseIsNeverDrawnAsFocusItHasNoOthersToCard() {
    List<Layout> tried = new ArrayList<>();
    Layout l =
        HouseLayout.choose(
            1,
            x -> {
              tried.add(x);
              return false;
            });
    assertEquals(List.of(Layout.FULL), tried);
    assertEquals(Layout.FULL, l);
  }

  /**
   * The bug that kept house4 out of main: a level-09 house in a 1366×768 window, taller by a line
   * once its OOM chip came, fell to a card, and the memory gauge with its OOM marker (the lesson)
   * went with it. The house of the container in focus is never a card: too tall, it scrolls.
   */
  @Test
  void oneHouseTooTallIsStillDrawnNotACard() {
    assertEquals(Layout.FULL, HouseLayout.choose(1, x -> false), "one house, nothing fits");
    assertEquals(Layout.FULL, HouseLayout.frugal(Layout.FULL, 1), "a house that grew stays");
    assertEquals(
        Layout.FOCUS,
        HouseLayout.choose(3, x -> false),
        "several, nothing fits: the one in focus keeps its house, the others are cards");
    assertEquals(Layout.FOCUS, HouseLayout.frugal(Layout.FOCUS, 3));
    for (int n = 1; n <= 20; n++) {
      assertTrue(
          HouseLayout.candidates(n).stream().noneMatch(l -> l.name().equals("CARDS")),
          n + " houses: every layout draws the house in focus");
    }
  }

  @Test
  void theRichestLayoutThatFitsIsChosen() {
    assertEquals(Layout.FULL, HouseLayout.choose(2, x -> true));
    assertEquals(Layout.FOCUS, HouseLayout.choose(2, x -> x != Layout.FULL));
    assertEquals(Layout.FOCUS, HouseLayout.choose(3, x -> false), "nothing fits: FOCUS, scrolled");
    List<Layout> tried = new ArrayList<>();
    HouseLayout.choose(
        2,
        x -> {
          tried.add(x);
          return x == Layout.FOCUS;
        });
    assertEquals(List.of(Layout.FULL, Layout.FOCUS), tried, "stops at the first that fits");
  }

  /**
   * Two houses side by side first give up the host's column, then the compact density; where their
   * rooms must stand one above the other anyway, the host's column goes first (the widest narrow
   * houses). One house, or the focus layout, gives up nothing.
   */
  @Test
  void twoHousesGiveUpTheHostColumnBeforeTheyBecomeAHouseAndACard() {
    assertEquals(
        List.of(
            HouseLayout.Squeeze.NONE,
            HouseLayout.Squeeze.HOST_AWAY,
            HouseLayout.Squeeze.HOST_AWAY_ROOMY),
        HouseLayout.squeezes(Layout.FULL, 2, false));
    assertEquals(HouseLayout.Squeeze.HOST_AWAY, HouseLayout.squeezes(Layout.FULL, 2, true).get(0));
    assertEquals(List.of(HouseLayout.Squeeze.NONE), HouseLayout.squeezes(Layout.FULL, 1, false));
    assertEquals(List.of(HouseLayout.Squeeze.NONE), HouseLayout.squeezes(Layout.FOCUS, 2, true));
    assertTrue(HouseLayout.Squeeze.HOST_AWAY_ROOMY.roomy());
    assertFalse(HouseLayout.Squeeze.HOST_AWAY.roomy());
  }

  @Test
  void aHouseThatGrewStepsDownOneLayoutAtATime() {
    assertEquals(Layout.FOCUS, HouseLayout.frugal(Layout.FULL, 2));
    assertEquals(Layout.FULL, HouseLayout.frugal(Layout.FULL, 1), "one house: no other");
    assertEquals(Layout.FOCUS, HouseLayout.frugal(Layout.FOCUS, 2), "the last one stays");
  }

  @Test
  void theFloorIsTheFactorThatBringsTheSmallestTextToTheLeastSize() {
    // Wall tags are 0.78 em of 13 px: 10.14 px at factor 1, so 11 px needs 1.085.
    assertEquals(11 / (13 * 0.78), HouseLayout.floor(11, 13 * 0.78, 13), 1e-9);
    assertEquals(13 / 9.0, HouseLayout.floor(13, 9, 13), 1e-9);
    assertEquals(1, HouseLayout.floor(13, Double.MAX_VALUE, 13), 1e-9, "no text: the em");
    assertEquals(0, HouseLayout.floor(0, 9, 13), "no floor asked, none set");
  }

  @Test
  void shortAreasAreCompact() {
    assertTrue(HouseLayout.compact(400, 13));
    assertFalse(HouseLayout.compact(33 * 13 + 1, 13));
    assertFalse(HouseLayout.compact(0, 13), "not laid out yet");
  }

  @Test
  void aPictureFitsWhenItsLeastWidthAndItsReflowedHeightDoAtTheFloor() {
    DoubleUnaryOperator pic = reflowing(100_000);
    // At 1.2 the picture is laid out 500 / 1.2 = 417 wide: 240 tall, 288 on screen.
    assertTrue(HouseLayout.fits(500, 300, 1.2, 400, pic));
    assertFalse(HouseLayout.fits(500, 280, 1.2, 400, pic), "too tall at the floor");
    assertFalse(HouseLayout.fits(500, 300, 1.2, 450, pic), "its least width times 1.2 is 540");
    assertTrue(HouseLayout.fits(10, 10, 0, 1e6, pic), "no floor: anything fits, scaled");
  }

  @Test
  void theFactorNeverGoesBelowTheFloor() {
    DoubleUnaryOperator tall = w -> 1000;
    // Without a floor a picture three times too tall is shrunk to MIN_DOWN: the old strip.
    assertEquals(
        HouseLayout.MIN_DOWN,
        HouseLayout.factor(800, 300, 0, 0, 0, HouseLayout.MAX_UP, tall),
        1e-9,
        "the strip");
    assertEquals(0.8, HouseLayout.factor(800, 300, 0, 0, 0.8, HouseLayout.MAX_UP, tall), 1e-9);
    for (double floor : new double[] {0.5, 1, 1.085, 1.4}) {
      for (double h : new double[] {100, 300, 700, 2000}) {
        double f =
            HouseLayout.factor(1000, h, 520, 175, floor, HouseLayout.MAX_UP, reflowing(300_000));
        assertTrue(f >= floor, "factor " + f + " below floor " + floor + " at height " + h);
      }
    }
  }

  @Test
  void roomToSpareEnlargesThePictureAsFarAsItsHeightAllows() {
    double f = HouseLayout.factor(1000, 300, 0, 0, 0, HouseLayout.MAX_UP, w -> 200);
    assertTrue(f <= 1.5 && f > 1.45, "200 px tall in 300: about 1.5, got " + f);
    assertEquals(
        HouseLayout.MAX_UP,
        HouseLayout.factor(1000, 2000, 0, 0, 0, HouseLayout.MAX_UP, w -> 100),
        0.01,
        "never more than MAX_UP");
    assertEquals(
        1,
        HouseLayout.factor(1000, 300, 0, 0, 0, HouseLayout.MAX_UP, w -> 300),
        1e-9,
        "exactly fits");
  }

  @Test
  void belowItsLeastLegibleSizeThePictureIsScaledDownWhole() {
    // An area half the least width: scaled to 0.5 (its height then fits).
    assertEquals(
        0.5, HouseLayout.factor(260, 1000, 520, 175, 0, HouseLayout.MAX_UP, w -> 175), 1e-9);
    // The same with a floor of 0.9: drawn at 0.9, wider than the area (its scroll pane scrolls).
    assertEquals(
        0.9, HouseLayout.factor(260, 1000, 520, 175, 0.9, HouseLayout.MAX_UP, w -> 175), 1e-9);
  }

  @Test
  void everyLayoutIsACandidateForTwoHouses() {
    assertEquals(List.of(Layout.values()), HouseLayout.candidates(2));
    assertEquals(List.of(Layout.FULL), HouseLayout.candidates(1));
  }

  /**
   * Up to four houses are drawn in their walls (columns, then rows: four {@code run -d} at level
   * 12), where they fit; the one in focus and cards where they do not.
   */
  @Test
  void upToFourHousesAreDrawnWhereTheyFit() {
    for (int n = 2; n <= HouseLayout.MAX_HOUSES; n++) {
      assertEquals(List.of(Layout.values()), HouseLayout.candidates(n), n + " houses");
      assertEquals(Layout.FULL, HouseLayout.choose(n, x -> true), n + " houses, all fit");
      assertEquals(Layout.FOCUS, HouseLayout.choose(n, x -> x == Layout.FOCUS), n + " houses");
    }
  }

  /**
   * The lead's class walk (00 → 06, nothing stopped: seven running), 1366×768 presenter + F8: all
   * seven houses were drawn in one picture, walls of seven colours crossing, names on names. More
   * than {@link HouseLayout#MAX_HOUSES} houses are never all drawn, even where the fit test says
   * they would: the one in focus is the picture, the others are cards.
   */
  @Test
  void moreThanFourHousesAreNeverAllDrawn() {
    for (int n = HouseLayout.MAX_HOUSES + 1; n <= 24; n++) {
      assertEquals(List.of(Layout.FOCUS), HouseLayout.candidates(n), n + " houses");
      assertEquals(Layout.FOCUS, HouseLayout.choose(n, x -> true), n + " houses, all fit");
      assertEquals(Layout.FOCUS, HouseLayout.frugal(Layout.FULL, n));
    }
  }
}
