package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.HelperStarter;
import org.glasshouse.app.core.Preferences;
import org.glasshouse.app.core.SocketLabService;
import org.glasshouse.app.levels.ProgressStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The README's "the app starts it for you (directly when you are root)": the window opens on a
 * socket where no helper runs, and as root the app starts one by itself — no "Start helper…" click
 * — and connects to it. The helper is a real one, on this test's own socket and state dir.
 */
@Tag("root")
@ExtendWith(ApplicationExtension.class)
class HelperAutoStartTest {
  private RealHelper helper;
  private SocketLabService lab;
  private MainView view;

  @Start
  void start(Stage stage) throws Exception {
    helper = RealHelper.notStarted("HelperAutoStartTest");
    lab = new SocketLabService(helper.socket());
    AppViewModel vm =
        new AppViewModel(
            lab,
            Fx.EXECUTOR,
            r -> new Thread(r, "glasshouse-test-io").start(),
            new ProgressStore(helper.dir().resolve("progress")),
            HelperStarter.unasked(helper.socket(), helper.startCommand()),
            Preferences.inMemory());
    view = new MainView(vm);
    Scene scene = new Scene(view.root(), 1366, 768);
    view.install(scene);
    stage.setScene(scene);
    stage.show();
    lab.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (lab != null) {
      lab.close();
    }
    if (helper != null) {
      helper.close();
    }
  }

  @Test
  void asRootTheAppStartsTheHelperWithoutAClick(FxRobot robot) throws Exception {
    assertFalse(Files.exists(helper.socket()), "no helper runs before the app starts");
    Label connection = robot.lookup("#connection").queryAs(Label.class);
    // A JVM start on a loaded machine: generous, the assertion is that it happens at all.
    Node bar = view.root().lookup(".status-bar");
    // A JVM start on a loaded machine: generous, the assertion is that it happens at all.
    WaitForAsyncUtils.waitFor(
        90,
        TimeUnit.SECONDS,
        () -> bar.getPseudoClassStates().contains(PseudoClass.getPseudoClass("connected")));
    assertTrue(Files.exists(helper.socket()), "the helper listens on the app's socket");
    assertTrue(lab.status().connected(), "the app is connected: " + connection.getText());
    Node start = view.root().lookup("#start-helper");
    assertFalse(start.isVisible(), "no Start helper button once the app started the helper");
  }
}
