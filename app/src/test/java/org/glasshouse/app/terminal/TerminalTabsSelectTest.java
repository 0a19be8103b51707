package org.glasshouse.app.terminal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * The terminal shown is the selected container's, and only it: after a moment with no terminal on
 * show (a selected container without one), the next tab selected is the only one selected.
 */
@ExtendWith(ApplicationExtension.class)
class TerminalTabsSelectTest {

  @Test
  void afterNoTerminalWasShownTheNextTabIsTheOnlyOneOnShow(FxRobot robot) {
    TabPane pane = new TabPane();
    Tab old = new Tab("old shell");
    Tab next = new Tab("level 03 try it");
    robot.interact(
        () -> {
          pane.getTabs().addAll(old, next);
          pane.getSelectionModel().select(old);
          // The selected container has no terminal here: nothing on show.
          pane.getSelectionModel().clearSelection();
          TerminalTabs.selectOnly(pane, next);
        });
    assertTrue(next.isSelected(), "the new tab is on show");
    assertFalse(old.isSelected(), "and the old shell's is not (JavaFX left it selected)");
    assertTrue(pane.getSelectionModel().getSelectedItem() == next);
  }
}
