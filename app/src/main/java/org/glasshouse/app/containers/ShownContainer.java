package org.glasshouse.app.containers;

import javafx.beans.value.ChangeListener;

/**
 * The container a tab shows and whether the tab is on show, for a view-model that watches the
 * helper only while both hold: {@code changed} runs when either changes and when the container's
 * state does (it starts, exits, is removed), so the view-model can subscribe or unsubscribe.
 */
public final class ShownContainer {
  private final Runnable changed;
  private final ChangeListener<ContainerState> stateListener;
  private ContainerItem item;
  private boolean active;

  public ShownContainer(Runnable changed) {
    this.changed = changed;
    this.stateListener = (o, a, b) -> changed.run();
  }

  /** The container shown, or null. */
  public ContainerItem item() {
    return item;
  }

  /** Whether the tab is showing. */
  public boolean active() {
    return active;
  }

  /** The shown container's id if it runs with a process, else null. */
  public String liveId() {
    return item != null && item.state().live() && item.pid() > 0 ? item.id() : null;
  }

  /** Whether the tab is showing: only then does its view-model subscribe. */
  public void setActive(boolean on) {
    if (active != on) {
      active = on;
      changed.run();
    }
  }

  /** Shows {@code next} (may be null). */
  public void show(ContainerItem next) {
    if (item == next) {
      return;
    }
    if (item != null) {
      item.stateProperty().removeListener(stateListener);
    }
    item = next;
    if (next != null) {
      next.stateProperty().addListener(stateListener);
    }
    changed.run();
  }
}
