package org.glasshouse.app.timeline;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.glasshouse.app.core.Units;
import org.glasshouse.protocol.StepEntry;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The syscall timeline of the selected container: every step in order with its arguments, result or
 * errno, and duration. A failed step is {@code :failed}, carries an error icon, and its explanation
 * stands in a banner above the table.
 */
public final class StepLogView {
  private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
  private final VBox root = new VBox();

  public StepLogView(StepLogViewModel vm) {
    root.getStyleClass().add("step-log");
    TableView<StepEntry> table = new TableView<>(vm.steps());
    table.setId("step-log");
    table.getStyleClass().add("dense");
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setPlaceholder(new Label("The steps of the selected container appear here."));
    TableColumn<StepEntry, String> status = column("", e -> e.ok() ? "ok" : "failed", 34);
    status.setCellFactory(c -> new StatusCell());
    table.getColumns().add(status);
    table.getColumns().add(column("#", e -> String.valueOf(e.seq()), 48));
    table.getColumns().add(column("Step", StepEntry::step, 110));
    TableColumn<StepEntry, String> call =
        column("Call", e -> e.call() + "(" + nz(e.args()) + ")", 330);
    // Arguments are often longer than the column (overlay's lowerdir, the seccomp filter's
    // summary): the whole call is in the cell's tooltip.
    call.setCellFactory(c -> new CallCell());
    table.getColumns().add(call);
    table.getColumns().add(column("Result", StepLogViewModel::result, 170));
    table.getColumns().add(column("Time", e -> Units.duration(e.durationNanos()), 80));
    table.setRowFactory(
        t ->
            new TableRow<>() {
              @Override
              protected void updateItem(StepEntry e, boolean empty) {
                super.updateItem(e, empty);
                pseudoClassStateChanged(FAILED, !empty && e != null && !e.ok());
              }
            });
    table
        .getSelectionModel()
        .selectedItemProperty()
        .addListener((o, a, b) -> vm.selectedProperty().set(b));
    vm.selectedProperty()
        .addListener(
            (o, a, b) -> {
              if (b != null && table.getSelectionModel().getSelectedItem() != b) {
                table.getSelectionModel().select(b);
                table.scrollTo(b);
              }
            });
    Label failure = new Label();
    failure.setId("step-failure");
    failure.setWrapText(true);
    failure.getStyleClass().add("step-failure-text");
    FontIcon icon = new FontIcon(Feather.X_OCTAGON);
    icon.getStyleClass().add("step-failure-icon");
    HBox banner = new HBox(10, icon, failure);
    HBox.setHgrow(failure, Priority.ALWAYS);
    banner.setAlignment(Pos.CENTER_LEFT);
    banner.getStyleClass().add("step-failure");
    banner.setVisible(false);
    banner.managedProperty().bind(banner.visibleProperty());
    vm.steps()
        .addListener(
            (ListChangeListener<StepEntry>)
                c -> {
                  StepEntry bad = vm.steps().stream().filter(s -> !s.ok()).findFirst().orElse(null);
                  banner.setVisible(bad != null);
                  failure.setText(bad == null ? "" : explain(bad));
                  if (!vm.steps().isEmpty()) {
                    table.scrollTo(bad != null ? bad : vm.steps().get(vm.steps().size() - 1));
                  }
                  // A failure opens in the detail pane: it is the step to read.
                  if (bad != null) {
                    table.getSelectionModel().select(bad);
                  }
                });
    table
        .getSelectionModel()
        .selectedItemProperty()
        .addListener((o, a, b) -> vm.selectedProperty().set(b));
    vm.selectedProperty()
        .addListener(
            (o, a, b) -> {
              if (b != null && b != table.getSelectionModel().getSelectedItem()) {
                table.getSelectionModel().select(b);
                table.scrollTo(b);
              }
            });
    // The selected step in full, beside the table: the Call column cuts what matters most.
    TextArea detail = new TextArea();
    detail.setId("step-detail");
    detail.getStyleClass().add("step-detail");
    detail.setEditable(false);
    detail.setWrapText(true);
    detail.textProperty().bind(vm.detailProperty());
    SplitPane split = new SplitPane(table, detail);
    split.setDividerPositions(0.66);
    split.getStyleClass().add("step-log-split");
    SplitPane.setResizableWithParent(detail, false);
    VBox.setVgrow(split, Priority.ALWAYS);
    root.getChildren().addAll(banner, split);
  }

  public VBox node() {
    return root;
  }

  /** "pivot_root(".", ".oldroot") failed: EBUSY (Device or resource busy). The new root …" */
  static String explain(StepEntry e) {
    String s = e.call() + "(" + nz(e.args()) + ") failed: " + nz(e.errno());
    if (e.message() != null) {
      s += " (" + e.message() + ")";
    }
    if (e.explanation() != null) {
      s += ". " + e.explanation();
    }
    return s;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static TableColumn<StepEntry, String> column(
      String title, Function<StepEntry, String> f, double width) {
    TableColumn<StepEntry, String> c = new TableColumn<>(title);
    c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
    c.setPrefWidth(width);
    c.setSortable(false);
    return c;
  }

  /** The call as text, and in full in a tooltip. */
  private static final class CallCell extends TableCell<StepEntry, String> {
    private final Tooltip tip = new Tooltip();

    CallCell() {
      tip.setWrapText(true);
      tip.setMaxWidth(640);
      tip.getStyleClass().add("step-call-tip");
    }

    @Override
    protected void updateItem(String s, boolean empty) {
      super.updateItem(s, empty);
      setText(empty ? null : s);
      tip.setText(empty || s == null ? "" : s);
      setTooltip(empty || s == null ? null : tip);
    }
  }

  private static final class StatusCell extends TableCell<StepEntry, String> {
    @Override
    protected void updateItem(String s, boolean empty) {
      super.updateItem(s, empty);
      if (empty || s == null) {
        setGraphic(null);
        return;
      }
      FontIcon i = new FontIcon("ok".equals(s) ? Feather.CHECK : Feather.X_OCTAGON);
      i.getStyleClass().add("ok".equals(s) ? "step-ok-icon" : "step-failed-icon");
      setGraphic(i);
    }
  }
}
