package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.TabPane;
import org.glasshouse.app.core.FakeLabService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window appears without the views that are not in front (issue 14: under load the whole view
 * built before show kept the window away 6-12 s): the charts, mounts, filesystem, inside vs outside
 * and step log are not built by the main view's constructor, and each is there as soon as its tab
 * is selected, in the same event (no frame of an empty tab).
 */
@ExtendWith(ApplicationExtension.class)
class LazyViewsTest {
  private final FakeLabService lab = new FakeLabService();
  @TempDir Path dir;

  @Start
  void start(javafx.stage.Stage stage) {}

  /** Each tab's id and a node its view builds. */
  private static final List<String[]> VIEWS =
      List.of(
          new String[] {"charts-tab", "#cgroup-charts"},
          new String[] {"mounts-tab", "#mounts-view"},
          new String[] {"filesystem-tab", "#filesystem-view"},
          new String[] {"inside-outside-tab", "#inside-outside"},
          new String[] {"step-log-tab", "#step-failure"});

  @Test
  void viewsBehindTheGlassHouseAreBuiltWhenTheirTabIsShown(FxRobot robot) {
    AtomicReference<MainView> main = new AtomicReference<>();
    robot.interact(
        () -> {
          MainView view = new MainView(TestWindows.viewModel(lab, dir));
          main.set(view);
          // Skins made (the tab pane's content in the scene graph), as before a window's show.
          new javafx.scene.Scene(view.root(), 1366, 768);
          view.root().applyCss();
          view.root().layout();
          for (String[] v : VIEWS) {
            assertNull(view.root().lookup(v[1]), v[1] + " is not built before the window shows");
          }
          assertNotNull(view.root().lookup("#lower-tabs .tab-content-area"), "the tabs' skin");
        });
    MainView view = main.get();
    for (String[] v : VIEWS) {
      robot.interact(
          () -> {
            TabPane tabs = (TabPane) view.root().lookup("#lower-tabs");
            tabs.getSelectionModel()
                .select(
                    tabs.getTabs().stream()
                        .filter(t -> v[0].equals(t.getId()))
                        .findFirst()
                        .orElseThrow());
            assertNotNull(view.root().lookup(v[1]), v[1] + " is built as its tab is selected");
          });
    }
    WaitForAsyncUtils.waitForFxEvents();
  }
}
