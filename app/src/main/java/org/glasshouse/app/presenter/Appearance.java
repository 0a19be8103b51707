package org.glasshouse.app.presenter;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.util.Objects;
import javafx.application.Application;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * Theme and presenter mode, both pure CSS: light or dark swaps the AtlantaFX user-agent stylesheet
 * and the {@code dark} style class on the root; presenter mode adds {@code presenter.css} (larger
 * type, higher contrast) and full screen. The views are the same in every mode.
 */
public final class Appearance {
  /** The app's own stylesheet, on top of AtlantaFX. */
  public static final String APP_CSS = css("/assets/css/glasshouse.css");

  /** Presenter mode's additions. */
  public static final String PRESENTER_CSS = css("/assets/css/presenter.css");

  private final BooleanProperty dark = new SimpleBooleanProperty(false);
  private final BooleanProperty presenter = new SimpleBooleanProperty(false);
  private final Scene scene;

  public Appearance(Scene scene) {
    this.scene = scene;
    scene.getStylesheets().add(APP_CSS);
    dark.addListener((o, a, b) -> applyTheme());
    presenter.addListener((o, a, b) -> applyPresenter());
    applyTheme();
  }

  public BooleanProperty darkProperty() {
    return dark;
  }

  public BooleanProperty presenterProperty() {
    return presenter;
  }

  public void toggleDark() {
    dark.set(!dark.get());
  }

  public void togglePresenter() {
    presenter.set(!presenter.get());
  }

  private void applyTheme() {
    Application.setUserAgentStylesheet(
        dark.get()
            ? new PrimerDark().getUserAgentStylesheet()
            : new PrimerLight().getUserAgentStylesheet());
    toggleClass("dark", dark.get());
  }

  private void applyPresenter() {
    if (presenter.get()) {
      scene.getStylesheets().add(PRESENTER_CSS);
    } else {
      scene.getStylesheets().remove(PRESENTER_CSS);
    }
    toggleClass("presenter", presenter.get());
    if (scene.getWindow() instanceof Stage stage) {
      stage.setFullScreenExitHint("F5 leaves presenter mode");
      stage.setFullScreen(presenter.get());
    }
  }

  private void toggleClass(String c, boolean on) {
    if (scene.getRoot() == null) {
      return;
    }
    scene.getRoot().getStyleClass().remove(c);
    if (on) {
      scene.getRoot().getStyleClass().add(c);
    }
  }

  private static String css(String resource) {
    return Objects.requireNonNull(
            Appearance.class.getResource(resource), resource + " is missing from the app jar")
        .toExternalForm();
  }
}
