package org.glasshouse.app.timeline;

import java.util.List;
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
import javafx.scene.layout.Region;
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
  private final TableView<StepEntry> table;
  private final Label em = new Label("#");
  private final TableColumn<StepEntry, String> seq;
  private final TableColumn<StepEntry, String> step;
  private final TableColumn<StepEntry, String> call;
  private final TableColumn<StepEntry, String> result;
  private final TableColumn<StepEntry, String> time;
  private final StepLogViewModel vm;

  public StepLogView(StepLogViewModel vm) {
    this.vm = vm;
    root.getStyleClass().add("step-log");
    TableView<StepEntry> table = new TableView<>(vm.steps());
    this.table = table;
    table.setId("step-log");
    table.getStyleClass().add("dense");
    // Widths are set for the width the table has (layoutColumns): a constrained policy squeezed
    // the first columns to "d…" and "pi…" when the tab was narrow.
    table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
    table.setPlaceholder(new Label("The steps of the selected container appear here."));
    // The status mark and the number, one column: a column of its own for the mark was the first
    // to be squeezed unreadable.
    seq = column("", e -> String.valueOf(e.seq()));
    seq.setCellFactory(c -> new SeqCell());
    seq.setId("step-seq");
    // The header's label is the column's; its font (the root's size, presenter's too) is the
    // measure of every width here.
    em.setId("step-seq-header");
    seq.setGraphic(em);
    step = column("Step", StepEntry::step);
    step.setId("step-name");
    call = column("Call", StepLogViewModel::shortCall);
    call.setId("step-call");
    // The column shows each path's end (the file, the node, the target); the whole call is in the
    // cell's tooltip and the detail pane. Without a Result column it ends with the result, as
    // strace writes a line.
    call.setCellFactory(c -> new CallCell());
    result = column("Result", StepLogViewModel::shortResult);
    result.setId("step-result");
    time = column("Time", e -> Units.duration(e.durationNanos()));
    time.setId("step-time");
    table.getColumns().addAll(List.of(seq, step, call, result, time));
    table.widthProperty().addListener((o, a, w) -> layoutColumns());
    em.fontProperty().addListener((o, a, f) -> layoutColumns());
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
    // Wrapped over as many lines as the reason needs: the banner keeps that height and the table
    // under it gives way (at its one-line minimum the banner cut the reason with "…", and a
    // student had to open the detail pane to read why the start failed).
    failure.setMinHeight(Region.USE_PREF_SIZE);
    failure.getStyleClass().add("step-failure-text");
    FontIcon icon = new FontIcon(Feather.X_OCTAGON);
    icon.getStyleClass().add("step-failure-icon");
    HBox banner = new HBox(10, icon, failure);
    HBox.setHgrow(failure, Priority.ALWAYS);
    banner.setAlignment(Pos.CENTER_LEFT);
    banner.getStyleClass().add("step-failure");
    banner.setVisible(false);
    banner.setMinHeight(Region.USE_PREF_SIZE);
    banner.managedProperty().bind(banner.visibleProperty());
    // Renders the banner, the scroll position and the selection from the steps as they are: at
    // each change, and once now.
    Runnable render =
        () -> {
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
        };
    vm.steps().addListener((ListChangeListener<StepEntry>) c -> render.run());
    // Built when its tab is first shown (MainView): a failed start may be in the log already.
    render.run();
    // The selected step in full, beside the table: the Call column cuts what matters most.
    TextArea detail = new TextArea();
    detail.setId("step-detail");
    detail.getStyleClass().add("step-detail");
    detail.setEditable(false);
    detail.setWrapText(true);
    detail.textProperty().bind(vm.detailProperty());
    SplitPane split = new SplitPane(table, detail);
    split.setDividerPositions(0.64);
    split.getStyleClass().add("step-log-split");
    // The detail's width from the split's, in em of the text, whenever the width changes: a
    // divider position set once was applied to the split's first layout (the tab not yet shown)
    // and left the table 216 px of 716 at 1366×768 — the columns "d…", "pi…".
    split.widthProperty().addListener((o, a, w) -> placeDivider(split));
    em.fontProperty().addListener((o, a, f) -> placeDivider(split));
    // A failed step selected (a failed start selects it) widens the pane: its message and
    // explanation are the text to read, and the table of a failed start has a few rows.
    vm.selectedProperty().addListener((o, a, b) -> placeDivider(split));
    // Each step's detail starts at its first line, the result.
    detail.textProperty().addListener((o, a, t) -> detail.setScrollTop(0));
    VBox.setVgrow(split, Priority.ALWAYS);
    root.getChildren().addAll(banner, split);
  }

  public VBox node() {
    return root;
  }

  /** "pivot_root(".", ".oldroot") failed: EBUSY (Device or resource busy). The new root …" */
  static String explain(StepEntry e) {
    String s = e.call() + "(" + nz(e.args()) + ") failed";
    if (e.errno() != null && !e.errno().isEmpty()) {
      s += ": " + e.errno() + (e.message() != null ? " (" + e.message() + ")" : "");
    } else if (e.message() != null) {
      // The helper's own failures (no image…) have no errno: the message is the reason.
      s += ": " + e.message();
    }
    if (e.explanation() != null) {
      s += ". " + e.explanation();
    }
    return s;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /**
   * Sets the columns for the table's width, measured in the text's em (presenter mode's 18 px text
   * needs more pixels for the same words): the number and the call always; the step's name and the
   * result from {@link #STEP_AND_RESULT_EM} on, the time from {@link #TIME_EM}. The call takes what
   * the others leave.
   */
  private void layoutColumns() {
    double w = table.getWidth();
    double size = em.getFont() == null ? 13 : em.getFont().getSize();
    if (w <= 0) {
      return;
    }
    double ems = w / size;
    boolean middle = ems >= STEP_AND_RESULT_EM;
    boolean wide = ems >= TIME_EM;
    if (step.isVisible() != middle || time.isVisible() != wide) {
      step.setVisible(middle);
      result.setVisible(middle);
      time.setVisible(wide);
      // The call cells end with the result, or not.
      table.refresh();
    }
    double seqW = 4.6 * size;
    double stepW = middle ? 9.5 * size : 0;
    double resultW = middle ? 10.5 * size : 0;
    double timeW = wide ? 5.5 * size : 0;
    // The vertical scroll bar and the borders; a pixel short of the width, never a horizontal bar.
    double rest = w - seqW - stepW - resultW - timeW - 1.5 * size;
    seq.setPrefWidth(seqW);
    step.setPrefWidth(stepW);
    result.setPrefWidth(resultW);
    time.setPrefWidth(timeW);
    call.setPrefWidth(Math.max(8 * size, rest));
  }

  /**
   * The detail pane: about a third of the width, at least 14 em and at most 30 em of the text; with
   * a failed step selected, half the width (at 1366×768 a third was ~250 px, and a failed start's
   * message — an image's path — and explanation ran below the pane's scroll bar).
   */
  private void placeDivider(SplitPane split) {
    double w = split.getWidth();
    if (w <= 0) {
      return;
    }
    double size = em.getFont() == null ? 13 : em.getFont().getSize();
    double detail = Math.max(14 * size, Math.min(0.36 * w, 30 * size));
    StepEntry selected = vm.selectedProperty().get();
    if (selected != null && !selected.ok()) {
      detail = Math.max(detail, 0.5 * w);
    }
    split.setDividerPositions(Math.max(0.3, 1 - detail / w));
  }

  /** From this width (in em of the text) the step's name and the result have their own columns. */
  static final double STEP_AND_RESULT_EM = 52;

  /** From this width (in em) the time has its column. */
  static final double TIME_EM = 70;

  /** The table (tests). */
  TableView<StepEntry> table() {
    return table;
  }

  private static TableColumn<StepEntry, String> column(
      String title, Function<StepEntry, String> f) {
    TableColumn<StepEntry, String> c = new TableColumn<>(title);
    c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
    c.setSortable(false);
    return c;
  }

  /**
   * The call with each path's end, and in full in a tooltip; followed by its result while the
   * Result column is away.
   */
  private final class CallCell extends TableCell<StepEntry, String> {
    private final Tooltip tip = new Tooltip();

    CallCell() {
      tip.setWrapText(true);
      tip.setMaxWidth(640);
      tip.getStyleClass().add("step-call-tip");
    }

    @Override
    protected void updateItem(String s, boolean empty) {
      super.updateItem(s, empty);
      StepEntry e = empty || getTableRow() == null ? null : getTableRow().getItem();
      if (e == null || s == null) {
        setText(null);
        setTooltip(null);
        return;
      }
      setText(result.isVisible() ? s : s + " " + StepLogViewModel.shortResult(e));
      tip.setText(e.call() + "(" + nz(e.args()) + ") " + StepLogViewModel.result(e));
      setTooltip(tip);
    }
  }

  /** The step's number after its mark: a check, or the failure's octagon. */
  private static final class SeqCell extends TableCell<StepEntry, String> {
    @Override
    protected void updateItem(String s, boolean empty) {
      super.updateItem(s, empty);
      StepEntry e = empty || getTableRow() == null ? null : getTableRow().getItem();
      if (e == null || s == null) {
        setText(null);
        setGraphic(null);
        return;
      }
      setText(s);
      FontIcon i = new FontIcon(e.ok() ? Feather.CHECK : Feather.X_OCTAGON);
      i.getStyleClass().add(e.ok() ? "step-ok-icon" : "step-failed-icon");
      setGraphic(i);
    }
  }
}
