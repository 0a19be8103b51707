package org.glasshouse.app;

import javafx.beans.binding.Bindings;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
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
import org.glasshouse.app.presenter.SettingsMenu;
import org.glasshouse.app.terminal.TerminalTabs;
import org.glasshouse.app.timeline.StepLogView;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The main window: levels and containers on the left, the guide, the run panel with the terminal,
 * and at the bottom inside-vs-outside and the step log; the status bar shows the connection.
 */
public final class MainView {
  private final AppViewModel vm;
  private final BorderPane root = new BorderPane();
  private final TerminalTabs terminals;
  private final VBox sidebar;
  private final SplitPane work;
  private final GlassHouseView glassHouse;
  private Appearance appearance;

  /** Terminal's share of the work area's height: normally, and in presenter mode. */
  private static final double WORK_DIVIDER = 0.46;

  private static final double WORK_DIVIDER_PRESENTER = 0.62;

  public MainView(AppViewModel vm) {
    this.vm = vm;
    root.getStyleClass().add("glasshouse");
    root.setId("main");
    terminals = new TerminalTabs(vm.lab(), vm.containers());
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

    GuideView guide =
        new GuideView(
            vm.levels(),
            vm::check,
            vm.checkResultProperty(),
            cmd -> vm.run().commandProperty().set(cmd),
            vm.experiments());

    TabPane lower = new TabPane();
    lower.setId("lower-tabs");
    lower.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    Tab glass = new Tab("Glass house", glassHouse.node());
    glass.setGraphic(new FontIcon(Feather.HOME));
    glass.setId(Navigator.View.GLASS_HOUSE.tabId());
    Tab inside = new Tab("Inside vs outside", new InsideOutsideView(vm.insideOutside()).node());
    inside.setGraphic(new FontIcon(Feather.COLUMNS));
    inside.setId(Navigator.View.INSIDE_OUTSIDE.tabId());
    Tab steps = new Tab("Step log", new StepLogView(vm.stepLog()).node());
    steps.setGraphic(new FontIcon(Feather.LIST));
    steps.setId("step-log-tab");
    Tab charts = new Tab("Charts", new CgroupChartsView(vm.charts()).node());
    charts.setGraphic(new FontIcon(Feather.ACTIVITY));
    charts.setId(Navigator.View.CHARTS.tabId());
    lower
        .getTabs()
        .addAll(
            glass,
            new MountsView(vm.mounts(), vm.navigator()).tab(),
            new FilesystemView(vm.filesystem()).tab(),
            charts,
            inside,
            steps);
    // A view asks for another through the navigator: select the tab with that view's id.
    vm.navigator()
        .onShow(
            v ->
                lower.getTabs().stream()
                    .filter(t -> v.tabId().equals(t.getId()))
                    .findFirst()
                    .ifPresent(t -> lower.getSelectionModel().select(t)));

    work = new SplitPane(terminals.node(), lower);
    work.setOrientation(Orientation.VERTICAL);
    work.setDividerPositions(WORK_DIVIDER);
    // Brought to the front for an experiment (level 08's Try it, whose containers have no
    // terminal): the terminal yields most of its height, so the charts can be read.
    vm.navigator()
        .onShow(
            v -> {
              if (v == Navigator.View.CHARTS && work.getDividerPositions()[0] > 0.15) {
                work.setDividerPositions(0.15);
              }
            });
    VBox workArea = new VBox(new RunPanelView(vm.run(), vm.containers()).node(), work);
    VBox.setVgrow(work, Priority.ALWAYS);
    workArea.getStyleClass().add("work-area");

    SplitPane center = new SplitPane(guide.node(), workArea);
    center.setDividerPositions(0.34);
    center.getStyleClass().add("main-split");
    SplitPane.setResizableWithParent(guide.node(), false);

    root.setTop(header());
    root.setLeft(sidebar);
    root.setCenter(center);
    root.setBottom(new StatusBar(vm.connection(), vm.containers().errorProperty()).node());
  }

  public BorderPane root() {
    return root;
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
    Runnable terminalFont = () -> terminals.setFontSize(appearance.terminalFontSize());
    appearance.presenterProperty().addListener((o, a, on) -> terminalFont.run());
    appearance.fontSizeProperty().addListener((o, a, n) -> terminalFont.run());
    terminalFont.run();
    // Presenter mode reflows: below 1600 px wide the sidebar gives way (levels stay in the header,
    // containers in the terminal tabs) and the terminal takes more of the height.
    var narrow = scene.widthProperty().lessThan(1600);
    sidebar.visibleProperty().bind(appearance.presenterProperty().and(narrow).not());
    sidebar.managedProperty().bind(sidebar.visibleProperty());
    appearance
        .presenterProperty()
        .addListener(
            (o, a, on) -> work.setDividerPositions(on ? WORK_DIVIDER_PRESENTER : WORK_DIVIDER));
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
    acc.put(new KeyCodeCombination(KeyCode.UP, KeyCombination.ALT_DOWN), previous);
    acc.put(new KeyCodeCombination(KeyCode.F5), appearance::togglePresenter);
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
    Button prev = iconButton(Feather.CHEVRON_LEFT, "Previous level (Ctrl+Left, Alt+Up)");
    prev.setOnAction(e -> vm.levels().previous());
    Button next = iconButton(Feather.CHEVRON_RIGHT, "Next level (Ctrl+Right, Alt+Down)");
    next.setOnAction(e -> vm.levels().next());
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    Button theme = iconButton(Feather.MOON, "Light / dark theme");
    theme.setId("theme");
    theme.setOnAction(e -> appearance.toggleDark());
    Button presenter = iconButton(Feather.MONITOR, "Presenter mode (F5)");
    presenter.setId("presenter");
    presenter.setOnAction(e -> appearance.togglePresenter());
    HBox h =
        new HBox(
            10,
            logo,
            prev,
            level,
            next,
            spacer,
            theme,
            presenter,
            new SettingsMenu(vm.preferences()).node());
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
