package org.glasshouse.app.containers;

import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.glasshouse.app.core.UserInput;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The containers of this session: running, exited with its code, OOM-killed or failed, each state a
 * pseudo-class ({@code :running}, {@code :exited}, {@code :oom}, {@code :failed}).
 */
public final class ContainerListView {
  private static final PseudoClass RUNNING = PseudoClass.getPseudoClass("running");
  private static final PseudoClass EXITED = PseudoClass.getPseudoClass("exited");
  private static final PseudoClass OOM = PseudoClass.getPseudoClass("oom");
  private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
  private final ListView<ContainerItem> list = new ListView<>();

  public ContainerListView(ContainersViewModel vm) {
    list.setId("containers");
    list.getStyleClass().add("container-list");
    list.setItems(vm.containers());
    list.setPlaceholder(new Label("No containers yet: press Run."));
    list.setCellFactory(v -> new Cell());
    // One way: the view-model's selection is what the list shows; the list selects a container
    // only by a person's click or key. The ListView also selects by itself (the row above a removed
    // one, JDK-8118846), which moved the selection from the container being typed into.
    UserInput byHand = UserInput.watch(list);
    list.getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, a, b) -> {
              if (b != null && byHand.active()) {
                vm.selectedProperty().set(b);
              }
            });
    vm.selectedProperty().addListener((o, a, b) -> reflect(vm));
    // Added after setItems, so after the list's own selection model has followed the change.
    vm.containers().addListener((ListChangeListener<ContainerItem>) c -> reflect(vm));
  }

  private void reflect(ContainersViewModel vm) {
    ContainerItem shown = vm.selected();
    if (shown != list.getSelectionModel().getSelectedItem()) {
      list.getSelectionModel().select(shown);
    }
  }

  public ListView<ContainerItem> node() {
    return list;
  }

  private static final class Cell extends ListCell<ContainerItem> {
    private final FontIcon icon = new FontIcon(Feather.BOX);
    private final Label id = new Label();
    private final Label summary = new Label();
    private final Label command = new Label();
    private final HBox box;
    private final Tooltip tip = new Tooltip();
    private final ChangeListener<ContainerState> onState = (o, a, b) -> mark(b);
    private ContainerItem current;

    Cell() {
      getStyleClass().add("container-cell");
      icon.getStyleClass().add("container-icon");
      id.getStyleClass().add("container-id");
      summary.getStyleClass().add("container-summary");
      command.getStyleClass().add("container-command");
      // The id is the handle a student reads; the command gives way when space runs out.
      id.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
      VBox text = new VBox(2, new HBox(8, id, command), summary);
      box = new HBox(8, icon, text);
      box.setAlignment(Pos.CENTER_LEFT);
      // The cell asks for no width of its own, so the list's width is what it gets: a long command
      // ends in "…" (whole in the tooltip) instead of giving the list a horizontal scrollbar.
      setPrefWidth(0);
      box.setMinWidth(0);
      text.setMinWidth(0);
    }

    @Override
    protected void layoutChildren() {
      // The row's content is as wide as the row, and no wider: its labels then ellipsize.
      box.setPrefWidth(Math.max(0, getWidth() - snappedLeftInset() - snappedRightInset()));
      super.layoutChildren();
    }

    @Override
    protected void updateItem(ContainerItem item, boolean empty) {
      super.updateItem(item, empty);
      if (current != null) {
        current.stateProperty().removeListener(onState);
        summary.textProperty().unbind();
      }
      current = empty ? null : item;
      if (current == null) {
        setGraphic(null);
        setTooltip(null);
        mark(null);
        return;
      }
      id.setText(item.shortId());
      command.setText(item.isCheck() ? "check: " + item.commandLine() : item.commandLine());
      tip.setText(item.shortId() + "  " + command.getText());
      setTooltip(tip);
      summary.textProperty().bind(item.summaryProperty());
      item.stateProperty().addListener(onState);
      mark(item.state());
      setGraphic(box);
    }

    private void mark(ContainerState s) {
      pseudoClassStateChanged(RUNNING, s != null && s.live());
      pseudoClassStateChanged(EXITED, s == ContainerState.EXITED || s == ContainerState.LOST);
      pseudoClassStateChanged(OOM, s == ContainerState.OOM_KILLED);
      pseudoClassStateChanged(FAILED, s == ContainerState.FAILED);
      if (s != null) {
        icon.setIconCode(
            switch (s) {
              case STARTING, RUNNING -> Feather.PLAY_CIRCLE;
              case EXITED -> Feather.STOP_CIRCLE;
              case OOM_KILLED -> Feather.ALERT_TRIANGLE;
              case FAILED -> Feather.X_OCTAGON;
              case LOST -> Feather.WIFI_OFF;
            });
      }
    }
  }
}
