package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.TabPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.presenter.Appearance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window at a classroom's 1366×768, normal and presenter: every tab of the views area shows in
 * full (none behind the overflow arrow), no label of the header, run panel or tab headers is cut to
 * "…", the level arrows stay put whatever the title, and in presenter mode F8 gives the views the
 * whole right side — at levels 09–12 too, where the run panel grows.
 */
@ExtendWith(ApplicationExtension.class)
class WindowLayoutTest {
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
    WaitForAsyncUtils.waitForFxEvents();
    robot.interact(() -> view.root().getScene().getRoot().layout());
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** Every tab header of the views area lies inside the header area: nothing overflows. */
  private void allTabsShow(FxRobot robot, String mode) {
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    Node area = tabs.lookup(".tab-header-area");
    Bounds a = area.localToScene(area.getLayoutBounds());
    List<String> tabIds = new ArrayList<>();
    for (Node t : area.lookupAll(".tab")) {
      Bounds b = t.localToScene(t.getLayoutBounds());
      String name = t.getId() == null ? String.valueOf(t) : t.getId();
      tabIds.add(name);
      assertTrue(
          b.getMaxX() <= a.getMaxX() + 0.5 && b.getMinX() >= a.getMinX() - 0.5,
          mode
              + ": tab "
              + name
              + " at "
              + b.getMinX()
              + "–"
              + b.getMaxX()
              + " is outside the"
              + " header area "
              + a.getMinX()
              + "–"
              + a.getMaxX()
              + " (behind the overflow arrow)");
    }
    assertEquals(6, tabIds.size(), mode + ": six tabs " + tabIds);
  }

  /** "presenter 1366x768", "normal 1920x1080": where a case ran, for its messages. */
  private static String mode(boolean presenter, int[] size) {
    return (presenter ? "presenter " : "normal ") + size[0] + "x" + size[1];
  }

  /** No shown label under {@code query} displays its text cut to "…". */
  private void nothingCut(FxRobot robot, String query, String mode) {
    for (Node top : robot.lookup(query).queryAll()) {
      for (Node n : top.lookupAll("*")) {
        if (n instanceof Labeled l && shown(l) && l.getText() != null && !l.getText().isEmpty()) {
          for (Node c : l.getChildrenUnmodifiable()) {
            if (c instanceof Text t
                && t.getText() != null
                && t.getText().endsWith("…")
                && !l.getText().endsWith("…")) {
              throw new AssertionError(
                  mode + ": \"" + l.getText() + "\" is shown cut as \"" + t.getText() + "\"");
            }
          }
        }
      }
    }
  }

  private static boolean shown(Node n) {
    for (Node p = n; p != null; p = p.getParent()) {
      if (!p.isVisible()) {
        return false;
      }
    }
    return n.getScene() != null;
  }

  private void everythingShows(FxRobot robot, String mode) {
    settle(robot);
    allTabsShow(robot, mode);
    nothingCut(robot, ".header", mode);
    nothingCut(robot, ".run-panel", mode);
    nothingCut(robot, "#lower-tabs", mode);
  }

  @Test
  void atClassroomSizeEveryTabAndLabelShows(FxRobot robot) {
    for (int level : new int[] {0, 5, 9, 11, 12}) {
      robot.interact(() -> vm.levels().select(level));
      everythingShows(robot, "level " + level);
    }
    robot.interact(() -> vm.run().freePlayProperty().set(true));
    everythingShows(robot, "free play");
  }

  @Test
  void inPresenterModeEveryTabShowsAndF8GivesTheViewsTheRightSide(FxRobot robot) {
    robot.interact(() -> appearance.presenterProperty().set(true));
    robot.interact(
        () -> {
          // Monocle's full screen is its own screen size: hold the classroom's 1366×768.
          stage.setFullScreen(false);
          stage.setWidth(1366);
          stage.setHeight(768);
        });
    settle(robot);
    assertFalse(view.guideShownProperty().get(), "the guide went to its drawer at 1366 px");
    assertTrue(robot.lookup("#guide-handle").query().isVisible(), "its handle shows");
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    for (int level = 9; level <= 12; level++) {
      int n = level;
      robot.interact(() -> vm.levels().select(n));
      everythingShows(robot, "presenter, level " + level);
      robot.interact(() -> view.viewsFocusedProperty().set(true));
      settle(robot);
      double height = tabs.getHeight();
      assertTrue(
          height > 0.75 * view.root().getScene().getHeight(),
          "presenter, level " + level + ", F8: the views take " + height + " px of 768");
      allTabsShow(robot, "presenter, level " + level + ", F8");
      robot.interact(() -> view.viewsFocusedProperty().set(false));
      settle(robot);
      assertTrue(robot.lookup("#run").query().isVisible(), "F8 again brings the run panel back");
    }
    // F7 brings the guide back.
    robot.interact(() -> view.guideShownProperty().set(true));
    settle(robot);
    assertTrue(robot.lookup("#guide").query().getScene() != null, "the guide is back");
  }

  /**
   * A presenter who opens the guide (F7) at 1366×768 leaves the views ~900 px: the six titles with
   * their icons did not fit, and "Step log" went behind the "▾" menu. The icons give way; the
   * titles stay, and the icons come back when the guide goes.
   */
  @Test
  void inPresenterModeWithTheGuideOpenEveryTabTitleShows(FxRobot robot) {
    presenter(robot, true);
    robot.interact(() -> view.guideShownProperty().set(true));
    for (int level : new int[] {1, 9, 12}) {
      robot.interact(() -> vm.levels().select(level));
      settle(robot);
      settle(robot);
      allTabsShow(robot, "presenter, guide open, level " + level);
      nothingCut(robot, "#lower-tabs", "presenter, guide open, level " + level);
    }
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    robot.interact(() -> view.guideShownProperty().set(false));
    settle(robot);
    settle(robot);
    assertTrue(
        tabs.getTabs().stream().allMatch(t -> t.getGraphic() != null),
        "with the guide away the icons are back");
  }

  /**
   * After a Try it at level 09 in presenter mode at 1366×768 with the guide open, the Try it note
   * and the Applied line took two lines each and left the terminal three rows. Folded, each is one
   * line, whole in its tooltip.
   */
  @Test
  void inPresenterModeATryItsNotesTakeALineEach(FxRobot robot) {
    presenter(robot, true);
    robot.interact(() -> view.guideShownProperty().set(true));
    robot.interact(() -> vm.levels().select(9));
    settle(robot);
    robot.interact(() -> robot.lookup("#try-09-mkdir").queryButton().fire());
    settle(robot);
    new MainWindowDriver(robot, null, vm)
        .await("the Applied line", () -> robot.lookup("#applied-limits").query().isVisible());
    settle(robot);
    for (String id : new String[] {"#try-it-note", "#applied-limits"}) {
      javafx.scene.control.Label l = robot.lookup(id).queryAs(javafx.scene.control.Label.class);
      assertTrue(l.isVisible(), id + " shows");
      double lines = l.getHeight() / (l.getFont().getSize() * 1.2);
      assertTrue(lines < 1.6, id + " takes " + l.getHeight() + " px: \"" + l.getText() + "\"");
      assertEquals(l.getText(), l.getTooltip().getText(), id + ": whole on hover");
    }
  }

  @Test
  void theLevelArrowsStayPutWhateverTheTitle(FxRobot robot) {
    Node next = robot.lookup("#level-nav").query();
    List<Double> xs = new ArrayList<>();
    for (int level = 0; level < 14; level++) {
      int n = level;
      robot.interact(() -> vm.levels().select(n));
      settle(robot);
      Parent nav = (Parent) next;
      Node arrow = nav.getChildrenUnmodifiable().get(1);
      xs.add(arrow.localToScene(arrow.getLayoutBounds()).getMinX());
    }
    assertTrue(xs.stream().distinct().count() == 1, "the next arrow's x per level: " + xs);
  }

  /**
   * The views area's least height at 1366×768, normal and presenter: below it the glass house and
   * the charts show a strip, not a picture. Level 12 once gave them ~100 px, the run panel holding
   * every bonus control of levels 07 and 09.
   */
  private static final double MIN_VIEWS_HEIGHT = 230;

  /** And the terminal, which gives way first, keeps a few rows. */
  private static final double MIN_TERMINAL_HEIGHT = 100;

  @Test
  void theViewsAreaKeepsItsHeightAtEveryLevel(FxRobot robot) {
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    List<String> heights = new ArrayList<>();
    List<String> low = new ArrayList<>();
    for (boolean presenter : new boolean[] {false, true}) {
      robot.interact(
          () -> {
            appearance.presenterProperty().set(presenter);
            stage.setFullScreen(false);
            stage.setWidth(1366);
            stage.setHeight(768);
          });
      for (int level = 0; level < 14; level++) {
        int n = level;
        robot.interact(() -> vm.levels().select(n));
        settle(robot);
        String at = (presenter ? "presenter " : "normal ") + String.format("%02d", level);
        double h = tabs.getHeight();
        double term = view.terminals().node().getLayoutBounds().getHeight();
        heights.add(at + ": views " + Math.round(h) + ", terminal " + Math.round(term));
        if (h < MIN_VIEWS_HEIGHT) {
          low.add(at);
        }
        if (term < MIN_TERMINAL_HEIGHT) {
          low.add(at + " (terminal)");
        }
      }
    }
    assertTrue(
        low.isEmpty(),
        "the views area is under " + MIN_VIEWS_HEIGHT + " px at " + low + "; " + heights);
  }

  /**
   * The terminal keeps {@link org.glasshouse.app.terminal.TerminalTabs#MIN_ROWS} rows in every
   * layout: normal and presenter, 1366×768 and 1920×1080, the glass house or a chart in front, at
   * the levels with the shortest and the tallest run panel, each with its own container on show (in
   * presenter mode, nobody typing, the view in front takes the height and the terminal keeps {@link
   * org.glasshouse.app.terminal.TerminalTabs#YIELD_ROWS}). Presenter at 1920×1080 with a chart in
   * front once left it ~60 px: a prompt and nothing under it.
   */
  @Test
  void theTerminalKeepsItsRowsInEveryLayout(FxRobot robot) {
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    robot.interact(() -> vm.run().run());
    settle(robot);
    assertTrue(view.terminals().rowsShown() > 0, "a terminal is on show");
    List<String> rows = new ArrayList<>();
    List<String> low = new ArrayList<>();
    for (boolean presenter : new boolean[] {false, true}) {
      for (int[] size : new int[][] {{1366, 768}, {1920, 1080}}) {
        for (String tab : new String[] {"glasshouse-tab", "charts-tab"}) {
          for (int level : new int[] {0, 9, 11, 12}) {
            robot.interact(
                () -> {
                  layout(presenter, size);
                  vm.levels().select(level);
                  // The level's own container on show, as after its Run: the run panel echoes its
                  // limits ("Applied to …", two lines at level 12), which the class walk saw and
                  // a level-00 container's short echo hid.
                  vm.run().run();
                  tabs.getSelectionModel().select(0);
                  select(tabs, tab);
                });
            settle(robot);
            int shown = view.terminals().rowsShown();
            String at = mode(presenter, size) + " " + tab + " " + String.format("%02d", level);
            rows.add(
                at
                    + ": "
                    + shown
                    + " ("
                    + Math.round(view.terminals().node().getHeight())
                    + "/"
                    + Math.round(view.terminals().node().minHeight(-1))
                    + " px)");
            // The window never overflows for it: its header stays on screen.
            Node header = view.root().getTop();
            if (header.localToScene(header.getLayoutBounds()).getMinY() < 0
                || view.root().getHeight() > stage.getScene().getHeight() + 1) {
              low.add(at + " (the window overflows)");
            }
            if (tooFewRows(presenter, size, shown)) {
              low.add(at);
            }
          }
        }
      }
    }
    System.out.println("terminal rows: " + rows);
    assertTrue(low.isEmpty(), "the terminal has too few rows at " + low + "; " + rows);
  }

  /**
   * How many terminal rows a student sees, at the two classroom screens, normal and presenter, with
   * the views area as the mode leaves it and folded to its tabs (Shift+F8). A Try it's output, then
   * busybox's five-line banner and the prompt, need about a dozen: at 1366×768 in presenter mode
   * with the views folded the terminal shows at least 12, and unfolding gives the rows back as they
   * were. Printed as a table; the figures are in the README's Layout section.
   */
  @Test
  void theTerminalShowsTwelveRowsInPresenterModeWithTheViewsCollapsed(FxRobot robot) {
    robot.interact(() -> vm.run().run());
    settle(robot);
    List<String> table = new ArrayList<>();
    List<String> low = new ArrayList<>();
    for (boolean presenter : new boolean[] {false, true}) {
      for (int[] size : new int[][] {{1366, 768}, {1920, 1080}}) {
        for (int level : new int[] {0, 12}) {
          robot.interact(
              () -> {
                layout(presenter, size);
                vm.levels().select(level);
                vm.run().run();
              });
          settle(robot);
          String at = mode(presenter, size) + " " + String.format("%02d", level);
          int shown = view.terminals().rowsShown();
          robot.interact(() -> view.viewsFoldedProperty().set(true));
          settle(robot);
          int collapsed = view.terminals().rowsShown();
          robot.interact(() -> view.viewsFoldedProperty().set(false));
          settle(robot);
          if (view.terminals().rowsShown() != shown) {
            low.add(at + ": unfolded the terminal has " + view.terminals().rowsShown() + " rows");
          }
          table.add(at + ": " + shown + ", views folded " + collapsed);
          if (presenter && size[0] == 1366 && collapsed < 12) {
            low.add(at + ": " + collapsed);
          }
        }
      }
    }
    System.out.println("terminal rows shown: " + table);
    assertTrue(low.isEmpty(), "fewer than 12 rows at " + low + "; " + table);
    // Folded, the views are their row of tabs: a click on it unfolds them, the tab on show too.
    robot.interact(() -> view.viewsFoldedProperty().set(true));
    settle(robot);
    TabPane lower = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    robot.clickOn(robot.from(lower).lookup(".tab:selected").queryAs(Node.class));
    settle(robot);
    assertFalse(view.viewsFoldedProperty().get(), "a click on the tab on show unfolds the views");
  }

  /**
   * Free play unfolds the run panel (every step, every field, the memory controls): in presenter
   * mode at 1366×768 with the guide open, room6's class walk saw it push the window's header off
   * the screen and, at level 11 after Try it 11-add-back, the Run/Stop/Remove row under the header
   * where it could not be clicked. The panel's settings give way (they scroll) instead: the header
   * and Run stay on screen and the terminal keeps its rows.
   */
  @Test
  void freePlayKeepsTheHeaderAndRunOnScreen(FxRobot robot) {
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    robot.interact(() -> vm.run().run());
    settle(robot);
    List<String> bad = new ArrayList<>();
    for (boolean presenter : new boolean[] {true, false}) {
      for (int[] size : new int[][] {{1366, 768}, {1920, 1080}}) {
        for (int level : new int[] {9, 11, 12, 13}) {
          robot.interact(
              () -> {
                layout(presenter, size);
                view.guideShownProperty().set(true);
                vm.levels().select(level);
                vm.run().freePlayProperty().set(true);
                vm.run().moreMemoryProperty().set(true);
                // The step log in front: the panel is not folded for a view (a chart, the house).
                tabs.getSelectionModel().select(tabs.getTabs().size() - 1);
              });
          settle(robot);
          String at = mode(presenter, size) + " free play " + String.format("%02d", level);
          Node header = view.root().getTop();
          Node run = robot.lookup("#run").query();
          Bounds h = header.localToScene(header.getLayoutBounds());
          Bounds r = run.localToScene(run.getLayoutBounds());
          if (h.getMinY() < 0 || view.root().getHeight() > stage.getScene().getHeight() + 1) {
            bad.add(at + ": the window overflows (header at y " + h.getMinY() + ")");
          }
          if (r.getMinY() < h.getMaxY() - 0.5 || r.getMaxY() > stage.getScene().getHeight()) {
            bad.add(at + ": Run at y " + r.getMinY() + " under the header (" + h.getMaxY() + ")");
          }
          int shown = view.terminals().rowsShown();
          if (tooFewRows(presenter, size, shown)) {
            bad.add(at + ": the terminal has " + shown + " rows");
          }
        }
      }
    }
    robot.interact(() -> vm.run().freePlayProperty().set(false));
    assertTrue(bad.isEmpty(), String.valueOf(bad));
  }

  /**
   * Squeezed at 1366×768 in presenter mode (free play, the memory controls open) the run panel's
   * settings got ~64-100 px and said nothing of the rows below but a thin scroll bar at the
   * window's edge. A line under them says there are more, whenever some are out of sight, and only
   * then.
   */
  @Test
  void squeezedSettingsSayThatMoreAreBelow(FxRobot robot) {
    javafx.scene.control.ScrollPane settings =
        robot.lookup("#run-settings").queryAs(javafx.scene.control.ScrollPane.class);
    Labeled more = robot.lookup("#run-settings-more").queryAs(Labeled.class);
    List<String> wrong = new ArrayList<>();
    boolean sawSqueezed = false;
    for (boolean presenter : new boolean[] {true, false}) {
      for (int[] size : new int[][] {{1366, 768}, {1920, 1080}}) {
        robot.interact(
            () -> {
              layout(presenter, size);
              view.guideShownProperty().set(true);
              vm.levels().select(12);
              vm.run().freePlayProperty().set(true);
              vm.run().moreMemoryProperty().set(true);
            });
        settle(robot);
        boolean hidden =
            settings.isVisible()
                && settings.getContent().getLayoutBounds().getHeight()
                    > settings.getViewportBounds().getHeight() + 1;
        sawSqueezed |= hidden;
        String at = mode(presenter, size);
        if (hidden != more.isVisible()) {
          wrong.add(at + ": rows out of sight " + hidden + ", the line shown " + more.isVisible());
        }
        if (hidden) {
          Bounds m = more.localToScene(more.getLayoutBounds());
          if (m.getMaxY() > stage.getScene().getHeight() || m.getHeight() < 1) {
            wrong.add(at + ": the line is off the window (" + m + ")");
          }
        }
      }
    }
    robot.interact(() -> vm.run().freePlayProperty().set(false));
    assertTrue(sawSqueezed, "presenter mode at 1366x768 squeezes the settings");
    assertTrue(wrong.isEmpty(), String.valueOf(wrong));
  }

  /**
   * Presenter mode at 1920×1080, the glass house in front, before the first Run: the terminal's
   * empty "Press Run" area held the upper half of the right side and left the house ~200-230 px. An
   * empty terminal area keeps one line; the house gets the rest, and Run gives the terminal its
   * rows back. At 1366×768 too.
   */
  @Test
  void inPresenterModeAnEmptyTerminalLeavesTheHouseTheHeight(FxRobot robot) {
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    List<String> seen = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (int[] size : new int[][] {{1920, 1080}, {1366, 768}}) {
      for (int level : new int[] {0, 5, 8, 12}) {
        robot.interact(
            () -> {
              layout(true, size);
              vm.levels().select(level);
              select(tabs, "glasshouse-tab");
            });
        settle(robot);
        String at = size[0] + "x" + size[1] + " " + String.format("%02d", level);
        double scene = stage.getScene().getHeight();
        double term = view.terminals().node().getHeight();
        double views = tabs.getHeight();
        seen.add(at + ": terminal " + Math.round(term) + ", views " + Math.round(views));
        if (term > EMPTY_TERMINAL_HEIGHT) {
          bad.add(at + ": the empty terminal takes " + Math.round(term) + " px");
        }
        if (views < 0.6 * scene) {
          bad.add(at + ": the views get " + Math.round(views) + " px of " + Math.round(scene));
        }
      }
    }
    // Run: the terminal opens with its rows, the house keeps a picture.
    for (int[] size : new int[][] {{1920, 1080}, {1366, 768}}) {
      robot.interact(
          () -> {
            layout(true, size);
            vm.levels().select(5);
            select(tabs, "glasshouse-tab");
            vm.run().run();
          });
      settle(robot);
      String at = size[0] + "x" + size[1] + " after Run";
      int rows = view.terminals().rowsShown();
      double views = tabs.getHeight();
      seen.add(at + ": rows " + rows + ", views " + Math.round(views));
      if (tooFewRows(true, size, rows)) {
        bad.add(at + ": the terminal has " + rows + " rows");
      }
      if (views < MIN_VIEWS_HEIGHT) {
        bad.add(at + ": the views get " + Math.round(views) + " px");
      }
    }
    System.out.println("presenter, empty terminal then Run: " + seen);
    assertTrue(bad.isEmpty(), bad + "; " + seen);
  }

  /** An empty terminal area ("Press Run …") in presenter mode: its line, not the screen's half. */
  private static final double EMPTY_TERMINAL_HEIGHT = 120;

  /**
   * F8 in presenter mode at 1920×1080 left the guide 861 px and the views ~1051 px: at 1366 the
   * guide goes to its drawer and the views take the width. F8 does that at 1920 too (the levels
   * list with it), and F8 again gives both back.
   */
  @Test
  void inPresenterModeF8GivesTheViewsTheWidthAt1920(FxRobot robot) {
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    robot.interact(
        () -> {
          layout(true, new int[] {1920, 1080});
          vm.levels().select(8);
          select(tabs, "glasshouse-tab");
        });
    settle(robot);
    assertTrue(view.guideShownProperty().get(), "precondition: the guide shows at 1920");
    robot.interact(() -> view.viewsFocusedProperty().set(true));
    settle(robot);
    double w = tabs.getWidth();
    double h = tabs.getHeight();
    System.out.println("presenter 1920x1080, F8: views " + w + " x " + h);
    assertTrue(w >= 0.9 * 1920, "F8 at 1920: the views are " + w + " px wide");
    assertTrue(h >= 0.8 * stage.getScene().getHeight(), "F8 at 1920: " + h + " px high");
    assertTrue(robot.lookup("#guide-handle").query().isVisible(), "the guide's handle shows");
    allTabsShow(robot, "presenter 1920, F8");
    robot.interact(() -> view.viewsFocusedProperty().set(false));
    settle(robot);
    assertTrue(view.guideShownProperty().get(), "F8 again brings the guide back");
    assertTrue(shown(robot.lookup(".sidebar").query()), "and the levels list");
    // F7 while focused is the presenter's choice: F8 again leaves the guide as F7 set it.
    robot.interact(
        () -> {
          view.viewsFocusedProperty().set(true);
          view.guideShownProperty().set(true);
        });
    settle(robot);
    assertTrue(robot.lookup("#guide").query().getScene() != null, "F7 brings the guide in F8");
    robot.interact(() -> view.viewsFocusedProperty().set(false));
    settle(robot);
    assertTrue(view.guideShownProperty().get(), "the guide stays");
  }

  /** Brings the views-area tab with {@code id} to the front (on the FX thread). */
  private static void select(TabPane tabs, String id) {
    tabs.getSelectionModel()
        .select(
            tabs.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst().orElseThrow());
  }

  private void presenter(FxRobot robot, boolean on) {
    robot.interact(() -> layout(on, new int[] {1366, 768}));
    settle(robot);
  }

  /** Presenter mode on or off at a window size (on the FX thread). */
  private void layout(boolean presenter, int[] size) {
    appearance.presenterProperty().set(presenter);
    // Monocle's full screen is its own screen size: hold the size asked for.
    stage.setFullScreen(false);
    stage.setWidth(size[0]);
    stage.setHeight(size[1]);
  }

  /**
   * Fewer rows than a terminal keeps ({@link org.glasshouse.app.terminal.TerminalTabs#MIN_ROWS});
   * presenter mode at 1366×768, whose larger font and run panel leave less, keeps three.
   */
  private static boolean tooFewRows(boolean presenter, int[] size, int shown) {
    // In presenter mode the idle terminal yields to the house or a chart in front (its prompt and
    // last lines), at 1366×768 and 1920×1080 alike.
    return shown < org.glasshouse.app.terminal.TerminalTabs.MIN_ROWS
        && !(presenter && shown >= org.glasshouse.app.terminal.TerminalTabs.YIELD_ROWS);
  }

  /**
   * A long error (a helper's refusal, a failed step with its explanation) shares the status bar
   * with the connection state; the state must stay whole — "connected to …", "Offline: …" is what a
   * presenter glances at — and the error gives way, whole on hover.
   */
  @Test
  void aLongErrorNeverCutsTheConnectionState(FxRobot robot) {
    String longError =
        "the helper refused the run: "
            + "memory+swap limit 16 MiB is below the memory limit 64 MiB, which the kernel refuses"
                .repeat(4);
    lab.connection(
        org.glasshouse.app.core.ConnectionStatus.State.CONNECTED,
        "connected to glasshouse-helper/0.1.0 (cgroup hybrid: v1 controllers)");
    lab.onRun =
        spec ->
            java.util.concurrent.CompletableFuture.failedFuture(
                new org.glasshouse.app.core.LabException("invalid_request", longError));
    for (boolean on : new boolean[] {false, true}) {
      String mode = on ? "presenter" : "normal";
      presenter(robot, on);
      robot.interact(() -> vm.run().run());
      settle(robot);
      javafx.scene.control.Label error =
          robot.lookup("#error").queryAs(javafx.scene.control.Label.class);
      assertEquals(longError, error.getText(), mode);
      nothingCut(robot, "#connection", mode);
      javafx.scene.control.Label state =
          robot.lookup("#connection").queryAs(javafx.scene.control.Label.class);
      assertTrue(shown(state) && state.getWidth() > 0, mode + ": the connection state shows");
      assertTrue(
          error.getTooltip() != null && longError.equals(error.getTooltip().getText()),
          mode + ": the whole error is on hover");
    }
  }

  /**
   * The next run fails at one step: its step event, then the helper's step_failed answer for
   * container {@code id}, as a real helper sends them.
   */
  private void failsAt(
      int seq,
      String step,
      String stage,
      String call,
      String args,
      String errno,
      String message,
      String explanation,
      String error,
      String id) {
    org.glasshouse.protocol.StepEntry bad =
        org.glasshouse.protocol.StepEntry.builder()
            .seq(seq)
            .step(step)
            .stage(stage)
            .call(call)
            .args(args)
            .ok(false)
            .result("-1")
            .errno(errno)
            .message(message)
            .explanation(explanation)
            .durationNanos(90_000)
            .build();
    lab.onRun =
        spec -> {
          lab.emit(new org.glasshouse.app.core.LabEvent.Step(id, bad));
          return java.util.concurrent.CompletableFuture.failedFuture(
              new org.glasshouse.app.core.LabException("step_failed", error, bad, id));
        };
  }

  /** The next run fails at its image step (container c2), the helper answering {@code error}. */
  private void failsAtTheImage(String error) {
    failsAt(
        2,
        "image",
        "helper",
        "extract",
        "\"<images>/nosuchimage.tar\"",
        "ENOENT",
        "No such file or directory",
        "the image must exist as <images>/nosuchimage.tar and extract cleanly",
        error,
        "c2");
  }

  /**
   * In presenter mode at 1366×768 the containers list is put away, so a run that failed at a step —
   * no container, no terminal — must show where its terminal would have opened: what failed and
   * where to read the steps.
   */
  @Test
  void inPresenterModeAFailedStartShowsWhereItsTerminalWouldBe(FxRobot robot) {
    failsAt(
        9,
        "pivot-root",
        "init",
        "pivot_root",
        "\".\", \".old-root\"",
        "EBUSY",
        "Device or resource busy",
        "the new root is not a mount point",
        "pivot_root failed",
        "c9");
    presenter(robot, true);
    assertFalse(
        shown(robot.lookup(".sidebar").query()), "precondition: the containers list is away");
    robot.interact(() -> vm.levels().select(3));
    robot.interact(() -> vm.run().run());
    settle(robot);
    Node card = robot.lookup("#start-failed").query();
    assertTrue(card != null && shown(card), "the failed start shows in the terminal area");
    String text = texts(card);
    assertTrue(text.contains("pivot_root") && text.contains("EBUSY"), text);
    Bounds b = card.localToScene(card.getLayoutBounds());
    assertTrue(b.getHeight() > 40 && b.getWidth() > 300, "readable, not a sliver: " + b);
    nothingCut(robot, "#start-failed", "presenter");
    // The next run (or another container selected) puts it away.
    lab.onRun =
        spec ->
            java.util.concurrent.CompletableFuture.completedFuture(
                new org.glasshouse.app.core.LabService.Started("c10", 100));
    robot.interact(() -> vm.run().run());
    settle(robot);
    assertFalse(shown(card), "a new run puts the failure away");
  }

  /**
   * Issue #14: a failed start's card at 1366×768 presenter with the glass house in front read "the
   * image must exist as <images>/nosuchimage.tar and extract …": the house takes the height there
   * and the terminal area kept only its three rows, too few for the wrapped reason. Later, with the
   * guide open, the reason read whole but its "Show the step log" button was cut off at the bottom
   * (Xvfb; Monocle's narrower fonts need a longer reason, a step's whole strace-like text, to wrap
   * as much). The card reads in full and its button lies inside the area, normal and presenter,
   * 1366 and 1920, the guide open or away.
   */
  @Test
  void aFailedStartsLongReasonReadsInFullWithTheHouseInFront(FxRobot robot) {
    List<String> bad2 = new ArrayList<>();
    failsAtTheImage(
        "image failed: the image must exist as <images>/nosuchimage.tar and extract cleanly");
    cardReadsInFull(robot, "image", bad2);
    failsAt(
        14,
        "mount-proc",
        "init",
        "mount",
        "\"proc\", \"/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL",
        "EPERM",
        "Operation not permitted",
        "a proc file system is mounted for the PID namespace the process is in: one of its own"
            + " needs CLONE_NEWPID, and the mount namespace must not be the host's",
        "mount failed",
        "c14");
    cardReadsInFull(robot, "mount", bad2);
    assertTrue(bad2.isEmpty(), String.join("\n", bad2));
  }

  /**
   * "Show the step log" on a failed start's card in presenter mode at 1366×768, the guide open: the
   * step log takes the height and left the card three rows, where its second paragraph was cut in
   * the middle of a line. The step log shows the failure itself: the card is brief (its title and a
   * line pointing below), and what it shows lies inside the area.
   */
  @Test
  void afterShowTheStepLogTheFailedStartsCardIsBriefAndWhole(FxRobot robot) {
    failsAtTheImage(
        "image failed: no image 'nosuchimage': /var/lib/glasshouse/images/nosuchimage.tar does"
            + " not exist; the images here: busybox (more from a recipe: ./glasshouse images build"
            + " busybox|debian)");
    TabPane lower = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    robot.interact(
        () -> {
          layout(true, new int[] {1366, 768});
          view.guideShownProperty().set(true);
          vm.levels().select(3);
          lower.getSelectionModel().select(0);
        });
    robot.interact(() -> vm.run().run());
    settle(robot);
    robot.interact(() -> robot.lookup("#start-failed-steps").queryButton().fire());
    settle(robot);
    assertEquals("step-log-tab", lower.getSelectionModel().getSelectedItem().getId());
    Node card = robot.lookup("#start-failed").query();
    assertTrue(shown(card), "the card stays where the terminal would be");
    List<String> bad = new ArrayList<>();
    cutLines(card, "", bad);
    assertTrue(bad.isEmpty(), String.join("\n", bad));
    Node below = card.lookup("#start-failed-below");
    assertTrue(below != null && shown(below), "it points to the step log below");
    // Back to the glass house: the card is whole again, with its button.
    robot.interact(() -> lower.getSelectionModel().select(0));
    settle(robot);
    assertTrue(shown(card.lookup("#start-failed-steps")), "the whole card is back");
  }

  /**
   * Where {@code n} is out of sight, or null: its bounds on screen must lie inside every region
   * around it (a split pane's item, a scroll pane's viewport, the terminal area) and the scene —
   * what lies outside one is clipped or pushed out of the window.
   */
  private static String outOfSight(Node n) {
    Bounds b = n.localToScene(n.getLayoutBounds());
    for (Parent p = n.getParent(); p != null; p = p.getParent()) {
      if (p instanceof javafx.scene.layout.Region) {
        Bounds a = p.localToScene(p.getLayoutBounds());
        if (b.getMinY() < a.getMinY() - 0.5 || b.getMaxY() > a.getMaxY() + 0.5) {
          return "at y "
              + b.getMinY()
              + "–"
              + b.getMaxY()
              + " is outside "
              + p.getClass().getSimpleName()
              + (p.getId() == null ? "" : " #" + p.getId())
              + " at y "
              + a.getMinY()
              + "–"
              + a.getMaxY();
        }
      }
    }
    Bounds s =
        new javafx.geometry.BoundingBox(0, 0, n.getScene().getWidth(), n.getScene().getHeight());
    return b.getMaxY() > s.getMaxY() + 0.5 ? "runs below the window" : null;
  }

  /**
   * Adds to {@code bad} each shown line of {@code card} that lies out of sight or is squeezed below
   * the height its text wraps to (Monocle's narrow fonts may still fit the lines, Xvfb's do not).
   */
  private static void cutLines(Node card, String at, List<String> bad) {
    for (Node n : card.lookupAll("*")) {
      if (n instanceof Labeled l && shown(l) && l.getText() != null) {
        String out = outOfSight(l);
        if (out != null) {
          bad.add(at + "\"" + l.getText() + "\" " + out);
        }
        double wants = l.prefHeight(l.getWidth());
        if (wants > l.getHeight() + 0.5) {
          bad.add(at + "\"" + l.getText() + "\" wants " + wants + " px, has " + l.getHeight());
        }
      }
    }
  }

  /** Runs the failing start at level 01 and checks its card in each layout; adds what is wrong. */
  private void cardReadsInFull(FxRobot robot, String which, List<String> bad2) {
    TabPane lower = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    robot.interact(
        () -> {
          layout(false, new int[] {1366, 768});
          view.guideShownProperty().set(true);
          vm.levels().select(1);
          lower.getSelectionModel().select(0); // the glass house
        });
    robot.interact(() -> vm.run().run());
    settle(robot);
    for (boolean presenter : new boolean[] {true, false}) {
      for (int[] size : new int[][] {{1366, 768}, {1920, 1080}}) {
        for (boolean guide : new boolean[] {false, true}) {
          robot.interact(
              () -> {
                layout(presenter, size);
                view.guideShownProperty().set(guide);
              });
          settle(robot);
          String at =
              which + ", " + mode(presenter, size) + (guide ? " guide open" : " guide away");
          Node card = robot.lookup("#start-failed").query();
          if (!shown(card)) {
            bad2.add(at + ": no failed-start card");
            continue;
          }
          try {
            nothingCut(robot, "#start-failed", at);
          } catch (AssertionError e) {
            bad2.add(e.getMessage());
          }
          // Every line of the card and its button lie inside the area on screen: not cut off at
          // its bottom, not scrolled out of sight.
          cutLines(card, at + ": ", bad2);
          Node button = card.lookup("#start-failed-steps");
          if (button == null || !shown(button)) {
            bad2.add(at + ": no \"Show the step log\" button");
          }
        }
      }
    }
  }

  /**
   * The step log at a classroom's 1366×768, normal and presenter: its first column read "d…" and
   * "pi…" (~30 px), the call hid its file and value. Every column shows its words whole, and the
   * Call column the part that matters — the cgroup file and the value written, the device node made
   * — with the whole call in the detail pane.
   */
  @Test
  void theStepLogReadsAtClassroomSize(FxRobot robot) {
    String id = "5e9a0c1d2e4b";
    String state = "/tmp/glasshouse-test-layout-state/state/containers/" + id;
    String pids = "/sys/fs/cgroup/pids/glasshouse/" + id + "/pids.max";
    List<org.glasshouse.protocol.StepEntry> steps =
        List.of(
            FakeLabService.ok(1, "container", "mkdir", "\"" + state + "\", 0700"),
            FakeLabService.ok(
                12,
                "dev-nodes",
                "mknod",
                "\"" + state + "/merged/dev/null\", S_IFCHR|0666, makedev(1, 3)"),
            FakeLabService.ok(31, "cgroup-pids", "write", "\"" + pids + "\", \"32\""),
            FakeLabService.ok(47, "pivot-root", "pivot_root", "\".\", \".oldroot\""));
    lab.onRun =
        spec -> {
          steps.forEach(e -> lab.emit(new org.glasshouse.app.core.LabEvent.Step(id, e)));
          return java.util.concurrent.CompletableFuture.completedFuture(
              new org.glasshouse.app.core.LabService.Started(id, 100));
        };
    robot.interact(() -> vm.run().run());
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    for (boolean on : new boolean[] {false, true}) {
      presenter(robot, on);
      robot.interact(() -> select(tabs, "step-log-tab"));
      settle(robot);
      String mode = on ? "presenter" : "normal";
      javafx.scene.control.TableView<?> table =
          robot.lookup("#step-log").queryAs(javafx.scene.control.TableView.class);
      assertTrue(table.getWidth() > 300, mode + ": the table is " + table.getWidth() + " px");
      List<String> shownCalls = new ArrayList<>();
      for (Node n : table.lookupAll(".table-cell")) {
        if (!(n instanceof javafx.scene.control.TableCell<?, ?> cell)
            || cell.isEmpty()
            || cell.getText() == null
            || !shown(cell)
            || !cell.getTableColumn().isVisible()) {
          continue;
        }
        String col = cell.getTableColumn().getId();
        String drawn = drawn(cell);
        if ("step-call".equals(col)) {
          shownCalls.add(drawn);
        } else {
          assertFalse(
              drawn.endsWith("…") && !cell.getText().endsWith("…"),
              mode
                  + ": column "
                  + col
                  + " shows \""
                  + cell.getText()
                  + "\" cut as \""
                  + drawn
                  + "\"");
        }
      }
      assertTrue(
          shownCalls.stream().anyMatch(c -> c.contains("pids.max\", \"32\")")),
          mode + ": the write's file and value show: " + shownCalls);
      assertTrue(
          shownCalls.stream().anyMatch(c -> c.contains("…/dev/null")),
          mode + ": the node mknod made shows: " + shownCalls);
      nothingCut(robot, "#step-log .column-header", mode);
      robot.interact(() -> vm.stepLog().select(31));
      settle(robot);
      String detail =
          robot.lookup("#step-detail").queryAs(javafx.scene.control.TextArea.class).getText();
      assertTrue(detail.contains("write(\"" + pids + "\", \"32\")"), detail);
      Node d = robot.lookup("#step-detail").query();
      assertTrue(
          d.getLayoutBounds().getWidth() > 200,
          mode + ": the detail pane is " + d.getLayoutBounds());
    }
  }

  /**
   * The Mounts tab at 1366×768 in every arrangement a class meets (normal and presenter, the guide
   * beside or in its drawer, F8): the view and both trees lie inside the tab — the host's tree, on
   * the right, was cut at presenter size — with a mount selected (its mountinfo line and the step
   * that made it under the trees, the widest content of the tab).
   */
  @Test
  void theMountsTabFitsItsAreaAtClassroomSize(FxRobot robot) {
    org.glasshouse.app.core.Recording r = org.glasshouse.app.core.Recording.load("level-01");
    robot.interact(() -> org.glasshouse.app.mounts.MountsFixtures.run(r, lab, vm.containers()));
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    List<String> cut = new ArrayList<>();
    for (boolean on : new boolean[] {false, true}) {
      for (boolean guide : new boolean[] {true, false}) {
        for (boolean focused : new boolean[] {false, true}) {
          presenter(robot, on);
          robot.interact(
              () -> {
                view.guideShownProperty().set(guide);
                view.viewsFocusedProperty().set(focused);
                select(tabs, "mounts-tab");
              });
          settle(robot);
          robot.interact(
              () -> {
                var tree =
                    robot
                        .lookup("#container-mounts")
                        .queryAs(javafx.scene.control.TreeTableView.class);
                tree.getSelectionModel().select(0);
              });
          settle(robot);
          String at =
              (on ? "presenter" : "normal")
                  + (guide ? ", guide" : ", no guide")
                  + (focused ? ", F8" : "");
          Bounds area = tabs.localToScene(tabs.getLayoutBounds());
          for (String id : new String[] {"#mounts-view", "#container-mounts", "#host-mounts"}) {
            Node n = robot.lookup(id).query();
            Bounds b = n.localToScene(n.getLayoutBounds());
            if (b.getMaxX() > area.getMaxX() + 1 || b.getMinX() < area.getMinX() - 1) {
              cut.add(
                  at
                      + ": "
                      + id
                      + " "
                      + Math.round(b.getMinX())
                      + "–"
                      + Math.round(b.getMaxX())
                      + " outside the tab "
                      + Math.round(area.getMinX())
                      + "–"
                      + Math.round(area.getMaxX()));
            }
          }
        }
      }
    }
    robot.interact(() -> view.viewsFocusedProperty().set(false));
    assertTrue(cut.isEmpty(), "the Mounts tab is cut: " + cut);
  }

  /** The text a labeled node draws: its own, or cut to "…" when it does not fit. */
  private static String drawn(Labeled l) {
    for (Node c : l.getChildrenUnmodifiable()) {
      if (c instanceof Text t) {
        return t.getText();
      }
    }
    return "";
  }

  private static String texts(Node n) {
    StringBuilder b = new StringBuilder();
    for (Node c : n.lookupAll("*")) {
      if (c instanceof Labeled l && l.getText() != null) {
        b.append(l.getText()).append('\n');
      }
    }
    return b.toString();
  }

  /**
   * Charts in presenter mode at 1366×768: the class walk clicked the Charts tab (and pressed F8
   * twice) and got a strip of chart under the terminal, the axis name cut and the ratio readout
   * half hidden. A chart on show takes the height; F8 and back keeps it.
   */
  /**
   * The glass house in front in presenter mode at 1366×768 gets the height the run panel's rows
   * took, as a chart does: at level 09 with its empty "More memory controls" open, the fields left
   * the house ~80 px and pushed the window's header off the top of the screen.
   */
  @Test
  void inPresenterModeTheGlassHouseGetsTheHeight(FxRobot robot) {
    presenter(robot, true);
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    for (int level : new int[] {9, 12}) {
      robot.interact(() -> tabs.getSelectionModel().select(1));
      robot.interact(() -> vm.levels().select(level));
      robot.interact(() -> vm.run().moreMemoryProperty().set(level == 9));
      robot.interact(() -> tabs.getSelectionModel().select(0));
      settle(robot);
      Node house = robot.lookup(".glass-house").query();
      double h = house.getLayoutBounds().getHeight();
      System.out.println("presenter 1366x768, level " + level + ", Glass house: " + h + " px");
      assertTrue(robot.lookup("#run-folded").query().isVisible(), "the run panel is folded");
      // 195 px before the fold at level 09 (the house's roof and one wall); 273 px folded.
      assertTrue(h >= 260, "presenter, level " + level + ", the glass house is " + h + " px");
      Node header = view.root().getTop();
      assertTrue(
          header.localToScene(header.getLayoutBounds()).getMinY() >= 0
              && view.root().getHeight() <= stage.getScene().getHeight() + 1,
          "the window's header stays on screen at level " + level);
    }
  }

  /**
   * At a desk at 1366×768 (not presenter mode, no F8) the glass house brought to the front gets the
   * run panel's rows too: level 12's fields left a single house ~230 px under the terminal, its
   * roof, its walls and the first line of its rooms. Another tab brings the fields back; at
   * 1920×1080, where the house had its room, nothing changes.
   */
  @Test
  void atADeskInAShortWindowTheGlassHouseGetsTheHeight(FxRobot robot) {
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    for (int[] size : new int[][] {{1366, 768}, {1920, 1080}}) {
      robot.interact(() -> layout(false, size));
      settle(robot);
      boolean short768 = size[1] == 768;
      for (int level : new int[] {9, 12}) {
        robot.interact(() -> tabs.getSelectionModel().select(1));
        robot.interact(() -> vm.levels().select(level));
        robot.interact(() -> vm.run().moreMemoryProperty().set(level == 9));
        settle(robot);
        assertFalse(
            robot.lookup("#run-folded").query().isVisible(), "another tab: the fields show");
        robot.interact(() -> tabs.getSelectionModel().select(0));
        settle(robot);
        Node house = robot.lookup(".glass-house").query();
        double h = house.getLayoutBounds().getHeight();
        String at = size[0] + "x" + size[1] + ", level " + level;
        System.out.println("normal " + at + ", Glass house: " + h + " px");
        assertEquals(
            short768,
            robot.lookup("#run-folded").query().isVisible(),
            at + ": the run panel folds in a short window only");
        if (short768) {
          assertTrue(h >= 330, at + ": the glass house is " + h + " px");
        }
      }
    }
  }

  @Test
  void inPresenterModeTheChartsGetTheHeightAndKeepItAfterF8(FxRobot robot) {
    presenter(robot, true);
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    Node area = robot.lookup(".chart-area").query();
    double h = 0;
    // Level 09 opens its "More memory controls": the run panel is at its tallest there.
    for (int level : new int[] {12, 9, 8}) {
      int n = level;
      robot.interact(() -> tabs.getSelectionModel().select(0));
      robot.interact(() -> vm.levels().select(n));
      // As after the level's Try it: its note takes a line too.
      robot.interact(
          () ->
              vm.run()
                  .tryItNoteProperty()
                  .set("Try it 12-fork-bomb: level 12; your other settings are kept."));
      robot.interact(() -> select(tabs, "charts-tab"));
      settle(robot);
      h = area.getLayoutBounds().getHeight();
      System.out.println(
          "presenter 1366x768, level " + level + ", Charts: chart area " + h + " px");
      assertTrue(
          h >= PRESENTER_CHART_HEIGHT,
          "presenter, level " + level + ", Charts tab, no F8: the chart area is " + h + " px");
      // The steps and fields fold into one line that says what Run applies.
      assertTrue(robot.lookup("#run-folded").query().isVisible(), "the run panel is folded");
      String summary = robot.lookup("#run-summary").queryLabeled().getText();
      assertTrue(summary.startsWith(String.format("level %02d", level)), summary);
    }
    String summary = robot.lookup("#run-summary").queryLabeled().getText();
    assertTrue(summary.contains("CPU shares 1024"), summary);
    // Settings unfolds them; another tab gives the panel back as it was.
    robot.interact(() -> robot.lookup("#run-unfold").queryButton().fire());
    settle(robot);
    assertTrue(robot.lookup("#cpu-shares").query().isVisible(), "Settings unfolds the fields");
    robot.interact(() -> vm.levels().select(12));
    robot.interact(() -> tabs.getSelectionModel().select(0));
    robot.interact(() -> select(tabs, "charts-tab"));
    robot.interact(() -> tabs.getSelectionModel().select(1));
    settle(robot);
    // In presenter mode any view in front keeps it folded (the room reads the view); Settings
    // gives level 12's fields back.
    assertTrue(
        robot.lookup("#run-folded").query().isVisible(), "another view keeps the panel folded");
    robot.interact(() -> robot.lookup("#run-unfold").queryButton().fire());
    settle(robot);
    assertTrue(robot.lookup("#pids").query().isVisible(), "level 12's fields are back");
    robot.interact(() -> select(tabs, "charts-tab"));
    settle(robot);
    h = area.getLayoutBounds().getHeight();
    robot.interact(() -> view.viewsFocusedProperty().set(true));
    settle(robot);
    double focused = area.getLayoutBounds().getHeight();
    assertTrue(focused >= h, "F8: " + focused + " px");
    robot.interact(() -> view.viewsFocusedProperty().set(false));
    settle(robot);
    double back = area.getLayoutBounds().getHeight();
    assertTrue(back >= MIN_CHART_HEIGHT, "F8 again: the chart area is " + back + " px");
  }

  @Test
  void inPresenterModeTheLevelsOwnFieldIsInSightWithoutScrolling(FxRobot robot) {
    // The class walk (room12): at level 12 in presenter mode at 1366×768 the settings showed
    // Hostname, CPU shares, CPUs and "More settings below": Pids max, the level's point, was not
    // in sight, and the folded summary's end ("pids …") was the part cut.
    presenter(robot, true);
    TabPane tabs = robot.lookup("#lower-tabs").queryAs(TabPane.class);
    robot.interact(() -> select(tabs, "step-log-tab"));
    // With the guide out of its drawer (F7), as the presenter has it to press Check.
    robot.interact(() -> view.guideShownProperty().set(true));
    for (int[] level : new int[][] {{12, 0}, {10, 0}, {9, 0}}) {
      int n = level[0];
      robot.interact(() -> vm.levels().select(n));
      settle(robot);
      // Folded (a view is in front in presenter mode), the summary names the level's own step
      // first; Settings unfolds the fields, and they stay unfolded as the level changes.
      String own = n == 12 ? "pids max" : n == 10 ? "user" : "memory";
      String summary = robot.lookup("#run-summary").queryLabeled().getText();
      boolean folded = robot.lookup("#run-folded").query().isVisible();
      assertEquals(n == 12, folded, "level " + n + ": folded " + folded);
      assertTrue(
          summary.startsWith(String.format("level %02d:", n))
              && summary.split(" · ")[1].startsWith(own),
          "level " + n + ": summary " + summary);
      if (folded) {
        robot.interact(() -> robot.lookup("#run-unfold").queryButton().fire());
        settle(robot);
      }
      String id = n == 12 ? "#pids" : n == 10 ? "#user" : "#memory";
      Node field = robot.lookup(id).query();
      javafx.scene.control.ScrollPane settings =
          robot.lookup("#run-settings").queryAs(javafx.scene.control.ScrollPane.class);
      javafx.geometry.Bounds f = field.localToScene(field.getLayoutBounds());
      javafx.geometry.Bounds s = settings.localToScene(settings.getLayoutBounds());
      assertTrue(
          field.isVisible() && f.getMinY() >= s.getMinY() && f.getMaxY() <= s.getMaxY() + 1,
          "level " + n + ": " + id + " at " + f + ", the settings' viewport " + s);
    }
  }

  /** A chart this high keeps its axis names and its limit labels readable at presenter size. */
  private static final double MIN_CHART_HEIGHT = 180;

  /**
   * Presenter mode, a chart brought to the front, no F8: the room reads the curve and its limit
   * line from the back (level 12 once gave it ~150 px of 768, the run panel's fields the rest). At
   * 1366×768 the terminal's six presenter-size rows (~230 px, {@link
   * #theTerminalKeepsItsRowsInEveryLayout}) and 300 px of chart do not both fit: the chart gets the
   * rest (~210 px), and F8 gives it the whole right side.
   */
  private static final double PRESENTER_CHART_HEIGHT = 200;
}
