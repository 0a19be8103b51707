package org.glasshouse.app.terminal;

import com.techsenger.jeditermfx.ui.JediTermFxWidget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.StackPane;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.core.UserInput;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * One terminal tab per container the student ran: a JediTermFX emulator wired to the container's
 * pty in the helper through a {@link HelperTtyConnector}. The containers' selection decides which
 * tab is on show; only a person's click on a tab selects its container. Closing a tab detaches the
 * terminal (the container keeps running).
 */
public final class TerminalTabs {
  private final LabService lab;
  private final ContainersViewModel containers;
  private final TabPane tabs = new TabPane();
  private final Map<ContainerItem, Tab> byItem = new HashMap<>();
  private final Map<Tab, JediTermFxWidget> widgets = new HashMap<>();
  private final Map<ContainerItem, HelperTtyConnector> connectors = new HashMap<>();
  // Never squeezed below a few rows, whatever else wants the height: a chart brought to the front
  // in presenter mode at 1920×1080 once left the terminal ~60 px, a line and a half.
  private final StackPane root =
      new StackPane() {
        @Override
        protected double computeMinHeight(double width) {
          // As far as the window has room: at 1366×768 in presenter mode, level 11's run panel and
          // the views' least height leave less than six rows, and a larger least height pushed
          // the window's header off the screen.
          if (idle != null && idle.get()) {
            return EMPTY_HEIGHT;
          }
          return Math.max(
              super.computeMinHeight(width),
              Math.min(Math.max(rowsHeight(minRows), cardHeight(width)), room.getAsDouble()));
        }

        @Override
        protected double computeMaxHeight(double width) {
          return idle != null && idle.get() ? EMPTY_HEIGHT : Double.MAX_VALUE;
        }
      };

  /**
   * The height of the area while it shows only its "Press Run" line (no terminal on show, no failed
   * start): in presenter mode at 1920×1080 the empty area held the upper half of the right side and
   * left the glass house ~200-230 px.
   */
  public static final double EMPTY_HEIGHT = 104;

  private javafx.beans.binding.BooleanBinding idle;

  /** The rows a terminal keeps in every layout that has room: a prompt, a command, its answer. */
  public static final int MIN_ROWS = 6;

  /**
   * The rows it keeps while the glass house in front of a short presenter screen takes the height
   * and nobody types here: the prompt and the last two lines.
   */
  public static final int YIELD_ROWS = 3;

  private int minRows = MIN_ROWS;

  /** The failed-start card (see {@link #failedStartCard}). */
  private javafx.scene.layout.Region card;

  /**
   * The height the failed-start card asks for at the area's width, its reason wrapped, or 0 when it
   * is not on show. Issue #14: with the glass house in front of a 1366×768 presenter screen the
   * area kept only {@link #YIELD_ROWS} rows, ~144 px, and the reason was cut with "…" (Xvfb's
   * fonts; Monocle's, narrower, only squeezed it).
   */
  private double cardHeight(double width) {
    if (card == null || !card.isVisible()) {
      return 0;
    }
    double w = width > 0 ? width : root.getWidth();
    Insets in = root.getInsets();
    return card.prefHeight(w > 0 ? w - in.getLeft() - in.getRight() : -1)
        + in.getTop()
        + in.getBottom();
  }

  private java.util.function.DoubleSupplier room = () -> Double.MAX_VALUE;

  /**
   * The rows it keeps at least: {@link #MIN_ROWS}, or {@link #YIELD_ROWS} while the window gives
   * the glass house its height.
   */
  public void setMinRows(int rows) {
    if (rows != minRows) {
      minRows = rows;
      root.requestLayout();
    }
  }

  /** The most height the window can give the terminal without overflowing (set by the window). */
  public void setRoom(java.util.function.DoubleSupplier room) {
    this.room = room;
  }

  private float fontSize = 14;
  private Runnable showSteps = () -> {};
  // A person's click on a tab header (or a key in the tab row): the only tab change that selects a
  // container. Every other one (a tab added or removed as containers come and go) is the TabPane's
  // own choice and is put back to the containers' selection.
  private final UserInput byHand = UserInput.watch(tabs);

  public TerminalTabs(LabService lab, ContainersViewModel containers) {
    this.lab = lab;
    this.containers = containers;
    tabs.setId("terminals");
    tabs.getStyleClass().add("terminal-tabs");
    tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
    Label empty = new Label("Press Run: the container's terminal opens here.");
    empty.getStyleClass().add("terminal-placeholder");
    // Also when the selected container has no terminal: another container's must not stand in.
    empty
        .visibleProperty()
        .bind(
            tabs.getSelectionModel()
                .selectedItemProperty()
                .isNull()
                .and(containers.failedStartProperty().isNull()));
    empty
        .textProperty()
        .bind(
            javafx.beans.binding.Bindings.when(
                    javafx.beans.binding.Bindings.isEmpty(tabs.getTabs()))
                .then("Press Run: the container's terminal opens here.")
                .otherwise(
                    javafx.beans.binding.Bindings.when(containers.selectedProperty().isNull())
                        .then("No container selected: pick a terminal's tab, or press Run.")
                        .otherwise("The selected container has no terminal here.")));
    root.getChildren().addAll(tabs, empty, failedStartCard());
    idle =
        tabs.getSelectionModel()
            .selectedItemProperty()
            .isNull()
            .and(containers.failedStartProperty().isNull());
    idle.addListener((o, a, b) -> root.requestLayout());
    // A click on a terminal's tab (which focuses the tab pane) gives that terminal the keyboard, as
    // a click in its body does: room6's walk typed after a tab click and the keys went nowhere.
    // Later: the click selects the tab after it focused the pane.
    tabs.focusedProperty()
        .addListener(
            (o, was, now) -> {
              if (now) {
                javafx.application.Platform.runLater(this::focus);
              }
            });
    root.getStyleClass().add("terminal-area");
    // The containers' selection decides which terminal is on show; it opens on demand.
    containers.selectedProperty().addListener((o, a, b) -> show(b));
    // A removed container's terminal goes with it.
    containers.onEachChange(
        // Re-attach: a running container found by ps when the app starts (one an earlier window
        // left running) gets its terminal back. ps marks it adopted just after adding it, so look
        // once the change has been applied. Its tab opens behind: which container is on show is
        // the containers' choice (the one the student just ran, or the one on show when the app
        // closed).
        added ->
            javafx.application.Platform.runLater(
                () -> {
                  if (added.adopted()
                      && added.state().live()
                      && containers.containers().contains(added)) {
                    open(added);
                  }
                }),
        gone -> {
          Tab t = byItem.get(gone);
          if (t != null) {
            tabs.getTabs().remove(t);
            t.getOnClosed().handle(null);
          }
        });
    tabs.getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, a, b) -> {
              if (a != null && a.getUserData() instanceof ContainerItem old) {
                HelperTtyConnector c = connectors.get(old);
                if (c != null) {
                  c.setActive(false);
                }
              }
              contentsFollowSelection();
              if (b != null && b.getUserData() instanceof ContainerItem item) {
                HelperTtyConnector c = connectors.get(item);
                if (c != null) {
                  c.setActive(true);
                }
                // A tab the student picked selects its container; one the TabPane picked by
                // itself (the first tab added to an empty pane, the neighbour of a removed one)
                // must not: that moved the selection, and the keys typed into a shell, to
                // whichever container got or lost a tab meanwhile.
                if (byHand.active()) {
                  containers.selectedProperty().set(item);
                }
                if (item == containers.selected()) {
                  focus(widgets.get(b));
                }
              }
            });
    // After every change of the tabs (this listener runs after the TabPane's own, which picks a
    // tab by itself): the selected container's tab is the one on show, or none.
    tabs.getTabs().addListener((javafx.collections.ListChangeListener<Tab>) c -> reflect());
    openAdopted();
  }

  /**
   * The running containers the view-model adopted before this view was made (it was connected
   * already) get their terminals, the selected one's on show.
   */
  private void openAdopted() {
    for (ContainerItem i : java.util.List.copyOf(containers.containers())) {
      if (i.adopted() && i.state().live()) {
        open(i);
      }
    }
    reflect();
  }

  /**
   * Shows the terminal of {@code item}, the selected container: an adopted one (found by ps after a
   * reconnect) gets its terminal on demand; one without (a check, a run without a tty) shows none,
   * never another container's.
   */
  private void show(ContainerItem item) {
    if (item != null
        && item.spec() != null
        && (item.spec().tty() || item.adopted())
        && !item.isCheck()) {
      open(item);
    }
    reflect();
  }

  /** Puts the selected container's tab on show, or none when it has no tab here. */
  private void reflect() {
    Tab shown = byItem.get(containers.selected());
    if (shown == null) {
      tabs.getSelectionModel().clearSelection();
    } else if (tabs.getSelectionModel().getSelectedItem() != shown) {
      selectOnly(tabs, shown);
    }
    contentsFollowSelection();
  }

  /**
   * Only the model's selected tab draws its terminal. After {@code clearSelection()} the TabPane's
   * skin kept drawing the last tab's (its {@code selected} flag stays set): with no container
   * selected the area showed an old shell under "no terminal here" (issue #14's walk, a failed
   * start dismissed by another level).
   */
  /** The style of a tab JavaFX leaves flagged selected after {@code clearSelection()}. */
  private static final String STALE = "stale-selection";

  private void contentsFollowSelection() {
    Tab on = tabs.getSelectionModel().getSelectedItem();
    for (Tab t : tabs.getTabs()) {
      if (t.getContent() != null) {
        t.getContent().setVisible(t == on);
      }
      // Its header too: with no container selected the old tab still looked like the one on show.
      t.getStyleClass().remove(STALE);
      if (t.isSelected() && t != on) {
        t.getStyleClass().add(STALE);
      }
    }
  }

  /**
   * Selects {@code tab} so that it is the only tab on show. JavaFX's TabPane leaves the last tab's
   * {@code selected} flag set on {@code clearSelection()}, and a later {@code select} unsets only
   * the model's current tab (none): two tabs were then selected, and the skin kept the OLD one's
   * terminal in front of the new one's (level 03's Try its, whose containers end at once: the
   * student saw the previous shell). The stale tab is made the model's selection first, so the
   * select that follows unsets it.
   */
  static void selectOnly(TabPane pane, Tab tab) {
    for (Tab t : java.util.List.copyOf(pane.getTabs())) {
      if (t != tab && t.isSelected()) {
        pane.getSelectionModel().select(t);
      }
    }
    pane.getSelectionModel().select(tab);
  }

  /**
   * Whether the area shows only its placeholder line: no terminal on show (none yet, or the
   * selected container has none) and no failed start. It then keeps {@link #EMPTY_HEIGHT}.
   */
  public javafx.beans.binding.BooleanBinding idleProperty() {
    return idle;
  }

  public StackPane node() {
    return root;
  }

  private final javafx.beans.property.BooleanProperty cardBrief =
      new javafx.beans.property.SimpleBooleanProperty();

  /**
   * Whether the failed-start card is brief: its title and a line pointing below, while the step log
   * in front shows the failure (after "Show the step log" in presenter mode at 1366×768 the step
   * log took the height and the card, whole, was cut in the middle of its second paragraph).
   */
  public void setCardBrief(boolean brief) {
    cardBrief.set(brief);
  }

  /** What the failed-start card's "Show the step log" does (the app's navigator). */
  public void setShowSteps(Runnable action) {
    this.showSteps = action;
  }

  /**
   * A run that failed at a step has no container and no terminal, but it is what the student (or
   * the room, in presenter mode, where the containers list is put away) needs to see next: where
   * its terminal would have opened, what failed, and where to read its steps. It goes when the next
   * run starts or a container is selected.
   */
  private javafx.scene.Node failedStartCard() {
    Label title = new Label("The start failed: no container", new FontIcon(Feather.X_OCTAGON));
    title.getStyleClass().add("start-failed-title");
    Label what = new Label();
    what.setId("start-failed-text");
    what.getStyleClass().add("start-failed-text");
    what.setWrapText(true);
    Label undone =
        new Label(
            "The helper undid every step it had made. The step log shows each one, up to the one"
                + " that failed.");
    undone.getStyleClass().add("muted");
    undone.setWrapText(true);
    javafx.scene.control.Button steps =
        new javafx.scene.control.Button("Show the step log", new FontIcon(Feather.LIST));
    steps.setId("start-failed-steps");
    steps.setOnAction(e -> showSteps.run());
    steps.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    // Brief while the step log shows the same failure below (setCardBrief): the title and where to
    // read on, not the reason a second time, cut in the three rows the step log leaves the card.
    Label below = new Label("What failed, and each step before it, is in the step log below.");
    below.setId("start-failed-below");
    below.getStyleClass().add("muted");
    below.setWrapText(true);
    for (javafx.scene.Node n : List.of(what, undone, steps)) {
      n.visibleProperty().bind(cardBrief.not());
      n.managedProperty().bind(n.visibleProperty());
    }
    below.visibleProperty().bind(cardBrief);
    below.managedProperty().bind(below.visibleProperty());
    cardBrief.addListener((o, a, b) -> root.requestLayout());
    javafx.scene.layout.VBox card = new javafx.scene.layout.VBox(title, what, undone, steps, below);
    this.card = card;
    card.setId("start-failed");
    card.getStyleClass().add("start-failed");
    card.setMaxHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    javafx.scene.layout.StackPane.setAlignment(card, javafx.geometry.Pos.TOP_LEFT);
    ContainerItem now = containers.failedStartProperty().get();
    card.setVisible(now != null);
    tabs.setVisible(now == null);
    containers
        .failedStartProperty()
        .addListener(
            (o, a, failed) -> {
              what.textProperty().unbind();
              if (failed != null) {
                what.textProperty().bind(failed.summaryProperty());
                // Not another container's terminal behind it: the failure is this run's.
                tabs.getSelectionModel().clearSelection();
              }
              card.setVisible(failed != null);
              // Nor the last terminal's text below the card: with no tab selected the pane still
              // drew it (the walk saw another container's prompt under a failed bridge start).
              tabs.setVisible(failed == null);
              root.requestLayout();
              if (failed != null && failed != a) {
                // The keyboard a run leaves in the Image or Command field would take the shell's
                // keys a student types next ("busyboxecho hi"): the card has it instead, where
                // Enter shows the step log and letters change nothing.
                javafx.application.Platform.runLater(
                    () -> {
                      if (card.isVisible() && card.getScene() != null) {
                        steps.requestFocus();
                      }
                    });
              }
            });
    if (now != null) {
      what.textProperty().bind(now.summaryProperty());
    }
    return card;
  }

  /** The widget of a container's tab, or null; tests read its text buffer. */
  public JediTermFxWidget widget(ContainerItem item) {
    Tab t = byItem.get(item);
    return t == null ? null : widgets.get(t);
  }

  /** The font size of every terminal, the open ones included (presenter mode asks for more). */
  public void setFontSize(float size) {
    this.fontSize = size;
    for (JediTermFxWidget w : widgets.values()) {
      ((GlassTerminal) w).setFontSize(size);
    }
    root.requestLayout();
  }

  /**
   * The height {@code rows} rows take at the current font size, with what surrounds the rows (the
   * tabs' header, insets), as measured on the terminal on show; estimated before one is.
   */
  private double rowsHeight(int rows) {
    Tab t = tabs.getSelectionModel().getSelectedItem();
    GlassTerminal w = t == null ? null : (GlassTerminal) widgets.get(t);
    if (w != null && w.rowHeight() > 0 && w.getPane().getHeight() > 0) {
      double around = root.getHeight() - w.getPane().getHeight();
      // A pixel or two of slack: the panel rounds its size to whole rows.
      return Math.max(0, around) + rows * w.rowHeight() + 2;
    }
    return 40 + rows * Math.ceil(fontSize * 1.5);
  }

  /**
   * The height {@link #MIN_ROWS} rows take now, or the failed-start card when it asks for more:
   * what the run panel leaves the terminal area.
   */
  public double minRowsHeight() {
    return Math.max(rowsHeight(MIN_ROWS), cardHeight(-1));
  }

  /** How many rows the terminal on show has room for, or 0 when none is on show; for tests. */
  public int rowsShown() {
    Tab t = tabs.getSelectionModel().getSelectedItem();
    JediTermFxWidget w = t == null ? null : widgets.get(t);
    return w == null ? 0 : w.getTerminalPanel().getTerminalSizeFromComponent().getRows();
  }

  /** The font size terminals use now. */
  public float fontSize() {
    return fontSize;
  }

  /** Focuses the current terminal. */
  public void focus() {
    Tab t = tabs.getSelectionModel().getSelectedItem();
    if (t != null) {
      focus(widgets.get(t));
    }
  }

  // Keys are handled on the widget's canvas, not on the pane it calls preferred. A tab just added
  // has its content put in the scene by the TabPane's skin after this pane's listeners ran: asked
  // then, the focus went nowhere and the keys a student typed after Run were lost.
  private static void focus(JediTermFxWidget w) {
    if (w == null) {
      return;
    }
    javafx.scene.canvas.Canvas canvas = w.getTerminalPanel().getCanvas();
    if (canvas.getScene() != null) {
      canvas.requestFocus();
    } else {
      javafx.application.Platform.runLater(canvas::requestFocus);
    }
  }

  /**
   * Closes every terminal, as the window closes: each JediTerm widget runs two threads that are not
   * daemons (its emulator and its job executor), and left running they kept the app's JVM alive
   * after its window had gone (room6's walk: 34 such threads, the process never ended).
   */
  public void close() {
    for (JediTermFxWidget w : List.copyOf(widgets.values())) {
      w.close();
    }
  }

  private Tab open(ContainerItem item) {
    Tab existing = byItem.get(item);
    if (existing != null) {
      return existing;
    }
    Integer cols = item.spec().cols();
    Integer rows = item.spec().rows();
    JediTermFxWidget widget =
        new GlassTerminal(
            cols == null ? 100 : cols, rows == null ? 30 : rows, new TerminalSettings(fontSize));
    HelperTtyConnector connector = new HelperTtyConnector(lab, item.id());
    connectors.put(item, connector);
    widget.setTtyConnector(connector);
    XtermKeys.install(widget);
    widget.start();
    Consumer<byte[]> sink = connector::feed;
    item.attach(sink);
    Tab tab = new Tab(item.shortId(), widget.getPane());
    tab.setGraphic(new FontIcon(Feather.TERMINAL));
    tab.setUserData(item);
    tab.getStyleClass().add("terminal-tab");
    tab.setOnClosed(
        e -> {
          item.detach(sink);
          widget.close();
          byItem.remove(item);
          connectors.remove(item);
          widgets.remove(tab);
        });
    byItem.put(item, tab);
    widgets.put(tab, widget);
    tabs.getTabs().add(tab);
    return tab;
  }
}
