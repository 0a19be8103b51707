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

  /**
   * The step in full, what to read first on top: the result (a failure's errno and message), the
   * explanation, then the whole call and which step it was. At 1366×768 the pane is ~8 lines of ~30
   * characters: with the call and its long paths first, a failed start's errno and explanation were
   * below its scroll bar.
   */
  static String detail(StepEntry e) {
    StringBuilder sb = new StringBuilder();
    sb.append(result(e)).append('\n');
    if (e.explanation() != null && !e.explanation().isBlank()) {
      sb.append(e.explanation()).append('\n');
    }
    sb.append('\n');
    sb.append(e.call()).append('(').append(e.args() == null ? "" : e.args()).append(")\n");
    sb.append('#').append(e.seq()).append(' ').append(e.step());
    if (e.stage() != null) {
      sb.append(", in the ").append(e.stage());
    }
    sb.append(" · ").append(Units.duration(e.durationNanos())).append('\n');
    return sb.toString();
  }

  private void sync() {
    StepEntry keep = selected.get();
    if (item == null) {
      steps.clear();
    } else {
      steps.setAll(item.steps());
    }
    // Only a selection left from the steps before goes: the view selects a failure among the new
    // steps as they come (a failed start opens its failed step), and that selection stays — a
    // second failed start in a row showed "Select a step" instead of its failure.
    if (keep != null && selected.get() == keep && !steps.contains(keep)) {
      selected.set(null);
    }
  }

  // An absolute path of three components or more, outside quotes too (an fd's "66</…/merged>",
  // posix_spawn's command line); a relative one ("dev/pts") is left alone.
  private static final java.util.regex.Pattern PATH =
      java.util.regex.Pattern.compile(
          "(?<![\\w.])/(?:[^/\\s\"',:<>()\\[\\]{}]+/){2,}[^/\\s\"',:<>()\\[\\]{}]+");

  private static final java.util.regex.Pattern CONTAINER_ID =
      java.util.regex.Pattern.compile("[0-9a-f]{12,64}");

  /** Paths up to this long stay whole ("/proc/self/fd", "/bin/sh"). */
  private static final int SHORT_PATH = 24;

  /**
   * The call as a narrow column shows it: every long path cut to its end, the part that matters —
   * the file of a cgroup write, the node of a mknod, the target of a mount ({@code
   * write("…/pids.max", "32")}, {@code mknod("…/dev/null", S_IFCHR|0666, makedev(1, 3))}). The
   * state directory and container id every path of a start shares are what the column cut before.
   * The whole call is in the detail pane and the cell's tooltip.
   */
  public static String shortCall(StepEntry e) {
    return e.call() + "(" + shortArgs(e.args() == null ? "" : e.args()) + ")";
  }

  /** The result as a narrow column shows it: a path it returns cut to its end, as in the call. */
  public static String shortResult(StepEntry e) {
    return shortArgs(result(e));
  }

  static String shortArgs(String args) {
    java.util.regex.Matcher m = PATH.matcher(args);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String path = m.group();
      m.appendReplacement(
          sb,
          java.util.regex.Matcher.quoteReplacement(
              path.length() <= SHORT_PATH ? path : tail(path)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** "…/dev/null", "…/merged/proc"; "…/pids.max" when the parent is a container's id. */
  private static String tail(String path) {
    String[] parts = path.split("/");
    String last = parts[parts.length - 1];
    String parent = parts[parts.length - 2];
    String two = "…/" + parent + "/" + last;
    return CONTAINER_ID.matcher(parent).matches() || two.length() > SHORT_PATH + 4
        ? "…/" + last
        : two;
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
