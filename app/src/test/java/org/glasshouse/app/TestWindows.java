package org.glasshouse.app;

import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.HelperStarter;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.levels.ProgressStore;
import org.glasshouse.app.presenter.Appearance;

/**
 * The window tests' view-model and window: events on the FX thread, work run in place, progress in
 * {@code progress}, a helper (never started by these tests) on {@code socket}; the main window
 * shown as the app shows it. One place instead of the same setup copied into every window test.
 */
public final class TestWindows {
  private TestWindows() {}

  /**
   * A view-model over {@code lab}, keeping its progress and its helper socket under {@code dir}.
   */
  public static AppViewModel viewModel(LabService lab, Path dir) {
    return viewModel(lab, dir.resolve("p"), dir.resolve("s.sock"));
  }

  /** A view-model over {@code lab} with its progress store and helper socket where given. */
  public static AppViewModel viewModel(LabService lab, Path progress, Path socket) {
    return new AppViewModel(
        lab, Fx.EXECUTOR, Runnable::run, new ProgressStore(progress), new HelperStarter(socket));
  }

  /** A shown main window: its view, and the appearance (theme, presenter) it installed. */
  public record Window(MainView view, Appearance appearance) {}

  /**
   * Shows the main window over {@code vm} on {@code stage} as the app does: the scene at the root's
   * preferred size, the view's stylesheets installed, then the window placed at {@code width} ×
   * {@code height}. On the FX thread (a {@code @Start} method, or {@code robot.interact}).
   */
  public static Window show(Stage stage, AppViewModel vm, double width, double height) {
    MainView view = new MainView(vm);
    Scene scene = new Scene(view.root());
    Appearance appearance = view.install(scene);
    stage.setScene(scene);
    stage.setWidth(width);
    stage.setHeight(height);
    stage.show();
    return new Window(view, appearance);
  }
}
