package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.event.Event;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.presenter.Appearance;
import org.glasshouse.app.terminal.TerminalTabs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Presenter mode at 1366×768 (F5, no F8), the glass house in front after Run: the house is what the
 * room looks at. The terminal kept its eight rows and the house got ~150 px under it (its roof, its
 * walls and the line saying it scrolls); now the terminal keeps {@link TerminalTabs#YIELD_ROWS}
 * rows while nobody types in it, a key typed there gives it its share back, and a click on the
 * views gives the house the height again. The same on a 1920×1080 projector (its share of ~360 px
 * cut level 06's house). At a desk nothing changes: the terminal keeps its {@link
 * TerminalTabs#MIN_ROWS} rows or more.
 */
@ExtendWith(ApplicationExtension.class)
class PresenterHouseHeightTest {
  private final FakeLabService lab = new FakeLabService();
  private AppViewModel vm;
  private MainView view;
  private Appearance appearance;
  private Stage stage;
  @TempDir Path dir;

  @Start
  void start(Stage stage) throws Exception {
    this.stage = stage;
    vm = TestWindows.viewModel(lab, dir);
    TestWindows.Window window = TestWindows.show(stage, vm, 1366, 768);
    view = window.view();
    appearance = window.appearance();
  }

  private void settle(FxRobot robot) {
    for (int i = 0; i < 3; i++) {
      WaitForAsyncUtils.waitForFxEvents();
      robot.interact(() -> view.root().getScene().getRoot().layout());
    }
    WaitForAsyncUtils.waitForFxEvents();
  }

  private void open(FxRobot robot, boolean presenter, int width, int height, int level) {
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    robot.interact(
        () -> {
          appearance.presenterProperty().set(presenter);
          stage.setFullScreen(false);
          stage.setWidth(width);
          stage.setHeight(height);
          vm.levels().select(level);
          vm.run().run();
          tabs.getSelectionModel().select(0);
          tabs.getSelectionModel()
              .select(
                  tabs.getTabs().stream()
                      .filter(t -> "glasshouse-tab".equals(t.getId()))
                      .findFirst()
                      .orElseThrow());
        });
    settle(robot);
  }

  /** A key typed in the terminal (an "l"), the layout settled after it. */
  private void typeInTerminal(FxRobot robot) {
    robot.interact(
        () ->
            Event.fireEvent(
                view.terminals().node(),
                new KeyEvent(
                    KeyEvent.KEY_PRESSED, "l", "l", KeyCode.L, false, false, false, false)));
    settle(robot);
  }

  private double views(FxRobot robot) {
    return robot.lookup("#lower-tabs").queryAs(TabPane.class).getHeight();
  }

  @Test
  void atPresenterSizeTheHouseTakesTheIdleTerminalsHeight(FxRobot robot) {
    List<String> seen = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (int[] size : new int[][] {{1366, 768}, {1920, 1080}})
      for (int level : new int[] {0, 12}) {
        open(robot, true, size[0], size[1], level);
        String at = "presenter " + size[0] + "x" + size[1] + " " + String.format("%02d", level);
        double house = views(robot);
        int houseRows = view.terminals().rowsShown();
        // A key typed in the terminal: its share back.
        typeInTerminal(robot);
        double typing = views(robot);
        int typingRows = view.terminals().rowsShown();
        // A click on the views: the house takes the height again.
        robot.interact(
            () ->
                Event.fireEvent(
                    robot.lookup("#lower-tabs").queryAs(TabPane.class),
                    new MouseEvent(
                        MouseEvent.MOUSE_PRESSED,
                        10,
                        10,
                        10,
                        10,
                        MouseButton.PRIMARY,
                        1,
                        false,
                        false,
                        false,
                        false,
                        true,
                        false,
                        false,
                        false,
                        false,
                        false,
                        null)));
        settle(robot);
        double again = views(robot);
        seen.add(
            String.format(
                "%s: views %.0f px (%d rows), typing %.0f px (%d rows), clicked %.0f px",
                at, house, houseRows, typing, typingRows, again));
        if (house < typing + 80) {
          bad.add(at + ": the idle terminal did not yield to the house");
        }
        if (houseRows < TerminalTabs.YIELD_ROWS) {
          bad.add(at + ": the yielding terminal has " + houseRows + " rows");
        }
        if (typingRows < TerminalTabs.MIN_ROWS) {
          bad.add(at + ": typing, the terminal has " + typingRows + " rows");
        }
        if (Math.abs(again - house) > 2) {
          bad.add(at + ": a click on the views did not give the house its height back");
        }
        // The header stays on screen.
        if (view.root().getHeight() > stage.getScene().getHeight() + 1) {
          bad.add(at + ": the window overflows");
        }
      }
    // Elsewhere the terminal keeps its rows.
    for (Object[] c :
        new Object[][] {
          {false, 1366, 768}, {false, 1920, 1080},
        }) {
      open(robot, (Boolean) c[0], (Integer) c[1], (Integer) c[2], 12);
      int rows = view.terminals().rowsShown();
      String at = (((Boolean) c[0]) ? "presenter " : "normal ") + c[1] + "x" + c[2] + " 12";
      seen.add(at + ": views " + Math.round(views(robot)) + " px, " + rows + " rows");
      if (rows < TerminalTabs.MIN_ROWS) {
        bad.add(at + ": the terminal has " + rows + " rows");
      }
    }
    System.out.println("PresenterHouseHeightTest: " + seen);
    assertTrue(bad.isEmpty(), bad + "; " + seen);
  }

  /**
   * In presenter mode every view the room looks at takes the idle terminal's height, not only the
   * house and the charts: at 1366×768 with the guide open, Inside vs outside at level 05 showed
   * three rows of its table under a terminal holding its share (the lead's walk, 2026-12-05).
   * Typing in the terminal gives it its rows back.
   */
  @Test
  void inPresenterModeEveryViewInFrontTakesTheIdleTerminalsHeight(FxRobot robot) {
    List<String> seen = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    for (String tab : new String[] {"inside-outside-tab", "mounts-tab", "filesystem-tab"}) {
      open(robot, true, 1366, 768, 5);
      robot.interact(
          () ->
              tabs.getSelectionModel()
                  .select(
                      tabs.getTabs().stream()
                          .filter(t -> tab.equals(t.getId()))
                          .findFirst()
                          .orElseThrow()));
      settle(robot);
      double idle = views(robot);
      int idleRows = view.terminals().rowsShown();
      typeInTerminal(robot);
      double typing = views(robot);
      int typingRows = view.terminals().rowsShown();
      seen.add(
          String.format(
              "%s: idle %.0f px (%d rows), typing %.0f px (%d rows)",
              tab, idle, idleRows, typing, typingRows));
      if (idle < typing + 80) {
        bad.add(tab + ": the idle terminal did not yield to the view");
      }
      if (idleRows < TerminalTabs.YIELD_ROWS || typingRows < TerminalTabs.MIN_ROWS) {
        bad.add(tab + ": rows " + idleRows + " idle, " + typingRows + " typing");
      }
    }
    System.out.println("PresenterHouseHeightTest: " + seen);
    assertTrue(bad.isEmpty(), bad + "; " + seen);
  }

  /**
   * In presenter mode an experiment whose output is its lesson keeps the terminal's rows beside the
   * view it brings to the front: level 01's "ls /" Try it brought Mounts to the front, the idle
   * terminal yielded to three rows, and the room saw the shell's banner and prompt, not busybox's
   * tree (the lead's walk at 1920×1080, 2026-12-05). One that prints nothing to read (a plain
   * shell, a chart's load) still gives the view the height.
   */
  @Test
  void anExperimentWhoseOutputIsItsLessonKeepsTheTerminalsRows(FxRobot robot) {
    List<String> seen = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    for (int[] size : new int[][] {{1366, 768}, {1920, 1080}})
      for (String[] c :
          new String[][] {
            {"01-ls", "mounts-tab", "reads"},
            {"01-leak", "mounts-tab", "yields"},
            {"10-id", "inside-outside-tab", "reads"},
            {"10-host-ps", "inside-outside-tab", "yields"},
            {"02-dev", null, "reads"},
            {"04-motd", "filesystem-tab", "yields"},
            {"12-fork-bomb", "charts-tab", "yields"}
          }) {
        open(robot, true, size[0], size[1], 1);
        // The idle terminal has yielded to the house; the experiment starts from there.
        robot.interact(() -> vm.tryIt(org.glasshouse.app.levels.Experiments.ALL.get(c[0])));
        settle(robot);
        String tab = tabs.getSelectionModel().getSelectedItem().getId();
        int rows = view.terminals().rowsShown();
        String at = c[0] + " at " + size[0] + "x" + size[1];
        seen.add(at + ": " + tab + ", " + rows + " rows");
        if (c[1] != null && !c[1].equals(tab)) {
          bad.add(at + ": " + tab + " in front, not " + c[1]);
        }
        if (c[2].equals("reads") && rows < TerminalTabs.MIN_ROWS) {
          bad.add(at + ": its output is its lesson, and the terminal has " + rows + " rows");
        }
        if (c[2].equals("yields") && rows > TerminalTabs.YIELD_ROWS) {
          bad.add(at + ": the terminal kept " + rows + " rows from the view");
        }
      }
    System.out.println("PresenterHouseHeightTest: " + seen);
    assertTrue(bad.isEmpty(), bad + "; " + seen);
  }

  /**
   * In presenter mode every view in front folds the run panel to its line, as the house and the
   * charts do: at level 12, 1366×768 with the guide open, Inside vs outside showed ~4½ rows of its
   * table under level 12's unfolded settings (~180 px; the lead's walk, 2026-12-05). Settings
   * unfolds them; at a desk a view leaves the settings open.
   */
  @Test
  void inPresenterModeEveryViewInFrontFoldsTheRunPanel(FxRobot robot) {
    List<String> seen = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    for (boolean presenter : new boolean[] {true, false})
      for (String tab :
          new String[] {"inside-outside-tab", "mounts-tab", "filesystem-tab", "step-log-tab"}) {
        open(robot, presenter, 1366, 768, 12);
        robot.interact(
            () -> {
              tabs.getSelectionModel()
                  .select(
                      tabs.getTabs().stream()
                          .filter(t -> tab.equals(t.getId()))
                          .findFirst()
                          .orElseThrow());
              view.guideShownProperty().set(true);
            });
        settle(robot);
        boolean folded = robot.lookup("#run-folded").query().isVisible();
        seen.add(
            String.format(
                "%s %s: folded %s, views %.0f px",
                presenter ? "presenter" : "desk", tab, folded, views(robot)));
        if (folded != presenter) {
          bad.add(
              (presenter ? "presenter " : "desk ")
                  + tab
                  + (presenter ? ": the run panel stayed unfolded" : ": the run panel folded"));
        }
      }
    System.out.println("PresenterHouseHeightTest: " + seen);
    assertTrue(bad.isEmpty(), bad + "; " + seen);
  }

  /**
   * Level 08's and 09's Try it bring the charts to the front, for containers with nothing to show
   * in their terminal: at 1366×768 presenter the terminal kept its six rows and the plot was ~130
   * px (the lead's walk, 2026-12-04). Now the chart gets the terminal's height as the house does,
   * even after someone typed in the terminal; at 1920×1080 too.
   */
  @Test
  void anExperimentsChartTakesTheIdleTerminalsHeight(FxRobot robot) {
    List<String> seen = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (int[] c : new int[][] {{1366, 768}, {1920, 1080}}) {
      open(robot, true, c[0], c[1], 8);
      double house = views(robot);
      // Someone typed in the terminal, then the experiment asks for the charts.
      typeInTerminal(robot);
      double typing = views(robot);
      robot.interact(() -> vm.navigator().show(org.glasshouse.app.core.Navigator.View.CHARTS));
      settle(robot);
      String tab =
          robot
              .lookup("#lower-tabs")
              .queryAs(TabPane.class)
              .getSelectionModel()
              .getSelectedItem()
              .getId();
      double chart = views(robot);
      int rows = view.terminals().rowsShown();
      String at = "presenter " + c[0] + "x" + c[1] + " 08";
      seen.add(
          String.format(
              "%s: house %.0f px, typing %.0f px, chart %.0f px (%d rows, tab %s)",
              at, house, typing, chart, rows, tab));
      if (chart < typing + 80 || Math.abs(chart - house) > 2) {
        bad.add(at + ": the terminal did not yield to the experiment's chart");
      }
      if (rows < TerminalTabs.YIELD_ROWS) {
        bad.add(at + ": the yielding terminal has " + rows + " rows");
      }
    }
    System.out.println("PresenterHouseHeightTest: " + seen);
    assertTrue(bad.isEmpty(), bad + "; " + seen);
  }
}
