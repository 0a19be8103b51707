package org.glasshouse.app.terminal;

import com.techsenger.jeditermfx.ui.JediTermFxWidget;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.StackPane;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.LabService;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * One terminal tab per container the student ran: a JediTermFX emulator wired to the container's
 * pty in the helper through a {@link HelperTtyConnector}. Selecting a tab selects its container;
 * closing it detaches the terminal (the container keeps running).
 */
public final class TerminalTabs {
  private final LabService lab;
  private final ContainersViewModel containers;
  private final TabPane tabs = new TabPane();
  private final Map<ContainerItem, Tab> byItem = new HashMap<>();
  private final Map<Tab, JediTermFxWidget> widgets = new HashMap<>();
  private final Map<ContainerItem, HelperTtyConnector> connectors = new HashMap<>();
  private final StackPane root = new StackPane();
  private float fontSize = 14;
  private Runnable showSteps = () -> {};
  // While tabs are added or removed here: the TabPane's own selection changes are not the
  // student's.
  private boolean arranging;

  public TerminalTabs(LabService lab, ContainersViewModel containers) {
    this.lab = lab;
    this.containers = containers;
    tabs.setId("terminals");
    tabs.getStyleClass().add("terminal-tabs");
    tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
    Label empty = new Label("Press Run: the container's terminal opens here.");
    empty.getStyleClass().add("terminal-placeholder");
    // Also when the selected container has no terminal: another container's must not stand in.
    empty.visibleProperty().bind(tabs.getSelectionModel().selectedItemProperty().isNull());
    empty
        .textProperty()
        .bind(
            javafx.beans.binding.Bindings.when(
                    javafx.beans.binding.Bindings.isEmpty(tabs.getTabs()))
                .then("Press Run: the container's terminal opens here.")
                .otherwise("The selected container has no terminal here."));
    root.getChildren().addAll(tabs, empty, failedStartCard());
    root.getStyleClass().add("terminal-area");
    containers
        .selectedProperty()
        .addListener(
            (o, a, b) -> {
              // An adopted container (found by ps after a reconnect) gets its terminal on demand.
              if (b != null
                  && b.spec() != null
                  && (b.spec().tty() || b.adopted())
                  && !b.isCheck()) {
                tabs.getSelectionModel().select(open(b));
              } else if (b != null) {
                tabs.getSelectionModel().clearSelection();
              }
            });
    // A removed container's terminal goes with it.
    containers
        .containers()
        .addListener(
            (javafx.collections.ListChangeListener<ContainerItem>)
                c -> {
                  while (c.next()) {
                    // Re-attach: a running container found by ps when the app starts (one an
                    // earlier window left running) gets its terminal back. ps marks it adopted
                    // just after adding it, so look once the change has been applied. Its tab
                    // opens behind: which container is on show is the containers' choice (the
                    // one the student just ran, or the one on show when the app closed), and a
                    // tab selected here selected its container, whichever ps listed first.
                    for (ContainerItem added : c.getAddedSubList()) {
                      javafx.application.Platform.runLater(
                          () -> {
                            if (added.adopted()
                                && added.state().live()
                                && containers.containers().contains(added)) {
                              open(added);
                            }
                          });
                    }
                    for (ContainerItem gone : c.getRemoved()) {
                      Tab t = byItem.get(gone);
                      if (t != null) {
                        arrange(() -> tabs.getTabs().remove(t));
                        t.getOnClosed().handle(null);
                      }
                    }
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
              if (b != null && b.getUserData() instanceof ContainerItem item) {
                HelperTtyConnector c = connectors.get(item);
                if (c != null) {
                  c.setActive(true);
                }
                // A tab the student picked selects its container; one the TabPane picked by
                // itself (the first tab added to an empty pane, the neighbour of a removed one)
                // must not: that moved the selection to whichever container got a tab first.
                if (!arranging) {
                  containers.selectedProperty().set(item);
                }
                focus(widgets.get(b));
              }
            });
    openAdopted();
  }

  /**
   * The running containers the view-model adopted before this view was made (it was connected
   * already) get their terminals, the selected one's on show.
   */
  private void openAdopted() {
    arrange(
        () -> {
          for (ContainerItem i : java.util.List.copyOf(containers.containers())) {
            if (i.adopted() && i.state().live()) {
              open(i);
            }
          }
        });
  }

  public StackPane node() {
    return root;
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
    javafx.scene.layout.VBox card = new javafx.scene.layout.VBox(title, what, undone, steps);
    card.setId("start-failed");
    card.getStyleClass().add("start-failed");
    card.setMaxHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    javafx.scene.layout.StackPane.setAlignment(card, javafx.geometry.Pos.TOP_LEFT);
    ContainerItem now = containers.failedStartProperty().get();
    card.setVisible(now != null);
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

  // Keys are handled on the widget's canvas, not on the pane it calls preferred.
  private static void focus(JediTermFxWidget w) {
    if (w != null) {
      w.getTerminalPanel().getCanvas().requestFocus();
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
    arrange(() -> tabs.getTabs().add(tab));
    return tab;
  }

  /**
   * Changes the tabs without the TabPane's own choice of a selected tab reaching the containers:
   * afterwards the selected container's tab is the one on show (or none, when it has no tab here).
   */
  private void arrange(Runnable change) {
    boolean outer = !arranging;
    arranging = true;
    try {
      change.run();
      Tab shown = byItem.get(containers.selected());
      if (shown == null) {
        tabs.getSelectionModel().clearSelection();
      } else {
        tabs.getSelectionModel().select(shown);
      }
    } finally {
      if (outer) {
        arranging = false;
      }
    }
  }
}
