package org.glasshouse.app.glasshouse;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * The line over a house too tall for its area offers what helps: F8 (the views get the whole right
 * side) while it is off, and not once it is on (house8's presenter walk: "…or F8 gives the views
 * the whole right side" with F8 already on).
 */
@ExtendWith(ApplicationExtension.class)
class ScrollHintTest {

  @Test
  void theHintNeverOffersF8WhenF8IsAlreadyOn(FxRobot robot) {
    FixtureLab f = new FixtureLab();
    GlassHouseView[] view = new GlassHouseView[1];
    robot.interact(() -> view[0] = new GlassHouseView(f.vm));
    assertTrue(view[0].scrollHint().getText().contains("F8"), view[0].scrollHint().getText());
    robot.interact(() -> view[0].viewsFocusedProperty().set(true));
    String on = view[0].scrollHint().getText();
    assertFalse(on.contains("F8"), on);
    assertTrue(on.contains("scroll"), on);
  }

  /**
   * F8 in presenter mode puts the guide in its drawer: the line said "F7 puts the guide away for
   * more width" over a guide already away (house14's walk, level 12 at 1366×768).
   */
  @Test
  void theHintNeverOffersF7WhenTheGuideIsAlreadyAway(FxRobot robot) {
    FixtureLab f = new FixtureLab();
    GlassHouseView[] view = new GlassHouseView[1];
    robot.interact(() -> view[0] = new GlassHouseView(f.vm));
    robot.interact(() -> view[0].viewsFocusedProperty().set(true));
    assertTrue(view[0].scrollHint().getText().contains("F7"), view[0].scrollHint().getText());
    robot.interact(() -> view[0].guideShownProperty().set(false));
    String away = view[0].scrollHint().getText();
    assertFalse(away.contains("F7") || away.contains("F8"), away);
    assertTrue(away.contains("scroll"), away);
  }
}
