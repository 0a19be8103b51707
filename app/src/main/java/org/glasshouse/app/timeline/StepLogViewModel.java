package org.glasshouse.app.timeline;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.core.Units;
import org.glasshouse.protocol.StepEntry;

/**
 * The step log of the selected container, in order, as the helper reported it, and the detail of
 * one step: the whole call (a cgroup write's file and value, a mknod's device — what a column cuts
 * off), its result or errno, and the helper's explanation.
 */
public final class StepLogViewModel {
  /** The detail pane's text while no step is focused. */
  public static final String NO_STEP =
      "Select a step to read its whole call, its result and what it means.";

  private final ObservableList<StepEntry> steps = FXCollections.observableArrayList();
  private final StringProperty detail = new SimpleStringProperty(NO_STEP);
  private final ListChangeListener<StepEntry> follow = c -> sync();
  private final ObjectProperty<StepEntry> selected = new SimpleObjectProperty<>();
  private ContainerItem item;

  public StepLogViewModel() {
    // The detail pane shows the selected step, however it was selected (table, navigator).
    selected.addListener((o, a, b) -> focus(b));
  }

  public ObservableList<StepEntry> steps() {
    return steps;
  }

  /** The step selected in the log (null: none); a view that shows what a step made follows it. */
  public ObjectProperty<StepEntry> selectedProperty() {
    return selected;
  }

  /** The id of the container whose log is shown, or null. */
  public String containerId() {
    return item == null ? null : item.id();
  }

  /** Selects the entry {@code seq} of the log shown, if there is one. */
  public void select(int seq) {
    steps.stream().filter(e -> e.seq() == seq).findFirst().ifPresent(selected::set);
  }

  public void show(ContainerItem next) {
    if (item != null) {
      item.steps().removeListener(follow);
    }
    item = next;
    if (next != null) {
      next.steps().addListener(follow);
    }
    sync();
  }

  /** The detail of the focused step, as text. */
  public ReadOnlyStringProperty detailProperty() {
    return detail;
  }

  /** Shows {@code e}'s detail (null: none). */
  public void focus(StepEntry e) {
    detail.set(e == null ? NO_STEP : detail(e));
  }

  static String detail(StepEntry e) {
    StringBuilder sb = new StringBuilder();
    sb.append('#').append(e.seq()).append(' ').append(e.step());
    if (e.stage() != null) {
      sb.append(", in the ").append(e.stage());
    }
    sb.append(" · ").append(Units.duration(e.durationNanos())).append("\n\n");
    sb.append(e.call()).append('(').append(e.args() == null ? "" : e.args()).append(")\n");
    sb.append(result(e)).append('\n');
    if (e.explanation() != null && !e.explanation().isBlank()) {
      sb.append('\n').append(e.explanation()).append('\n');
    }
    return sb.toString();
  }

  private void sync() {
    StepEntry keep = selected.get();
    if (item == null) {
      steps.clear();
    } else {
      steps.setAll(item.steps());
    }
    if (keep != null && !steps.contains(keep)) {
      selected.set(null);
    }
  }

  /** The result column: the return value, or errno and strerror. */
  public static String result(StepEntry e) {
    if (e.ok()) {
      return e.result() == null ? "ok" : "= " + e.result();
    }
    String s = "= -1 " + (e.errno() == null ? "failed" : e.errno());
    return e.message() == null ? s : s + " (" + e.message() + ")";
  }
}
