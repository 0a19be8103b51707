package org.glasshouse.app.timeline;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.protocol.StepEntry;

/** The step log of the selected container, in order, as the helper reported it. */
public final class StepLogViewModel {
  private final ObservableList<StepEntry> steps = FXCollections.observableArrayList();
  private final ListChangeListener<StepEntry> follow = c -> sync();
  private final ObjectProperty<StepEntry> selected = new SimpleObjectProperty<>();
  private ContainerItem item;

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
