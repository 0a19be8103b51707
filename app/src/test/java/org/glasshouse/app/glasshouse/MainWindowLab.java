package org.glasshouse.app.glasshouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.glasshouse.app.AppViewModel;
import org.glasshouse.app.MainView;
import org.glasshouse.app.TestWindows;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.presenter.Appearance;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole main window on a fake helper, as the glass house's window tests set it up: a size (a
 * projector's 1366×768, a desk's 1920×1080), presenter mode on or off, the views given the whole
 * right side (F8) or not, and recordings of a real helper played while their containers run. {@link
 * FixtureLab#show} is the same for the glass house view alone.
 */
final class MainWindowLab {
  final FakeLabService lab = new FakeLabService();
  final AppViewModel vm;
  final MainView view;
  private final Appearance appearance;
  private final Stage stage;
  private final Path dir;

  /** Opens the main window on {@code stage} (a test's {@code @Start}) at 1366×768. */
  MainWindowLab(Stage stage, String name) throws IOException {
    this.stage = stage;
    dir = Files.createTempDirectory("glasshouse-test-" + name);
    vm = TestWindows.viewModel(lab, dir);
    view = new MainView(vm);
    Scene scene = new Scene(view.root());
    appearance = view.install(scene);
    stage.setScene(scene);
    stage.setWidth(1366);
    stage.setHeight(768);
    stage.show();
  }

  /** Presenter mode on or off, the window at {@code width}×{@code height}. */
  void size(FxRobot robot, boolean presenter, int width, int height) {
    robot.interact(
        () -> {
          appearance.presenterProperty().set(presenter);
          // Monocle's full screen is its own screen size: hold the projector's.
          stage.setFullScreen(false);
          stage.setWidth(width);
          stage.setHeight(height);
        });
  }

  /**
   * Plays the recordings {@code fixtures} names ({@code level-12-two+level-12}), each up to its
   * first exit; returns the containers they started, in order.
   */
  List<String> play(String fixtures) {
    List<String> started = new ArrayList<>();
    for (String name : fixtures.split("\\+")) {
      Recording r = FixtureLab.load(name);
      lab.answerFrom(r);
      for (LabEvent e : r.events()) {
        if (e instanceof LabEvent.Exited) {
          break;
        }
        lab.emit(e);
      }
      r.events(LabEvent.Started.class).forEach(s -> started.add(s.container()));
    }
    return started;
  }

  /**
   * Plays the recording {@code fixture} as this window's own Run at its level (its terminal opens,
   * as after a student's Run), up to its first exit; returns the container it started.
   */
  String runAndPlay(FxRobot robot, String fixture) {
    Recording r = FixtureLab.load(fixture);
    LabEvent.Started st = r.events(LabEvent.Started.class).get(0);
    lab.answerFrom(r);
    lab.onRun =
        spec ->
            java.util.concurrent.CompletableFuture.completedFuture(
                new org.glasshouse.app.core.LabService.Started(st.container(), st.pid()));
    robot.interact(
        () -> {
          vm.levels().select(r.header().path("spec").path("level").asInt());
          vm.run().run();
          for (LabEvent e : r.events()) {
            if (e instanceof LabEvent.Exited) {
              break;
            }
            lab.emit(e);
          }
        });
    return st.container();
  }

  /** Selects container {@code id}, gives the views the right side or not (F8), lets it settle. */
  void show(FxRobot robot, String id, boolean f8) throws Exception {
    robot.interact(() -> vm.containers().select(id));
    robot.interact(() -> view.viewsFocusedProperty().set(f8));
    settle();
  }

  /** Lets the FX thread catch up and the window lay itself out ({@link FxSteps#settle}). */
  void settle() throws Exception {
    FxSteps.settle(view.root());
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** Deletes the window's progress directory (a test's {@code @AfterEach}). */
  void close() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Every visible, non-empty text under {@code n}: what a reader of the picture sees. */
  static List<Text> texts(Node n) {
    List<Text> out = new ArrayList<>();
    collect(n, out);
    return out;
  }

  private static void collect(Node n, List<Text> out) {
    if (!n.isVisible() || n.getOpacity() == 0) {
      return;
    }
    if (n instanceof Text t) {
      if (t.getText() != null && !t.getText().isBlank()) {
        out.add(t);
      }
      return;
    }
    if (n instanceof Parent p) {
      for (Node c : p.getChildrenUnmodifiable()) {
        collect(c, out);
      }
    }
  }
}
