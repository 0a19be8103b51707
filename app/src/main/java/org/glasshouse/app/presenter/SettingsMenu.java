package org.glasshouse.app.presenter;

import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.glasshouse.app.core.Preferences;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The header's settings menu: text size, and what closing the window does to the containers (they
 * keep running unless a classroom asks for them all to go). Every choice is a {@link Preferences}
 * property, so it is remembered.
 */
public final class SettingsMenu {
  /** Larger text: Ctrl+= (and Ctrl++ on keyboards with a plus key). */
  public static final KeyCombination LARGER =
      new KeyCodeCombination(KeyCode.EQUALS, KeyCombination.SHORTCUT_DOWN);

  public static final KeyCombination SMALLER =
      new KeyCodeCombination(KeyCode.MINUS, KeyCombination.SHORTCUT_DOWN);

  /** Quit: Ctrl+Q, what a desktop user tries first. It closes the window, nothing more. */
  public static final KeyCombination QUIT =
      new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN);

  private final MenuButton button = new MenuButton(null, new FontIcon(Feather.SETTINGS));

  public SettingsMenu(Preferences prefs) {
    button.setId("settings");
    button.getStyleClass().addAll("flat", "button-icon", "settings-menu");
    button.setTooltip(new Tooltip("Settings"));
    MenuItem larger = new MenuItem("Larger text");
    larger.setId("text-larger");
    larger.setAccelerator(LARGER);
    larger.setOnAction(e -> larger(prefs, +1));
    MenuItem smaller = new MenuItem("Smaller text");
    smaller.setId("text-smaller");
    smaller.setAccelerator(SMALLER);
    smaller.setOnAction(e -> larger(prefs, -1));
    MenuItem reset = new MenuItem("Normal text size");
    reset.setOnAction(e -> prefs.fontSizeProperty().set(Preferences.DEFAULT_FONT_SIZE));
    CheckMenuItem removeOnExit = new CheckMenuItem("Remove all containers when Glasshouse closes");
    removeOnExit.setId("remove-on-exit");
    removeOnExit.selectedProperty().bindBidirectional(prefs.removeOnExitProperty());
    Label note =
        new Label(
            "Otherwise closing the window leaves the containers running,\n"
                + "and the next start of Glasshouse re-attaches to them.");
    note.getStyleClass().add("muted");
    CustomMenuItem noteItem = new CustomMenuItem(note, false);
    noteItem.setId("close-note");
    MenuItem quit = new MenuItem("Quit");
    quit.setId("quit");
    quit.setAccelerator(QUIT);
    quit.setOnAction(
        e -> {
          if (button.getScene() != null) {
            quit(button.getScene().getWindow());
          }
        });
    button
        .getItems()
        .addAll(
            larger,
            smaller,
            reset,
            new SeparatorMenuItem(),
            removeOnExit,
            noteItem,
            new SeparatorMenuItem(),
            quit);
  }

  public MenuButton node() {
    return button;
  }

  /**
   * Quits as the window's close button does, by the same road: a close request the window's own
   * handlers see, then the window hides (its owned windows, the glass house's, with it) and the
   * application stops, which removes the containers only if "remove all" is on.
   */
  public static void quit(Window window) {
    if (window != null && window.isShowing()) {
      window.fireEvent(new WindowEvent(window, WindowEvent.WINDOW_CLOSE_REQUEST));
    }
  }

  /** Steps the text size by {@code step} points, within the bounds. */
  public static void larger(Preferences prefs, int step) {
    int size = prefs.fontSizeProperty().get() + step;
    prefs
        .fontSizeProperty()
        .set(Math.max(Preferences.MIN_FONT_SIZE, Math.min(Preferences.MAX_FONT_SIZE, size)));
  }
}
