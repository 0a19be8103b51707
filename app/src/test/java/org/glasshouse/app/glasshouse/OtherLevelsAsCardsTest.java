package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.glasshouse.app.glasshouse.FxSteps.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A class keeps its containers running: at level 09 the levels before it still run, and with "every
 * running container" shown the level-09 house stood in a row with level 00's and 01's, its gauges
 * out of sight under three sets of walls (1366×768, presenter mode, guide open). Containers of
 * other levels are cards; the level's own siblings (level 12 run twice) stand side by side, and a
 * container the student ticks in the compare menu is a house again, whatever its level.
 */
@ExtendWith(ApplicationExtension.class)
class OtherLevelsAsCardsTest {
  private BorderPane root;
  private Stage stage;

  @Start
  void start(Stage stage) {
    this.stage = stage;
    root = FixtureLab.stage(stage, 1366, 768);
  }

  private static String first(Recording r) {
    return r.events(org.glasshouse.app.core.LabEvent.Started.class).get(0).container();
  }

  /**
   * The glass house of the fixtures, each played as this app's run, the third one's first container
   * selected; {@code ids} gets each fixture's first container.
   */
  private GlassHouseView show(List<String> ids, String... fixtures) throws Exception {
    return fx(
        () -> {
          FixtureLab f = new FixtureLab(Fx.EXECUTOR);
          for (String name : fixtures) {
            Recording r = FixtureLab.load(name);
            f.runAndPlay(r);
            ids.add(first(r));
          }
          f.select(ids.get(2));
          GlassHouseView v = new GlassHouseView(f.vm);
          root.setCenter(v.node());
          return v;
        });
  }

  @Test
  void containersOfOtherLevelsAreAsideUntilTicked() {
    FixtureLab f = new FixtureLab();
    Recording one = FixtureLab.load("level-01");
    Recording five = FixtureLab.load("level-05");
    f.runAndPlay(one);
    f.runAndPlay(five);
    f.selectFirst(five);
    SceneModel s = f.scene();
    assertEquals(2, s.houses().size(), "both are shown");
    assertEquals(Set.of(first(one)), s.aside(), "level 01's is a card beside level 05's house");
    assertEquals(List.of(first(five)), s.peers().stream().map(HouseModel::id).toList());
    f.compare.show(first(one), true);
    assertEquals(Set.of(), f.scene().aside(), "ticked: the student's own comparison");
    assertEquals(2, f.scene().peers().size());
  }

  @Test
  void theLevelsSiblingsStandSideBySideTheOthersAreCards() throws Exception {
    List<String> ids = new ArrayList<>();
    GlassHouseView view = show(ids, "level-01", "level-05", "level-12-two");
    settle(root);
    assertEquals(HouseLayout.Layout.FULL, fx(view::layout));
    assertEquals(2, (int) fx(() -> view.diagram().houseCount()), "level 12's pair, as houses");
    assertNotNull(fx(() -> view.diagram().house(ids.get(2))), "the selected one among them");
    assertTrue(fx(() -> view.cards().isVisible()), "the other levels as cards");
    assertNotNull(fx(() -> view.cards().card(ids.get(0))), "level 01's card");
    assertNotNull(fx(() -> view.cards().card(ids.get(1))), "level 05's card");
  }

  /**
   * With F8 at 1366×768 level 09's house fit its area and only the cards of the other levels were
   * below it, yet the line above said "The house is larger than this area": it says what is below.
   * At every height the line, when shown, tells the truth about the house.
   */
  @Test
  void theScrollLineSaysWhetherTheHouseOrOnlyTheCardsAreBelow() throws Exception {
    List<String> ids = new ArrayList<>();
    GlassHouseView view = show(ids, "level-01", "level-03", "level-05");
    int cardsLine = 0;
    int houseLine = 0;
    for (int h = 760; h >= 260; h -= 8) {
      int height = h;
      fx(
          () -> {
            stage.setHeight(height);
            return null;
          });
      settle(root);
      String text = fx(() -> view.scrollHint().isVisible() ? view.scrollHint().getText() : "");
      boolean houseWhole =
          fx(
              () -> {
                javafx.scene.Node house = view.diagram().house(ids.get(2)).rooms();
                javafx.geometry.Bounds b = house.localToScene(house.getLayoutBounds());
                javafx.scene.control.ScrollPane sp = view.scroll();
                javafx.geometry.Bounds v = sp.localToScene(sp.getLayoutBounds());
                return b.getMaxY() <= v.getMaxY() + 1;
              });
      if (text.contains("cards")) {
        cardsLine++;
        assertTrue(houseWhole, height + ": says only cards are below, but the house is cut");
      } else if (text.contains("larger")) {
        houseLine++;
      }
    }
    assertTrue(cardsLine > 0, "some height has the house whole and the cards below it");
    assertTrue(houseLine > 0, "some height has the house itself too tall");
  }
}
