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
}
