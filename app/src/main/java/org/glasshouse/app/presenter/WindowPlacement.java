package org.glasshouse.app.presenter;

import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.glasshouse.app.core.Preferences;

/**
 * Where the window opens: where it was last time (if that place is still on a screen), else — the
 * first start — filling the primary screen's work area, so a 1920×1080 screen gets a 1920×1080
 * window and not a 1366×768 one. Moves and resizes are remembered, except in full screen (presenter
 * mode) and maximised, which are states, not places.
 */
public final class WindowPlacement {
  private WindowPlacement() {}

  /** Places {@code stage} before it is shown and remembers where the user puts it. */
  public static void restore(Stage stage, Preferences prefs) {
    Rectangle2D work = Screen.getPrimary().getVisualBounds();
    if (prefs.hasWindow() && onAScreen(prefs)) {
      stage.setX(prefs.xProperty().get());
      stage.setY(prefs.yProperty().get());
      stage.setWidth(Math.max(stage.getMinWidth(), prefs.widthProperty().get()));
      stage.setHeight(Math.max(stage.getMinHeight(), prefs.heightProperty().get()));
    } else {
      stage.setX(work.getMinX());
      stage.setY(work.getMinY());
      stage.setWidth(Math.max(stage.getMinWidth(), work.getWidth()));
      stage.setHeight(Math.max(stage.getMinHeight(), work.getHeight()));
    }
    stage.xProperty().addListener((o, a, b) -> remember(stage, prefs));
    stage.yProperty().addListener((o, a, b) -> remember(stage, prefs));
    stage.widthProperty().addListener((o, a, b) -> remember(stage, prefs));
    stage.heightProperty().addListener((o, a, b) -> remember(stage, prefs));
  }

  private static boolean onAScreen(Preferences prefs) {
    double x = prefs.xProperty().get();
    double y = prefs.yProperty().get();
    // The title bar's corner must be on some screen, or the window could not be dragged back.
    return !Double.isNaN(x)
        && !Double.isNaN(y)
        && !Screen.getScreensForRectangle(x, y, 100, 40).isEmpty();
  }

  private static void remember(Stage stage, Preferences prefs) {
    if (!stage.isShowing() || stage.isFullScreen() || stage.isMaximized()) {
      return;
    }
    prefs.xProperty().set(stage.getX());
    prefs.yProperty().set(stage.getY());
    prefs.widthProperty().set(stage.getWidth());
    prefs.heightProperty().set(stage.getHeight());
  }
}
