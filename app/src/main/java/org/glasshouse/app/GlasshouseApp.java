package org.glasshouse.app;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Application;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.HelperLocator;
import org.glasshouse.app.core.HelperStarter;
import org.glasshouse.app.core.Preferences;
import org.glasshouse.app.core.SocketLabService;
import org.glasshouse.app.levels.ProgressStore;
import org.glasshouse.app.presenter.Appearance;
import org.glasshouse.app.presenter.WindowPlacement;

/** The JavaFX application: connects to the helper and shows the main window. */
public final class GlasshouseApp extends Application {
  private SocketLabService lab;
  private ExecutorService io;
  private Preferences preferences;
  private AppViewModel vm;
  private MainView view;

  @Override
  public void start(Stage stage) {
    var socket = HelperLocator.socket(System.getenv());
    lab = new SocketLabService(socket);
    io =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "glasshouse-io");
              t.setDaemon(true);
              return t;
            });
    preferences = Preferences.inUserConfig(io);
    vm =
        new AppViewModel(
            lab,
            Fx.EXECUTOR,
            io,
            ProgressStore.inUserConfig(),
            HelperStarter.forApp(socket),
            preferences);
    // Connect while the window is built and shown (~3.5 s of the ~4.5 s a restart took to show
    // its containers again here, more on a loaded machine): the connection's events wait for the
    // FX thread, so the views built meanwhile still see every one.
    lab.start();
    view = new MainView(vm);
    open(stage, view, preferences);
    applyArguments(vm, view);
  }

  /**
   * Shows {@code view} in {@code stage}, placed where {@code preferences} remember it, in their
   * theme and mode.
   */
  static Appearance open(Stage stage, MainView view, Preferences preferences) {
    stage.setTitle("Glasshouse — build a container, one syscall at a time");
    // The window's icon: the same one the package installs for the desktop's menu.
    for (int size : new int[] {32, 48, 64, 128, 256}) {
      var icon = GlasshouseApp.class.getResource("/assets/icons/glasshouse-" + size + ".png");
      if (icon != null) {
        stage.getIcons().add(new Image(icon.toExternalForm()));
      }
    }
    stage.setMinWidth(1000);
    stage.setMinHeight(640);
    WindowPlacement.restore(stage, preferences);
    // The scene at the window's size, styled (its fill the theme's background) and laid out before
    // the window is mapped: the window system paints a new window in the scene's fill until the
    // first frame, and that frame no longer waits for the first CSS and layout pass (~0.8 s here,
    // seconds under load) with the window on screen. Without a size the scene was first laid out
    // at the root's preferred size, wider than the window, then again at the window's.
    // A remembered presenter mode opens full screen (Appearance), on the primary screen.
    var size =
        preferences.presenterProperty().get()
            ? Screen.getPrimary().getBounds()
            : new Rectangle2D(0, 0, stage.getWidth(), stage.getHeight());
    Scene scene = new Scene(view.root(), size.getWidth(), size.getHeight());
    Appearance appearance = view.install(scene);
    stage.setScene(scene);
    view.root().applyCss();
    view.root().resize(scene.getWidth(), scene.getHeight());
    view.root().layout();
    stage.show();
    return appearance;
  }

  /**
   * {@code --level=N} opens that level; {@code --run=COMMAND} runs it once the helper answers;
   * {@code --try=contention} (or any experiment id of the guides, e.g. {@code --try=09-oom}) runs
   * that experiment as its Try it does once it answers; {@code --view=mounts} brings that tab of
   * the views area to the front; {@code --image=debian} puts that image in the run panel first, so
   * a {@code --try} runs the experiment's command for it; {@code --glass-house-window} opens the
   * glass house in a window of its own, as its toolbar's button does (a presenter's or a screenshot
   * script's start-up shortcuts).
   */
  private void applyArguments(AppViewModel vm, MainView main) {
    var named = getParameters().getNamed();
    if (getParameters().getUnnamed().contains("--glass-house-window")) {
      main.glassHouse().openWindow();
    }
    String view = named.get("view");
    if (view != null) {
      java.util.Arrays.stream(org.glasshouse.app.core.Navigator.View.values())
          .filter(v -> v.tabId().equals(view + "-tab"))
          .findFirst()
          .ifPresentOrElse(
              v -> vm.navigator().show(v),
              () -> System.err.println("glasshouse: --view: no view " + view));
    }
    if (named.containsKey("level")) {
      try {
        vm.levels().select(Integer.parseInt(named.get("level")));
      } catch (NumberFormatException e) {
        System.err.println(
            "glasshouse: --level wants a number 0-"
                + (org.glasshouse.app.levels.Levels.ALL.size() - 1)
                + ", got "
                + named.get("level"));
      }
    }
    String image = named.get("image");
    if (image != null) {
      vm.run().imageProperty().set(image);
    }
    String command = named.get("run");
    String tryIt = named.get("try");
    if (tryIt != null) {
      // "contention" is level 08's two-container experiment, the guide's {#08-contention}.
      String id = "contention".equals(tryIt) ? "08-contention" : tryIt;
      if (org.glasshouse.app.levels.Experiments.ALL.containsKey(id)) {
        whenConnected(vm, () -> vm.tryIt(id));
      } else {
        System.err.println(
            "glasshouse: --try wants contention or an experiment id of the guides, e.g."
                + " 08-contention; got "
                + tryIt);
      }
    }
    if (command != null) {
      vm.run().commandProperty().set(command);
      whenConnected(vm, () -> vm.run().run());
    }
  }

  private static void whenConnected(AppViewModel vm, Runnable action) {
    vm.containers()
        .connectionProperty()
        .addListener(
            new ChangeListener<>() {
              @Override
              public void changed(
                  ObservableValue<? extends ConnectionStatus> o,
                  ConnectionStatus a,
                  ConnectionStatus b) {
                if (b.connected()) {
                  o.removeListener(this);
                  action.run();
                }
              }
            });
  }

  @Override
  public void stop() {
    if (vm != null && preferences != null) {
      // Containers outlive the window unless the classroom preference says otherwise.
      try {
        vm.close(preferences.removeOnExitProperty().get()).get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        System.err.println("glasshouse: could not remove every container: " + e.getMessage());
      }
    }
    if (view != null) {
      // Its terminals' threads are not daemons: open, they keep the JVM running without a window.
      view.terminals().close();
    }
    if (lab != null) {
      lab.close();
    }
    if (io != null) {
      io.shutdown();
    }
  }
}
