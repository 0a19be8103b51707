package org.glasshouse.app;

import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.glasshouse.app.cgroups.CgroupChartsView;
import org.glasshouse.app.containers.ContainerListView;
import org.glasshouse.app.containers.RunPanelView;
import org.glasshouse.app.core.Navigator;
import org.glasshouse.app.core.StatusBar;
import org.glasshouse.app.filesystem.FilesystemView;
import org.glasshouse.app.glasshouse.GlassHouseView;
import org.glasshouse.app.levels.GuideView;
import org.glasshouse.app.levels.LevelListView;
import org.glasshouse.app.mounts.MountsView;
import org.glasshouse.app.namespaces.InsideOutsideView;
import org.glasshouse.app.presenter.Appearance;
import org.glasshouse.app.presenter.FullScreenHint;
import org.glasshouse.app.presenter.SettingsMenu;
import org.glasshouse.app.terminal.TerminalTabs;
import org.glasshouse.app.timeline.StepLogView;
import org.glasshouse.protocol.StepEntry;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The main window: levels and containers on the left, the guide, the run panel with the terminal,
 * and at the bottom inside-vs-outside and the step log; the status bar shows the connection.
 */
public final class MainView {
  private final AppViewModel vm;
  private final BorderPane root = new BorderPane();

  /** "F5 leaves presenter mode", in the header for a few seconds after F5. */
  private final FullScreenHint presenterHint = new FullScreenHint("F5 leaves presenter mode");

  private final TerminalTabs terminals;
  private final VBox sidebar;

  /** The views not built yet, by their tab: built when it is first shown. */
  private final java.util.Map<Tab, Runnable> unbuilt = new java.util.LinkedHashMap<>();

  private final SplitPane work;

  /** Whether the step log shows a failed start (its listener keeps it). */
  private boolean startFailed;

  private final GlassHouseView glassHouse;
  private final SplitPane center;
  private final Node guide;
  private final VBox workArea;
  private final Node runPanel;
  private final RunPanelView runPanelView;
  private final TabPane lower;
  private final Button guideHandle;
  private final BooleanProperty guideShown = new SimpleBooleanProperty(true);
  private final BooleanProperty viewsFocused = new SimpleBooleanProperty(false);
  // The node with the keyboard when F8 took the terminal and the run panel away; given back after.
  private Node keyboardBeforeFocus;
  private final BooleanProperty viewsFolded = new SimpleBooleanProperty(false);
  private double dividerBeforeFold = Double.NaN;
  private Appearance appearance;
  private javafx.beans.binding.BooleanBinding narrowPresenter;
  // The terminal's share before F8, given back by F8 again (a Try it may have set it).
  private double dividerBeforeFocus = Double.NaN;
  // F8 in presenter mode put the guide in its drawer: F8 again brings it back (F7 meanwhile is the
  // presenter's own choice and clears this).
  private boolean guideAwayForFocus;
  // Someone types in (or clicked into) the terminal since the views were last clicked or the house
  // or the charts brought to the front: the terminal keeps its share (see terminalYields).
  private boolean terminalInUse;
  // The terminal was cut to its few rows for the house (see terminalYields).
  private boolean yielded;

  /** Terminal's share of the work area's height: normally, and in presenter mode. */
  private static final double WORK_DIVIDER = 0.46;

  private static final double WORK_DIVIDER_PRESENTER = 0.62;

  /** The terminal's share while a chart is on show: charts need height (a time axis, limits). */
  private static final double WORK_DIVIDER_CHARTS = 0.15;

  /**
   * The views area's least height: the run panel grows with the level (level 12 once left the glass
   * house ~100 px at 1366×768) and the terminal gives way first, down to a few rows.
   */
  static final double VIEWS_MIN_HEIGHT = 240;

  /** The guide's share of the centre's width. */
  private static final double GUIDE_DIVIDER = 0.34;

  /** Below this width presenter mode starts with the guide in its drawer. */
  private static final double NARROW = 1600;

  /**
   * Below this height (a classroom's 768) the glass house in front gets the run panel's rows at a
   * desk too, as in presenter mode: at 1366×768 level 12's fields left a single house ~230 px under
   * the terminal, its roof and walls and the first line of its rooms.
   */
  static final double SHORT = 900;

  public MainView(AppViewModel vm) {
    this.vm = vm;
    root.getStyleClass().add("glasshouse");
    root.setId("main");
    terminals = new TerminalTabs(vm.lab(), vm.containers());
    terminals.setShowSteps(() -> vm.navigator().show(Navigator.View.STEP_LOG));
    glassHouse = new GlassHouseView(vm.glassHouse());

    Label levelsTitle = sectionTitle("Levels");
    Label containersTitle = sectionTitle("Containers");
    sidebar =
        new VBox(
            levelsTitle,
            new LevelListView(vm.levels()).node(),
            containersTitle,
            new ContainerListView(vm.containers()).node());
    sidebar.getStyleClass().add("sidebar");
    VBox.setVgrow(sidebar.getChildren().get(3), Priority.ALWAYS);

    GuideView guideView =
        new GuideView(
            vm.levels(),
            vm::check,
            vm.checkResultProperty(),
            cmd -> vm.run().commandProperty().set(cmd),
            vm.experiments());

    guide = guideView.node();
    runPanelView = new RunPanelView(vm.run(), vm.containers());
    lower = new ViewTabs();
    lower.setId("lower-tabs");
    lower.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    Tab glass = new Tab("Glass house", glassHouse.node());
    glass.setGraphic(new FontIcon(Feather.HOME));
    glass.setId(Navigator.View.GLASS_HOUSE.tabId());
    // The views behind the glass house are built when their tab is first shown, not before the
    // window appears: under load (4-6) the whole view built on the FX thread before show kept the
    // window away 6-12 s (a JFR: MainView's constructor 0.5 s of CPU, the charts 0.19 s of it).
    // Built in the selection's listener, before the pulse that shows the tab: no empty frame.
    Tab inside = new Tab("Inside vs outside");
    inside.setGraphic(new FontIcon(Feather.COLUMNS));
    inside.setId(Navigator.View.INSIDE_OUTSIDE.tabId());
    later(inside, () -> inside.setContent(new InsideOutsideView(vm.insideOutside()).node()));
    Tab steps = new Tab("Step log");
    steps.setGraphic(new FontIcon(Feather.LIST));
    steps.setId("step-log-tab");
    later(steps, () -> steps.setContent(new StepLogView(vm.stepLog()).node()));
    Tab charts = new Tab("Charts");
    charts.setGraphic(new FontIcon(Feather.ACTIVITY));
    charts.setId(Navigator.View.CHARTS.tabId());
    later(charts, () -> charts.setContent(new CgroupChartsView(vm.charts()).node()));
    Tab mounts = MountsView.emptyTab();
    later(mounts, () -> new MountsView(vm.mounts(), vm.navigator(), mounts));
    Tab filesystem = FilesystemView.emptyTab();
    later(filesystem, () -> new FilesystemView(vm.filesystem(), filesystem));
    lower.getTabs().addAll(glass, mounts, filesystem, charts, inside, steps);
    lower.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> built(t));
    // A start that fails (or the next one that does not) with the step log in front: the layout is
    // decided again when that changes, not at each of the ~130 steps of a start.
    vm.stepLog()
        .steps()
        .addListener(
            (javafx.collections.ListChangeListener<StepEntry>)
                c -> {
                  boolean failed = vm.stepLog().steps().stream().anyMatch(s -> !s.ok());
                  if (failed != startFailed) {
                    startFailed = failed;
                    terminalYields();
                  }
                });
    vm.containers().failedStartProperty().addListener((o, a, b) -> terminalYields());
    built(lower.getSelectionModel().getSelectedItem());
    // A view asks for another through the navigator: select the tab with that view's id.
    vm.navigator()
        .onShow(
            v ->
                lower.getTabs().stream()
                    .filter(t -> v.tabId().equals(t.getId()))
                    .findFirst()
                    .ifPresent(t -> lower.getSelectionModel().select(t)));

    lower.setMinHeight(VIEWS_MIN_HEIGHT);
    work = new SplitPane(terminals.node(), lower);
    work.setOrientation(Orientation.VERTICAL);
    work.setDividerPositions(WORK_DIVIDER);
    // Brought to the front for an experiment (level 08's Try it, whose containers have no
    // terminal): the terminal yields most of its height, so the charts can be read.
    vm.navigator()
        .onShow(
            v -> {
              if (v == Navigator.View.CHARTS) {
                chartsGetTheHeight();
              }
              // Asked for (an experiment, a step's link; the view may already be in front): the
              // room looks at the view now, not at the terminal a key was last typed in — unless
              // what the experiment prints is its lesson ({@link Navigator#showOutput}).
              terminalInUse = false;
              terminalYields();
            });
    // An experiment whose output is its lesson (ls /, id): the terminal keeps its rows beside the
    // view it brought to the front (yielding, it showed the shell's banner and not the output).
    vm.navigator().onShowOutput(() -> terminalInUse(true));
    // In presenter mode the terminal takes most of the height: a chart brought to the front there,
    // by a click on its tab too, was a strip with its axis names and readout cut.
    lower
        .getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, a, t) -> {
              if (chartsOnShow() && appearance != null && appearance.presenterProperty().get()) {
                chartsGetTheHeight();
              } else if (houseOnShow() && (presenter() || shortWindow())) {
                houseGetsTheHeight();
              } else if (failedStartOnShow() && (presenter() || shortWindow())) {
                // The step log of a failed start: its banner (the whole reason, wrapped) and the
                // failed step's detail are the text to read; the terminal has no container.
                houseGetsTheHeight();
              } else if (presenter()) {
                // Any other view in presenter mode: the room reads it, not the settings (level 12's
                // left Inside vs outside ~4½ rows at 1366×768 with the guide open).
                foldRunPanel();
              } else if (!chartsOnShow()) {
                runPanelView.compactProperty().set(false);
              }
              // Any view brought to the front: the room looks at it now.
              terminalInUse = false;
              terminalYields();
            });
    runPanel = runPanelView.node();
    workArea = new VBox(runPanel, work);
    VBox.setVgrow(work, Priority.ALWAYS);
    workArea.getStyleClass().add("work-area");
    HBox.setHgrow(workArea, Priority.ALWAYS);

    // The guide's drawer handle: a slim bar at the left of the work area while the guide is away.
    guideHandle = new Button("Guide", new FontIcon(Feather.BOOK_OPEN));
    guideHandle.setId("guide-handle");
    guideHandle.getStyleClass().addAll("flat", "guide-handle");
    guideHandle.setTooltip(new Tooltip("Show the level's guide (F7)"));
    guideHandle.setRotate(-90);
    guideHandle.setOnAction(e -> guideShown.set(true));
    javafx.scene.Group handleGroup = new javafx.scene.Group(guideHandle);
    VBox handleBar = new VBox(handleGroup);
    handleBar.getStyleClass().add("guide-handle-bar");
    handleBar.visibleProperty().bind(guideShown.not());
    handleBar.managedProperty().bind(handleBar.visibleProperty());
    HBox right = new HBox(handleBar, workArea);

    center = new SplitPane(guide, right);
    center.setDividerPositions(GUIDE_DIVIDER);
    center.getStyleClass().add("main-split");
    // The guide keeps its share as the window resizes: fixed in pixels, it kept the width of the
    // scene's first layout (wider than the window the app then opens at 1366×768), and the run
    // panel and the views' tabs were squeezed behind it.
    SplitPane.setResizableWithParent(guide, true);
    guideShown.addListener((o, a, on) -> showGuide(on));
    guideShown.addListener(
        (o, a, on) -> {
          if (on) {
            guideAwayForFocus = false;
          }
        });
    terminals
        .idleProperty()
        .addListener(
            (o, a, idle) -> {
              if (!idle) {
                terminalOpened();
              }
            });
    viewsFocused.addListener(
        (o, a, on) -> {
          focusViews(on);
          terminalYields();
        });
    viewsFolded.addListener(
        (o, a, on) -> {
          foldViews(on);
          terminalYields();
        });
    // Typing in the terminal (or a click into it) gives it its rows back; a click on the views
    // gives the house the height again.
    terminals
        .node()
        .addEventFilter(
            javafx.scene.input.KeyEvent.KEY_PRESSED,
            e -> {
              if (typing(e)) {
                terminalInUse(true);
              }
            });
    terminals
        .node()
        .addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> terminalInUse(true));
    // A view asked for (a tab clicked, a Try it's view, F8) unfolds the views.
    lower
        .getSelectionModel()
        .selectedItemProperty()
        .addListener((o, a, b) -> viewsFolded.set(false));
    viewsFocused.addListener((o, a, on) -> viewsFolded.set(false));
    // Folded, the views are their row of tabs: a click on it, the tab on show included, unfolds.
    lower.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_CLICKED, e -> viewsFolded.set(false));
    lower.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> terminalInUse(false));
    glassHouse.viewsFocusedProperty().bind(viewsFocused);
    glassHouse.guideShownProperty().bind(guideShown);

    Node top = header();
    root.setTop(top);
    root.setLeft(sidebar);
    root.setCenter(center);
    Node status = new StatusBar(vm.connection(), vm.containers().errorProperty()).node();
    root.setBottom(status);
    // What the terminal may keep without pushing the window past the screen: the scene less the
    // header, the status bar, the run panel and the views' least height (none of them depends on
    // the terminal's height).
    terminals.setRoom(
        () ->
            root.getScene() == null || viewsFocused.get()
                ? Double.MAX_VALUE
                : root.getScene().getHeight()
                    - top.getLayoutBounds().getHeight()
                    - status.getLayoutBounds().getHeight()
                    - runPanel.getLayoutBounds().getHeight()
                    - VIEWS_MIN_HEIGHT
                    - 12);
    runPanelView.setRoom(() -> runPanelRoom(top, status));
  }

  /**
   * What the run panel may take: the scene less the header, the status bar, the views' least height
   * and the terminal's rows (its settings scroll within it). For the guide's shortest layouts.
   */
  private double runPanelRoom(Node top, Node status) {
    Scene scene = root.getScene();
    if (scene == null || viewsFocused.get()) {
      return Double.MAX_VALUE;
    }
    return scene.getHeight()
        - top.getLayoutBounds().getHeight()
        - status.getLayoutBounds().getHeight()
        - VIEWS_MIN_HEIGHT
        - terminals.minRowsHeight()
        - 12;
  }

  public BorderPane root() {
    return root;
  }

  /** Whether the guide is in the centre (else in its drawer, a handle at the left). F7. */
  public BooleanProperty guideShownProperty() {
    return guideShown;
  }

  /**
   * Whether the views area (glass house, mounts, charts, …) has the whole right side to itself, the
   * run panel and the terminal put away: a presenter shows one view readably. F8.
   */
  public BooleanProperty viewsFocusedProperty() {
    return viewsFocused;
  }

  /**
   * Whether the views are folded to their row of tabs, the terminal given their height. Shift+F8.
   * At 1366×768 in presenter mode the views' least height left the terminal ten rows, fewer than a
   * Try it's output, busybox's five-line banner and the prompt take: the start of the output
   * scrolled away.
   */
  public BooleanProperty viewsFoldedProperty() {
    return viewsFolded;
  }

  private void foldViews(boolean on) {
    if (on) {
      dividerBeforeFold = work.getDividerPositions()[0];
      Node header = lower.lookup(".tab-header-area");
      lower.setMinHeight(
          header == null
              ? 48
              : header.prefHeight(-1) + lower.snappedTopInset() + lower.snappedBottomInset());
      work.setDividerPositions(1.0);
    } else {
      lower.setMinHeight(VIEWS_MIN_HEIGHT);
      if (!Double.isNaN(dividerBeforeFold)) {
        work.setDividerPositions(dividerBeforeFold);
      }
    }
  }

  /**
   * Presenter mode, nobody typing in the terminal: the view in front (whichever it is — the views
   * area always shows one: the glass house, a chart, Inside vs outside, …) is what the room looks
   * at, and the terminal keeps {@link TerminalTabs#YIELD_ROWS} rows (its prompt and last lines)
   * instead of its share. On a short screen (1366×768) with its eight rows the house got ~150 px
   * under it: its roof, its walls and a line saying it scrolls; on a 1920×1080 projector its share
   * (~360 px, three lines used) cut level 06's house under its walls. A key typed in the terminal,
   * or a click into it, gives the terminal its share back; a click on the views, or the house or
   * the charts brought to the front (a Try it), gives the view the height again. At a desk nothing
   * changes.
   */
  private boolean viewTakesTheHeight() {
    // The step log of a failed start too: the terminal has no container to show, and at 1366×768
    // presenter the wrapped banner left the failed step's explanation below the detail's viewport.
    // And a chart: a Try it at level 08 or 09 brings the charts to the front for containers with
    // little or nothing in their terminal, whose six presenter rows left the plot ~130 px.
    // The failed start's step log takes the height on a short screen only: at 1080 its card and the
    // step log have room.
    return presenter()
        && ((!terminalInUse && !failedStartCard()) || (failedStartOnShow() && shortWindow()))
        && !viewsFocused.get()
        && !viewsFolded.get();
  }

  /**
   * Gives the view in front (the house, a chart) the terminal's height, or the terminal its share
   * back ({@link #viewTakesTheHeight}).
   */
  private void terminalYields() {
    boolean on = viewTakesTheHeight();
    terminals.setMinRows(on ? TerminalTabs.YIELD_ROWS : TerminalTabs.MIN_ROWS);
    terminals.setCardBrief(on && failedStartOnShow());
    if (on) {
      work.setDividerPositions(0);
    } else if (yielded && !viewsFocused.get() && !viewsFolded.get()) {
      work.setDividerPositions(workShare());
    }
    yielded = on;
  }

  private void terminalInUse(boolean on) {
    if (on != terminalInUse) {
      terminalInUse = on;
      terminalYields();
    }
  }

  /** A key that types into the terminal: not a shortcut of the window (F5, F9, Ctrl+PageDown). */
  private static boolean typing(javafx.scene.input.KeyEvent e) {
    KeyCode c = e.getCode();
    return !c.isFunctionKey()
        && !c.isModifierKey()
        && !(e.isShortcutDown() && (c == KeyCode.PAGE_UP || c == KeyCode.PAGE_DOWN))
        && !(e.isShortcutDown() && c == KeyCode.ENTER);
  }

  private void showGuide(boolean on) {
    if (on && !center.getItems().contains(guide)) {
      center.getItems().add(0, guide);
      center.setDividerPositions(GUIDE_DIVIDER);
    } else if (!on) {
      center.getItems().remove(guide);
    }
  }

  /** Builds {@code tab}'s view when the tab is first shown ({@link #built}). */
  private void later(Tab tab, Runnable build) {
    unbuilt.put(tab, build);
  }

  /** {@code tab} with its view: built now if it was not yet. */
  private void built(Tab tab) {
    Runnable build = tab == null ? null : unbuilt.remove(tab);
    if (build != null) {
      build.run();
    }
  }

  /**
   * The views not in front, built one a frame once the window has had its first frame: the window
   * appears without them, and a first click on their tab does not wait for one.
   */
  private void buildTheRestAfterTheFirstFrame() {
    new javafx.animation.AnimationTimer() {
      private int frames;

      @Override
      public void handle(long now) {
        // Called as a pulse starts: the first is the pulse that draws the first frame.
        if (++frames < 3) {
          return;
        }
        var next = unbuilt.keySet().stream().findFirst();
        if (next.isEmpty()) {
          stop();
        } else {
          built(next.get());
        }
      }
    }.start();
  }

  /** The step log in front, showing a failed start. */
  private boolean failedStartOnShow() {
    Tab t = lower.getSelectionModel().getSelectedItem();
    return t != null && Navigator.View.STEP_LOG.tabId().equals(t.getId()) && startFailed;
  }

  /**
   * The terminal area shows a failed start's card (the reason, wrapped, and its "Show the step log"
   * button): it is what the room reads then, so the terminal area keeps its share rather than
   * yielding to the house or the charts — in the three rows it yields to, the card's top went under
   * the run panel and its button below the split (issue #14, 1366×768 presenter, guide open).
   */
  private boolean failedStartCard() {
    return vm.containers().failedStartProperty().get() != null;
  }

  private boolean chartsOnShow() {
    Tab t = lower.getSelectionModel().getSelectedItem();
    return t != null && Navigator.View.CHARTS.tabId().equals(t.getId());
  }

  /** The glass house in front: in presenter mode it needs the height the run panel's rows take. */
  private boolean houseOnShow() {
    Tab t = lower.getSelectionModel().getSelectedItem();
    return t != null && Navigator.View.GLASS_HOUSE.tabId().equals(t.getId());
  }

  private void chartsGetTheHeight() {
    if (work.getDividerPositions()[0] > WORK_DIVIDER_CHARTS) {
      work.setDividerPositions(WORK_DIVIDER_CHARTS);
    }
    foldRunPanel();
  }

  /**
   * The glass house brought to the front in presenter mode: the run panel folds and the terminal
   * yields to its normal share (it keeps its rows). The house's height no longer depends on what
   * the run panel took before the fold: a panel that overflowed the window had squeezed the
   * terminal, and the divider kept that.
   */
  private void houseGetsTheHeight() {
    if (work.getDividerPositions()[0] > WORK_DIVIDER) {
      work.setDividerPositions(WORK_DIVIDER);
    }
    foldRunPanel();
  }

  /**
   * In presenter mode a view brought to the front (any: a chart, the glass house, Inside vs
   * outside, …) gets the height the run panel's rows took: at level 09 and 1366×768, its fields and
   * open "More memory controls" left the glass house ~80 px (and pushed the window's header off the
   * top).
   */
  private void foldRunPanel() {
    // In presenter mode, and in a short window with the glass house in front, the run panel folds.
    boolean fold = presenter() || (shortWindow() && houseOnShow());
    // At presenter size level 09's open "More memory controls" took the chart's last 100 px; empty,
    // they fold (a value in them keeps them open: it applies, and the room should see it).
    if (fold && !vm.run().memoryBonusSet()) {
      vm.run().moreMemoryProperty().set(false);
    }
    // The steps and fields fold into one line (Settings unfolds them): at level 12 and 1366×768
    // they left the chart ~150 px, too little to read from the back of a room, and the glass house
    // at a desk ~230 px.
    if (fold) {
      runPanelView.compactProperty().set(true);
    }
  }

  private boolean presenter() {
    return appearance != null && appearance.presenterProperty().get();
  }

  /** Whether the window is a classroom's 768 px tall or so ({@link #SHORT}). */
  private boolean shortWindow() {
    Scene sc = root.getScene();
    return sc != null && sc.getHeight() > 0 && sc.getHeight() < SHORT;
  }

  /**
   * The terminal's share of the work area for the mode and the view in front: in presenter mode a
   * chart takes most of the height and the glass house the normal share (F5 with the house in front
   * once gave the terminal 62%, the house ~340 px of 1080).
   */
  private double workShare() {
    if (viewTakesTheHeight()) {
      return 0;
    }
    boolean presenter = appearance != null && appearance.presenterProperty().get();
    if (presenter && chartsOnShow()) {
      return WORK_DIVIDER_CHARTS;
    }
    return presenter && !houseOnShow() ? WORK_DIVIDER_PRESENTER : WORK_DIVIDER;
  }

  /**
   * A terminal opened in an area that showed only its "Press Run" line (kept to {@link
   * TerminalTabs#EMPTY_HEIGHT}): it gets the share the mode and the view in front give it.
   */
  private void terminalOpened() {
    // A run started with the glass house in front of a short window: the settings were used; the
    // house, built now, gets their rows (Settings unfolds them).
    if (houseOnShow() && shortWindow() && !presenter()) {
      foldRunPanel();
    }
    if (viewsFocused.get()) {
      dividerBeforeFocus = workShare();
    } else if (!viewsFolded.get()) {
      work.setDividerPositions(workShare());
    }
  }

  private void focusViews(boolean on) {
    boolean presenter = appearance != null && appearance.presenterProperty().get();
    if (on && presenter && guideShown.get()) {
      // As at 1366, where presenter mode keeps the guide in its drawer: at 1920 it stayed 861 px
      // wide beside F8's views (~1050 px). F7 or the handle brings it back meanwhile.
      guideAwayForFocus = true;
      guideShown.set(false);
    } else if (!on && guideAwayForFocus) {
      guideAwayForFocus = false;
      guideShown.set(true);
    }
    if (on) {
      dividerBeforeFocus = work.getDividerPositions()[0];
      Scene scene = root.getScene();
      keyboardBeforeFocus = scene == null ? null : scene.getFocusOwner();
      workArea.getChildren().setAll(lower);
      VBox.setVgrow(lower, Priority.ALWAYS);
    } else {
      work.getItems().setAll(terminals.node(), lower);
      // Back as it was before F8 (a chart's room kept), not the mode's default.
      work.setDividerPositions(
          !Double.isNaN(dividerBeforeFocus)
              ? dividerBeforeFocus
              : appearance != null && appearance.presenterProperty().get()
                  ? WORK_DIVIDER_PRESENTER
                  : WORK_DIVIDER);
      workArea.getChildren().setAll(runPanel, work);
      giveTheKeyboardBack();
    }
  }

  /**
   * F8 took the terminal (or a run-panel field) out of the scene, and the keyboard went to the
   * first control JavaFX found (the level list, the Image field with its text selected): the next
   * word typed turned the level or replaced the image. Back from F8, the node that had the keyboard
   * gets it again, unless it is gone or the student gave the keyboard to something else meanwhile.
   */
  private void giveTheKeyboardBack() {
    Node before = keyboardBeforeFocus;
    keyboardBeforeFocus = null;
    Scene scene = root.getScene();
    if (before == null || scene == null || before.getScene() != scene || !before.isVisible()) {
      return;
    }
    Node now = scene.getFocusOwner();
    // A view's control the student chose while F8 was on keeps the keyboard; the place JavaFX
    // chose when the terminal left the scene does not.
    if (now == null || !within(now, lower)) {
      before.requestFocus();
    }
  }

  private static boolean within(Node n, Node ancestor) {
    for (Node p = n; p != null; p = p.getParent()) {
      if (p == ancestor) {
        return true;
      }
    }
    return false;
  }

  public TerminalTabs terminals() {
    return terminals;
  }

  /** The glass house view (its export, for tests and the screenshot script). */
  public GlassHouseView glassHouse() {
    return glassHouse;
  }

  /** Installs theme, stylesheets and keyboard shortcuts on the scene showing this view. */
  public Appearance install(Scene scene) {
    appearance = new Appearance(scene, vm.preferences());
    buildTheRestAfterTheFirstFrame();
    Runnable terminalFont = () -> terminals.setFontSize(appearance.terminalFontSize());
    appearance.presenterProperty().addListener((o, a, on) -> terminalFont.run());
    appearance.fontSizeProperty().addListener((o, a, n) -> terminalFont.run());
    terminalFont.run();
    appearance.presenterProperty().addListener((o, a, on) -> presenterHint.show(on));
    presenterHint.show(appearance.presenterProperty().get());
    // Presenter mode reflows: below 1600 px wide the sidebar gives way (levels stay in the header,
    // containers in the terminal tabs) and the terminal takes more of the height.
    var narrow = scene.widthProperty().lessThan(NARROW);
    // A short screen decides whether the house takes the terminal's height (full screen arrives
    // after F5's toggle).
    scene.heightProperty().addListener((o, a, h) -> terminalYields());
    // F8 in presenter mode puts it away at any width: the views take the whole window.
    sidebar
        .visibleProperty()
        .bind(appearance.presenterProperty().and(narrow.or(viewsFocused)).not());
    sidebar.managedProperty().bind(sidebar.visibleProperty());
    appearance
        .presenterProperty()
        .addListener(
            (o, a, on) -> {
              work.setDividerPositions(workShare());
              terminalYields();
              runPanelView.compactProperty().set(on || (shortWindow() && houseOnShow()));
            });
    // On a narrow screen presenter mode puts the guide in its drawer (F7 or the handle brings it
    // back): the views area and the terminal get the width a projector needs. Decided whenever
    // presenter mode or the width crosses the line (full screen arrives after the toggle, and a
    // remembered presenter mode starts at the scene's first, wider size).
    // A field: a binding that only a listener holds is collected, and the listener with it.
    narrowPresenter = appearance.presenterProperty().and(narrow);
    narrowPresenter.addListener((o, a, on) -> guideShown.set(!on));
    guideShown.set(!narrowPresenter.get());
    // A presenter mode remembered from the last session is on before the listener above: the
    // view in front gets its height from the start too.
    if (appearance.presenterProperty().get()) {
      foldRunPanel();
      terminalYields();
    }
    // The guide's share is a fraction of the centre; a first layout wider than the window (the
    // scene at its preferred size, then placed at 1366×768) could leave it with half the width.
    center
        .widthProperty()
        .addListener(
            (o, a, w) -> {
              if (center.getItems().contains(guide)
                  && guide.getLayoutBounds().getWidth() > 0.4 * w.doubleValue()) {
                center.setDividerPositions(GUIDE_DIVIDER);
              }
            });
    var acc = scene.getAccelerators();
    Runnable run = () -> vm.run().run();
    Runnable stop = () -> vm.containers().stopSelected();
    acc.put(new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN), run);
    acc.put(new KeyCodeCombination(KeyCode.F9), run);
    acc.put(new KeyCodeCombination(KeyCode.PERIOD, KeyCombination.SHORTCUT_DOWN), stop);
    acc.put(new KeyCodeCombination(KeyCode.F9, KeyCombination.SHIFT_DOWN), stop);
    Runnable next = () -> vm.levels().next();
    Runnable previous = () -> vm.levels().previous();
    acc.put(new KeyCodeCombination(KeyCode.RIGHT, KeyCombination.SHORTCUT_DOWN), next);
    acc.put(new KeyCodeCombination(KeyCode.LEFT, KeyCombination.SHORTCUT_DOWN), previous);
    acc.put(new KeyCodeCombination(KeyCode.DOWN, KeyCombination.ALT_DOWN), next);
    // The arrows stay the shell's in a terminal (readline's Ctrl+Left/Right): from there a
    // presenter turns the level with Ctrl+PageDown / Ctrl+PageUp, as browsers turn tabs.
    KeyCombination nextKey =
        new KeyCodeCombination(KeyCode.PAGE_DOWN, KeyCombination.SHORTCUT_DOWN);
    KeyCombination previousKey =
        new KeyCodeCombination(KeyCode.PAGE_UP, KeyCombination.SHORTCUT_DOWN);
    // A filter, not an accelerator: a control's own keys run before the scene's accelerators, and
    // the views' tab pane, once a click on a tab gave it the keyboard, turned its tabs on
    // Ctrl+PageDown / Ctrl+PageUp instead of the level (the class walk, room12).
    scene.addEventFilter(
        javafx.scene.input.KeyEvent.KEY_PRESSED,
        e -> {
          if (nextKey.match(e) || previousKey.match(e)) {
            e.consume();
            (nextKey.match(e) ? next : previous).run();
          }
        });
    acc.put(new KeyCodeCombination(KeyCode.UP, KeyCombination.ALT_DOWN), previous);
    acc.put(new KeyCodeCombination(KeyCode.F5), appearance::togglePresenter);
    acc.put(new KeyCodeCombination(KeyCode.F8), () -> viewsFocused.set(!viewsFocused.get()));
    acc.put(
        new KeyCodeCombination(KeyCode.F8, KeyCombination.SHIFT_DOWN),
        () -> viewsFolded.set(!viewsFolded.get()));
    acc.put(new KeyCodeCombination(KeyCode.F7), () -> guideShown.set(!guideShown.get()));
    // Text size: the menu's Ctrl+= and Ctrl+-, and what other keyboards type for them (Ctrl++ is
    // Shift+= on most layouts; the keypad's + and -). The terminal lets every one of them through.
    acc.put(SettingsMenu.QUIT, () -> SettingsMenu.quit(scene.getWindow()));
    Runnable larger = () -> SettingsMenu.larger(vm.preferences(), +1);
    Runnable smaller = () -> SettingsMenu.larger(vm.preferences(), -1);
    acc.put(
        new KeyCodeCombination(
            KeyCode.EQUALS, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
        larger);
    acc.put(new KeyCodeCombination(KeyCode.PLUS, KeyCombination.SHORTCUT_DOWN), larger);
    acc.put(new KeyCodeCombination(KeyCode.ADD, KeyCombination.SHORTCUT_DOWN), larger);
    acc.put(new KeyCodeCombination(KeyCode.SUBTRACT, KeyCombination.SHORTCUT_DOWN), smaller);
    return appearance;
  }

  private HBox header() {
    Label logo = new Label("Glasshouse", new FontIcon(Feather.BOX));
    logo.getStyleClass().add("app-title");
    Label level = new Label();
    level.setId("level-title");
    level.getStyleClass().add("level-heading");
    level
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () ->
                    "Level "
                        + vm.levels().selected().code()
                        + " · "
                        + vm.levels().selected().title(),
                vm.levels().selectedProperty()));
    Button prev =
        iconButton(Feather.CHEVRON_LEFT, "Previous level (Ctrl+Left, Alt+Up, Ctrl+PageUp)");
    prev.setOnAction(e -> vm.levels().previous());
    Button next =
        iconButton(Feather.CHEVRON_RIGHT, "Next level (Ctrl+Right, Alt+Down, Ctrl+PageDown)");
    next.setOnAction(e -> vm.levels().next());
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    Button theme = iconButton(Feather.MOON, "Light / dark theme");
    theme.setId("theme");
    theme.setOnAction(e -> appearance.toggleDark());
    ToggleButton guideToggle = new ToggleButton(null, new FontIcon(Feather.BOOK_OPEN));
    guideToggle.setId("guide-toggle");
    guideToggle.getStyleClass().addAll("flat", "button-icon");
    guideToggle.setTooltip(new Tooltip("Guide shown or in its drawer (F7)"));
    guideToggle.selectedProperty().bindBidirectional(guideShown);
    ToggleButton focus = new ToggleButton(null, new FontIcon(Feather.MAXIMIZE_2));
    focus.setId("focus-views");
    focus.getStyleClass().addAll("flat", "button-icon");
    focus.setTooltip(
        new Tooltip(
            "Focus the views: the tabs take the whole right side, run panel and terminal"
                + " put away (F8)"));
    focus.selectedProperty().bindBidirectional(viewsFocused);
    Button presenter = iconButton(Feather.MONITOR, "Presenter mode (F5)");
    presenter.setId("presenter");
    presenter.setOnAction(e -> appearance.togglePresenter());
    // The arrows sit together before the title: a title that changes width never moves them.
    HBox nav = new HBox(2, prev, next);
    nav.setId("level-nav");
    nav.setAlignment(Pos.CENTER_LEFT);
    nav.setMinWidth(Region.USE_PREF_SIZE);
    level.setMinWidth(0);
    HBox h =
        new HBox(
            10,
            logo,
            nav,
            level,
            spacer,
            presenterHint.node(),
            guideToggle,
            focus,
            theme,
            presenter,
            new SettingsMenu(vm.preferences()).node());
    prev.setId("level-previous");
    next.setId("level-next");
    // No header control takes the keyboard, by a click or by Tab, as Run, Stop and Remove do not:
    // a focused ">" fired on the Space and Enter a student typed for a shell whose start was still
    // pending (room6's class walk: level 07 became 09). Each has its shortcut in its tooltip.
    for (Node n : h.getChildren()) {
      n.setFocusTraversable(false);
    }
    prev.setFocusTraversable(false);
    next.setFocusTraversable(false);
    presenterHint.node().setId("presenter-hint");
    h.setAlignment(Pos.CENTER_LEFT);
    h.getStyleClass().add("header");
    return h;
  }

  private static Button iconButton(Feather icon, String tip) {
    Button b = new Button(null, new FontIcon(icon));
    b.getStyleClass().addAll("flat", "button-icon");
    b.setTooltip(new Tooltip(tip));
    return b;
  }

  private static Label sectionTitle(String text) {
    Label l = new Label(text.toUpperCase(java.util.Locale.ROOT));
    l.getStyleClass().add("section-title");
    return l;
  }
}
