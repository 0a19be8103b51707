package org.glasshouse.app.cgroups;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javafx.css.PseudoClass;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Line;
import javafx.util.Duration;

/**
 * One container in the legend: a tick box (draw its lines or not), a sample of its line (colour and
 * dash, so it reads without colour too), its id and command, and its latest numbers for the shown
 * resources — each number with the cgroup files behind it on hover.
 */
final class LegendRow {
  private static final PseudoClass HIGHLIGHTED = PseudoClass.getPseudoClass("highlighted");
  private static final PseudoClass EXITED = PseudoClass.getPseudoClass("exited");
  private static final PseudoClass ALARM = PseudoClass.getPseudoClass("alarm");
  private final Map<Metric, Label> chips = new EnumMap<>(Metric.class);
  private final LegendEntry entry;
  private final FlowPane numbers = new FlowPane();
  private final VBox root = new VBox();
  private final Supplier<List<Resource>> shown;

  /**
   * @param entry the container
   * @param shown the resources whose numbers the row prints
   */
  LegendRow(LegendEntry entry, Supplier<List<Resource>> shown) {
    this.entry = entry;
    this.shown = shown;
    CheckBox box = new CheckBox();
    box.selectedProperty().bindBidirectional(entry.shownProperty());
    box.setId("legend-" + entry.shortId());
    box.setTooltip(
        new Tooltip(
            "Draw this container's lines: the glass house shows the same containers, in the same"
                + " choice. The selected container is always drawn."));
    // The selected container is always shown (in the glass house too): its box cannot untick it.
    box.disableProperty().bind(entry.highlightedProperty());
    Line sample = new Line(0, 0, 26, 0);
    sample
        .getStyleClass()
        .addAll(
            "legend-sample",
            CgroupChartsView.colourClass(entry.style()),
            CgroupChartsView.dashClass(entry.style()));
    Label id = new Label(entry.shortId());
    id.getStyleClass().add("legend-id");
    Label state = new Label();
    state.getStyleClass().add("legend-state");
    state
        .textProperty()
        .bind(javafx.beans.binding.Bindings.when(entry.liveProperty()).then("").otherwise("ended"));
    HBox head = new HBox(6, box, sample, id, state);
    head.getStyleClass().add("legend-head");
    Label description = new Label();
    description.getStyleClass().add("legend-description");
    description.textProperty().bind(entry.descriptionProperty());
    description.setMaxWidth(Double.MAX_VALUE);
    numbers.getStyleClass().add("legend-numbers");
    root.getChildren().addAll(head, description, numbers);
    root.getStyleClass().add("legend-row");
    HBox.setHgrow(root, Priority.ALWAYS);
    entry
        .highlightedProperty()
        .addListener((o, a, b) -> root.pseudoClassStateChanged(HIGHLIGHTED, b));
    root.pseudoClassStateChanged(HIGHLIGHTED, entry.highlightedProperty().get());
    entry.liveProperty().addListener((o, a, b) -> root.pseudoClassStateChanged(EXITED, !b));
    root.pseudoClassStateChanged(EXITED, !entry.liveProperty().get());
    refresh();
  }

  VBox node() {
    return root;
  }

  LegendEntry entry() {
    return entry;
  }

  /**
   * Rewrites the numbers from the latest reading: labels are kept, only their texts change. The
   * view calls it a few times a second, not on every sample: numbers changing ten times a second
   * cannot be read anyway, and twenty rows of them would cost the FX thread more than the charts.
   */
  void refresh() {
    CgroupReading r = entry.readingProperty().get();
    List<Label> now = new ArrayList<>();
    if (r != null) {
      for (Resource res : shown.get()) {
        for (Metric m : ChartLines.readoutMetrics(res)) {
          Double v = r.value(m);
          if (v == null || (m == Metric.CPU_THROTTLED && r.value(Metric.CPU_QUOTA) == null)) {
            // Only a quota throttles: without one the number says nothing.
            continue;
          }
          Label l = chips.computeIfAbsent(m, k -> chip(k, r.version()));
          l.setText(m.label(r.version()) + " " + AxisScale.plain(m.unit(), v));
          l.pseudoClassStateChanged(
              ALARM, v > 0 && (m == Metric.OOM_KILLS || m == Metric.PIDS_REJECTED));
          now.add(l);
        }
      }
    }
    if (!numbers.getChildren().equals(now)) {
      numbers.getChildren().setAll(now);
    }
  }

  private Label chip(Metric m, String version) {
    Label l = new Label();
    l.getStyleClass()
        .addAll("legend-number", "number-" + m.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    Tooltip tip = new Tooltip(CgroupChartsView.files(m, version));
    tip.setShowDelay(Duration.millis(150));
    l.setTooltip(tip);
    return l;
  }
}
