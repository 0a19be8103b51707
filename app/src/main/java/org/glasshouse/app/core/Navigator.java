package org.glasshouse.app.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * How views point at each other: a guide's experiment, a step-log row or a check's "Try it" asks
 * for a view, a container, a step or a mount, and whoever shows that registered to be asked. Calls
 * and handlers run on the FX thread; a request nobody handles does nothing.
 */
public final class Navigator {

  /** The views of the lower tab pane, by their tab's id. */
  public enum View {
    GLASS_HOUSE("glasshouse-tab"),
    MOUNTS("mounts-tab"),
    FILESYSTEM("filesystem-tab"),
    CHARTS("charts-tab"),
    INSIDE_OUTSIDE("inside-outside-tab"),
    STEP_LOG("step-log-tab");

    private final String tabId;

    View(String tabId) {
      this.tabId = tabId;
    }

    /** The id of the view's tab ({@code #mounts-tab}, without the {@code #}). */
    public String tabId() {
      return tabId;
    }
  }

  /**
   * A step of a container's log that views highlight together (the step log's selected row, what
   * the glass house shows that step built).
   *
   * @param container the container id
   * @param seq the entry's seq
   */
  public record StepFocus(String container, int seq) {}

  private final ObjectProperty<StepFocus> focusedStep = new SimpleObjectProperty<>();
  private final List<Consumer<View>> views = new CopyOnWriteArrayList<>();
  private final List<Runnable> outputs = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> containers = new CopyOnWriteArrayList<>();
  private final List<IntConsumer> steps = new CopyOnWriteArrayList<>();
  private final List<IntConsumer> mountIds = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> mountPoints = new CopyOnWriteArrayList<>();

  /** Brings {@code view}'s tab to the front. */
  public void show(View view) {
    views.forEach(h -> h.accept(view));
  }

  /**
   * Asks for the terminal's rows: what a command prints is what the room reads now (an experiment
   * whose output is its lesson, such as {@code ls /} or {@code id}), beside the view it brought to
   * the front.
   */
  public void showOutput() {
    outputs.forEach(Runnable::run);
  }

  /** Registers who gives the terminal its rows (the main window). */
  public void onShowOutput(Runnable handler) {
    outputs.add(handler);
  }

  /** Selects the container with this id in the containers list (and so in every view). */
  public void select(String container) {
    containers.forEach(h -> h.accept(container));
  }

  /** Shows the step log with the selected container's step {@code seq} selected. */
  public void focusStep(int seq) {
    show(View.STEP_LOG);
    steps.forEach(h -> h.accept(seq));
  }

  /** Shows the mount tree with the selected container's mount {@code mountId} selected. */
  public void focusMount(int mountId) {
    show(View.MOUNTS);
    mountIds.forEach(h -> h.accept(mountId));
  }

  /**
   * Shows the mount tree with the mount at {@code mountPoint} selected: in the selected container's
   * tree, else in the host's ({@code "/proc"}). For a guide or a check, which cannot know mount
   * ids.
   */
  public void focusMount(String mountPoint) {
    show(View.MOUNTS);
    mountPoints.forEach(h -> h.accept(mountPoint));
  }

  /**
   * Highlights entry {@code seq} of {@code container}'s step log in every view that follows {@link
   * #focusedStepProperty()}, without bringing any view to the front; {@code seq} 0 (or a null
   * container) clears it.
   */
  public void highlightStep(String container, int seq) {
    focusedStep.set(container == null || seq <= 0 ? null : new StepFocus(container, seq));
  }

  /** The step highlighted now, or null. */
  public ReadOnlyObjectProperty<StepFocus> focusedStepProperty() {
    return focusedStep;
  }

  /** Registers who brings a view to the front (the main window). */
  public void onShow(Consumer<View> handler) {
    views.add(handler);
  }

  /** Registers who selects a container (the containers list). */
  public void onSelect(Consumer<String> handler) {
    containers.add(handler);
  }

  /** Registers who selects a step (the step log). */
  public void onFocusStep(IntConsumer handler) {
    steps.add(handler);
  }

  /** Registers who selects a mount by id (the mount tree). */
  public void onFocusMount(IntConsumer handler) {
    mountIds.add(handler);
  }

  /** Registers who selects a mount by mount point (the mount tree). */
  public void onFocusMountPoint(Consumer<String> handler) {
    mountPoints.add(handler);
  }
}
