package org.glasshouse.app.glasshouse;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.glasshouse.app.presenter.FullScreenHint;

/**
 * The glass house in a window of its own, for a second screen or a projector: the same view-model
 * (so it shows exactly what the tab shows, replay included), the main window's stylesheets and
 * theme, following them when they change. F11 toggles full screen, Esc leaves it, closing the
 * window leaves the tab as it was.
 */
final class GlassHouseWindow {
  private GlassHouseWindow() {}

  static void open(GlassHouseViewModel vm, Scene main) {
    GlassHouseView view = new GlassHouseView(vm);
    // Full screen (F11) says how to leave it, at the top for a few seconds: the app's own hint
    // (JavaFX's overlay could hang the renderer, see FullScreenHint).
    FullScreenHint hint = new FullScreenHint("F11 or Esc leaves full screen");
    StackPane.setAlignment(hint.node(), Pos.TOP_CENTER);
    StackPane.setMargin(hint.node(), new Insets(12));
    BorderPane root = new BorderPane(new StackPane(view.node(), hint.node()));
    root.getStyleClass().add("glasshouse");
    Scene scene = new Scene(root, 1280, 800);
    Stage stage = new Stage();
    if (main != null) {
      scene.getStylesheets().setAll(main.getStylesheets());
      main.getStylesheets()
          .addListener(
              (ListChangeListener<String>)
                  c -> scene.getStylesheets().setAll(main.getStylesheets()));
      mirror(main, root);
      main.getRoot()
          .getStyleClass()
          .addListener((ListChangeListener<String>) c -> mirror(main, root));
      if (main.getWindow() != null) {
        stage.initOwner(main.getWindow());
      }
    }
    var b = Screen.getPrimary().getVisualBounds();
    stage.setWidth(Math.min(1400, b.getWidth() * 0.9));
    stage.setHeight(Math.min(900, b.getHeight() * 0.9));
    stage.setTitle("Glasshouse — the glass house");
    stage.setScene(scene);
    scene
        .getAccelerators()
        .put(new KeyCodeCombination(KeyCode.F11), () -> stage.setFullScreen(!stage.isFullScreen()));
    stage.setFullScreenExitHint("");
    stage.fullScreenProperty().addListener((o, a, on) -> hint.show(on));
    stage.show();
    view.node().requestFocus();
  }

  /** Dark and presenter are style classes of the main window's root: the same here. */
  private static void mirror(Scene main, BorderPane root) {
    for (String c : new String[] {"dark", "presenter"}) {
      boolean on = main.getRoot().getStyleClass().contains(c);
      root.getStyleClass().remove(c);
      if (on) {
        root.getStyleClass().add(c);
      }
    }
  }
}
