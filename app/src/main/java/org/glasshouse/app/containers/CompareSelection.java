package org.glasshouse.app.containers;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;

/**
 * Which containers a view shows next to the selected one, the same for every view that can show
 * several side by side: the ones the user ticked, or every running one. The selected container
 * always comes first; checks (the short containers a level's check runs) only when selected.
 */
public final class CompareSelection {
  /** The most containers shown at once; more running ones are left out, the newest kept. */
  public static final int MAX = 24;

  private final ContainersViewModel containers;
  private final BooleanProperty allRunning = new SimpleBooleanProperty(true);
  private final ObservableSet<String> ticked = FXCollections.observableSet();

  public CompareSelection(ContainersViewModel containers) {
    this.containers = containers;
  }

  /** Whether every running container is shown (else only the ticked ones). */
  public BooleanProperty allRunningProperty() {
    return allRunning;
  }

  /** The ids ticked to be shown next to the selected container. */
  public ObservableSet<String> ticked() {
    return ticked;
  }

  /** The containers to show now: the selected one first, then the others in list order. */
  public List<ContainerItem> shown() {
    List<ContainerItem> out = new ArrayList<>();
    ContainerItem sel = containers.selected();
    if (sel != null) {
      out.add(sel);
    }
    for (ContainerItem i : containers.containers()) {
      if (out.size() >= MAX) {
        break;
      }
      boolean wanted =
          allRunning.get() ? i.state().live() && !i.isCheck() : ticked.contains(i.id());
      if (wanted && i != sel) {
        out.add(i);
      }
    }
    return out;
  }
}
