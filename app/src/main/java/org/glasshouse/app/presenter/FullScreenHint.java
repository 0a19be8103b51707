package org.glasshouse.app.presenter;

import javafx.animation.FadeTransition;
import javafx.animation.PauseTransition;
import javafx.animation.SequentialTransition;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.util.Duration;

/**
 * How to leave full screen ("F5 leaves presenter mode"), shown for 4 s when a window goes full
 * screen and faded out in 1 s: the app's own, a node of the window's scene. JavaFX's exit-hint
 * overlay is never used ({@link Appearance}): in a window that lost its scene while it faded it
 * threw NullPointerExceptions in the renderer, after which no pulse of the JVM completed.
 */
public final class FullScreenHint {
  private final Label label;
  private final SequentialTransition fade;

  public FullScreenHint(String text) {
    label = new Label(text);
    label.getStyleClass().add("full-screen-hint");
    label.setMinWidth(Region.USE_PREF_SIZE);
    label.setVisible(false);
    label.managedProperty().bind(label.visibleProperty());
    FadeTransition out = new FadeTransition(Duration.seconds(1));
    out.setToValue(0);
    fade = new SequentialTransition(label, new PauseTransition(Duration.seconds(4)), out);
    fade.setOnFinished(e -> label.setVisible(false));
  }

  public Label node() {
    return label;
  }

  /** Shows the hint for a while ({@code true}: the window went full screen) or hides it at once. */
  public void show(boolean on) {
    fade.stop();
    label.setOpacity(1);
    label.setVisible(on);
    if (on) {
      fade.playFromStart();
    }
  }
}
