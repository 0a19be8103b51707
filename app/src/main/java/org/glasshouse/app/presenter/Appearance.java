package org.glasshouse.app.presenter;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.util.Objects;
import javafx.application.Application;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.scene.Scene;
import javafx.scene.input.KeyCombination;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.glasshouse.app.core.Preferences;

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

  /**
   * The themes' window backgrounds (AtlantaFX's {@code -color-bg-default}, the root's background in
   * each): the scene's fill, which the window system paints a new window in until JavaFX's first
   * frame (seconds at start, more under load). The default white made a remembered dark theme start
   * as a white window.
   */
  static final Color DARK_BACKGROUND = Color.web("#0d1117");

  static final Color LIGHT_BACKGROUND = Color.web("#ffffff");

  private final BooleanProperty dark;
  private final BooleanProperty presenter;
  private final IntegerProperty fontSize;
  private final Scene scene;

  /** An appearance that remembers nothing (tests). */
  public Appearance(Scene scene) {
    this(scene, Preferences.inMemory());
  }

  /** Theme, presenter mode and text size are {@code prefs}' properties: a change is remembered. */
  public Appearance(Scene scene, Preferences prefs) {
    this.scene = scene;
    this.dark = prefs.darkProperty();
    this.presenter = prefs.presenterProperty();
    this.fontSize = prefs.fontSizeProperty();
    scene.getStylesheets().add(APP_CSS);
    dark.addListener((o, a, b) -> applyTheme());
    presenter.addListener((o, a, b) -> applyPresenter());
    fontSize.addListener((o, a, b) -> applyFontSize());
    applyTheme();
    applyFontSize();
    if (presenter.get()) {
      applyPresenter();
    }
    // Presenter mode is full screen, and a remembered one too: installed before the scene has its
    // window (as the app does), it goes full screen when the scene gets one, before it shows.
    scene
        .windowProperty()
        .addListener(
            (o, a, w) -> {
              if (presenter.get()) {
                fullScreen();
              }
            });
  }

  /** The text size in points, before presenter mode's enlargement. */
  public IntegerProperty fontSizeProperty() {
    return fontSize;
  }

  /**
   * The terminals' font size for the current text size and mode: a point above the text, and in
   * presenter mode as much larger as the text is (14 → 22 at the default size).
   */
  public float terminalFontSize() {
    float normal = fontSize.get() + 1;
    return presenter.get() ? Math.round(normal * 22f / 14f) : normal;
  }

  // One style class per size, text-size-10 … text-size-20: every size in the stylesheets is in em,
  // so the root's font size scales them all; presenter.css enlarges each one.
  private void applyFontSize() {
    if (scene.getRoot() == null) {
      return;
    }
    scene.getRoot().getStyleClass().removeIf(c -> c.startsWith("text-size-"));
    scene.getRoot().getStyleClass().add("text-size-" + fontSize.get());
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
    scene.setFill(dark.get() ? DARK_BACKGROUND : LIGHT_BACKGROUND);
  }

  private void applyPresenter() {
    if (presenter.get()) {
      scene.getStylesheets().add(PRESENTER_CSS);
    } else {
      scene.getStylesheets().remove(PRESENTER_CSS);
    }
    toggleClass("presenter", presenter.get());
    fullScreen();
  }

  private void fullScreen() {
    if (scene.getWindow() instanceof Stage stage) {
      // None of JavaFX's exit-hint overlay (the header shows the app's own, MainView): a window
      // that lost its scene, or went full screen before it had a peer, while that overlay showed
      // threw NullPointerExceptions in the renderer (GlassScene.updateSceneState,
      // WindowStage.setWarning), after which no pulse of the JVM completed: CI's app tests hung.
      // Nor Esc: it is the terminal's (vi, less); F5 leaves presenter mode, and only F5.
      stage.setFullScreenExitHint("");
      stage.setFullScreenExitKeyCombination(KeyCombination.NO_MATCH);
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
