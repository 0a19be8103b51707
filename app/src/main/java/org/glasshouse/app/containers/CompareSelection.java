package org.glasshouse.app.containers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

/**
 * Which containers a view shows next to the selected one, the same for every view that can show
 * several side by side (the glass house, the charts): the ones the user ticked, or every running
 * one. The selected container always comes first; checks (the short containers a level's check
 * runs) only when selected.
 *
 * <p>It also gives each container its style for the session ({@link #style}): a colour of a
 * colour-blind-safe palette and a dash pattern, picked once and kept, so a container is drawn the
 * same in every view that overlays several.
 */
public final class CompareSelection {
  /** The most containers shown at once; more running ones are left out, the newest kept. */
  public static final int MAX = 24;

  private final ObservableList<ContainerItem> containers;
  private final ObservableValue<ContainerItem> selected;
  private final BooleanProperty allRunning = new SimpleBooleanProperty(true);
  private final ObservableSet<String> ticked = FXCollections.observableSet();
  private final Map<String, Integer> styles = new HashMap<>();

  /** Whether the containers shown are the ones an experiment chose ({@link #showOnly}). */
  private boolean byExperiment;

  public CompareSelection(ContainersViewModel containers) {
    this(containers.containers(), containers.selectedProperty());
  }

  /**
   * @param containers the app's containers (new ones first)
   * @param selected the container selected in the list
   */
  public CompareSelection(
      ObservableList<ContainerItem> containers, ObservableValue<ContainerItem> selected) {
    this.containers = containers;
    this.selected = selected;
    allRunning.addListener((o, a, all) -> byExperiment &= !all);
  }

  /** The app's containers, new ones first. */
  public ObservableList<ContainerItem> containers() {
    return containers;
  }

  /** The container selected in the list (always shown). */
  public ObservableValue<ContainerItem> selection() {
    return selected;
  }

  /** Whether every running container is shown (else only the ticked ones). */
  public BooleanProperty allRunningProperty() {
    return allRunning;
  }

  /** The ids ticked to be shown next to the selected container. */
  public ObservableSet<String> ticked() {
    return ticked;
  }

  /**
   * The container shown in place of a selection, or null: with none selected and none ticked (only
   * ticked containers shown), the newest running one, so a house started from the command line is
   * seen before it is picked in the list rather than an empty view.
   */
  public ContainerItem standIn() {
    if (selected.getValue() != null || allRunning.get()) {
      return null;
    }
    for (ContainerItem i : containers) {
      if (ticked.contains(i.id())) {
        return null;
      }
    }
    for (ContainerItem i : containers) { // new ones first
      if (i.state().live() && !i.isCheck()) {
        return i;
      }
    }
    return null;
  }

  /**
   * The containers to show now: the selected one (or the {@link #standIn}) first, then the others
   * in list order.
   */
  public List<ContainerItem> shown() {
    List<ContainerItem> out = new ArrayList<>();
    ContainerItem sel = selected.getValue();
    if (sel == null) {
      sel = standIn();
    }
    if (sel != null) {
      out.add(sel);
    }
    for (ContainerItem i : containers) {
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

  /** Whether the container {@code id} is among {@link #shown()}. */
  public boolean shows(String id) {
    return shown().stream().anyMatch(i -> i.id().equals(id));
  }

  /**
   * Ticks or unticks one container (a legend's or a menu's check box). From "every running" it
   * first ticks the ones shown now, so unticking one leaves the others where they were; likewise
   * the {@link #standIn}, so ticking another shows both. The selected container stays shown
   * whatever its tick.
   */
  public void show(String id, boolean on) {
    byExperiment = false;
    ContainerItem standIn = standIn();
    if (standIn != null) {
      ticked.add(standIn.id());
    }
    if (allRunning.get()) {
      ContainerItem sel = selected.getValue();
      List<String> now = new ArrayList<>();
      for (ContainerItem i : shown()) {
        if (i != sel) {
          now.add(i.id());
        }
      }
      ticked.retainAll(now);
      ticked.addAll(now);
      allRunning.set(false);
    }
    if (on) {
      ticked.add(id);
    } else {
      ticked.remove(id);
    }
  }

  /** Shows these containers only (and the selected one): an experiment's side-by-side pair. */
  public void showOnly(Collection<String> ids) {
    ticked.retainAll(ids);
    ticked.addAll(ids);
    allRunning.set(false);
    byExperiment = true;
  }

  /**
   * Back to every running container when an experiment chose the ones shown and the student has not
   * ticked any since: another level's containers are not that experiment's. After level 08's
   * contention Try it, level 09's house stood next to the level-08 pair, its chart among theirs.
   */
  public void endExperiment() {
    if (byExperiment) {
      ticked.clear();
      allRunning.set(true);
    }
  }

  /**
   * The container's style slot for the session: picked the first time a view asks, in that order,
   * and kept while the app runs. A view maps it to its palette ({@code slot % colours}) and its
   * dash patterns ({@code slot % dashes}), so two containers differ in pattern as well as in
   * colour.
   */
  public int style(String id) {
    return styles.computeIfAbsent(id, k -> styles.size());
  }
}
