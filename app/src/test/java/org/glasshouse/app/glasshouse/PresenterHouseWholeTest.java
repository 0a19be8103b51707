package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ScrollPane;
import javafx.stage.Stage;
import org.glasshouse.app.terminal.TerminalTabs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Presenter mode on a 1920×1080 projector, the glass house in front after Run, nobody typing: the
 * room looks at the house, and it stands whole under the terminal. The terminal kept its share
 * (~360 px, three lines of it used) and the house of level 06 was cut under its walls, with a line
 * offering F8 (the lead's walk, 2026-12-05). Now the idle terminal yields to {@link
 * TerminalTabs#YIELD_ROWS} rows as at 1366×768, and where the full density is still taller than the
 * area (levels 05 to 12) the house is drawn compact, which stands whole.
 */
@ExtendWith(ApplicationExtension.class)
class PresenterHouseWholeTest {
  private MainWindowLab window;

  @Start
  void start(Stage stage) throws Exception {
    window = new MainWindowLab(stage, "presenter-house-whole");
  }

  @AfterEach
  void removeTempDir() throws Exception {
    window.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"level-05", "level-06-exec", "level-07", "level-12", "level-05 then level-12"})
  void atA1080ProjectorTheHouseStandsWholeUnderTheIdleTerminal(String fixture, FxRobot robot)
      throws Exception {
    window.size(robot, true, 1920, 1080);
    // "level-05 then level-12": a class keeps level 05's container running (a card below the
    // house), then runs level 12.
    String[] runs = fixture.split(" then ");
    if (runs.length > 1) {
      window.play(runs[0]);
    }
    String id = window.runAndPlay(robot, runs[runs.length - 1]);
    window.show(robot, id, false);
    GlassHouseView gh = window.view.glassHouse();
    double[] fit = new double[4];
    String[] how = new String[1];
    robot.interact(
        () -> {
          Node rooms = gh.diagram().house(id).rooms();
          Bounds b = rooms.localToScene(rooms.getLayoutBounds());
          ScrollPane sp = gh.scroll();
          Bounds v = sp.localToScene(sp.getLayoutBounds());
          fit[0] = b.getMaxY();
          fit[1] = v.getMaxY();
          fit[2] = b.getMinY();
          fit[3] = v.getMinY();
          how[0] =
              gh.layout()
                  + ", "
                  + (gh.scrollHint().isVisible() ? gh.scrollHint().getText() : "no scroll line");
        });
    int rows = window.view.terminals().rowsShown();
    String at = fixture + ", presenter 1920×1080";
    System.out.printf(
        "PresenterHouseWholeTest %s: house %.0f–%.0f, its area %.0f–%.0f; terminal %d rows; %s%n",
        at, fit[2], fit[0], fit[3], fit[1], rows, how[0]);
    assertTrue(fit[0] <= fit[1] + 1, at + ": the house is cut (" + fit[0] + " > " + fit[1] + ")");
    assertTrue(rows >= TerminalTabs.YIELD_ROWS, at + ": the terminal has " + rows + " rows");
    // A line may say that other containers' cards are below; not that the house is too large.
    assertFalse(
        fx(() -> gh.scrollHint().isVisible() && gh.scrollHint().getText().contains("larger")),
        at + ": a line says the house scrolls: " + how[0]);
  }
}
