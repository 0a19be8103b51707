package org.glasshouse.app.timeline;

import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.protocol.StepEntry;

/** The step log of the selected container, in order, as the helper reported it. */
public final class StepLogViewModel {
  private final ObservableList<StepEntry> steps = FXCollections.observableArrayList();
  private final ListChangeListener<StepEntry> follow = c -> sync();
  private ContainerItem item;

  public ObservableList<StepEntry> steps() {
    return steps;
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
    if (item == null) {
      steps.clear();
    } else {
      steps.setAll(item.steps());
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
