package org.glasshouse.app;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Application;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.HelperLocator;
import org.glasshouse.app.core.HelperStarter;
import org.glasshouse.app.core.SocketLabService;
import org.glasshouse.app.levels.ProgressStore;

/** The JavaFX application: connects to the helper and shows the main window. */
public final class GlasshouseApp extends Application {
  private SocketLabService lab;
  private ExecutorService io;

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
    AppViewModel vm =
        new AppViewModel(
            lab, Fx.EXECUTOR, io, ProgressStore.inUserConfig(), new HelperStarter(socket));
    MainView view = new MainView(vm);
    Scene scene = new Scene(view.root(), 1366, 768);
    view.install(scene);
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
    stage.setScene(scene);
    stage.show();
    applyArguments(vm);
    lab.start();
  }

  /**
   * {@code --level=N} opens that level; {@code --run=COMMAND} runs it once the helper answers (a
   * presenter's or a screenshot script's start-up shortcut).
   */
  private void applyArguments(AppViewModel vm) {
    var named = getParameters().getNamed();
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
    String command = named.get("run");
    if (command != null) {
      vm.run().commandProperty().set(command);
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
                    vm.run().run();
                  }
                }
              });
    }
  }

  @Override
  public void stop() {
    if (lab != null) {
      lab.close();
    }
    if (io != null) {
      io.shutdown();
    }
  }
}
