package org.glasshouse.app.cgroups;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.animation.AnimationTimer;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.glasshouse.app.core.Units;

/**
 * The cgroup charts: CPU, memory, pids and pressure of the followed containers over time, one
 * resource or all four; a legend that names each container (colour, dash, id, command) with its
 * latest numbers; the contention readout under the charts. Pause, zoom (mouse wheel or −/+) and
 * drag back in time over the last ten minutes; "Live" returns to now.
 *
 * <p>Redraws at most ten times a second, from a pulse: the samples' hand-over only marks the
 * view-model changed, so twenty containers at 10 Hz cost one redraw per tenth of a second.
 */
public final class CgroupChartsView {
  /** Distinct colours (Okabe–Ito, safe for colour-blind viewers); each has its CSS class. */
  static final int PALETTE = 7;

  /** Dash patterns, so two containers differ without colour too. */
  static final int DASHES = 4;

  private static final long REFRESH_NS = 100_000_000L;

  /** The legend's numbers are rewritten this often (people read them, not follow them). */
  private static final long LEGEND_NS = 400_000_000L;

  private static final int LEGEND_ROWS_PER_PULSE = 4;

  private final CgroupChartsViewModel vm;
  private final BorderPane root = new BorderPane();
  private final Map<Resource, ResourceChart> charts = new EnumMap<>(Resource.class);
  private final StackPane chartArea = new StackPane();
  private final VBox legend = new VBox();
  private final List<LegendRow> rows = new ArrayList<>();
  private final Label contention = new Label();
  private final Label window = new Label();
  private long lastRefresh;
  private long lastChange = -1;
  private double dragX = Double.NaN;
  private List<Resource> laidOutAll = List.of(Resource.CPU);
  private final Label noContainers = new Label("No container with a cgroup of its own yet.");
  private long lastLegend;
  private int legendNext = Integer.MAX_VALUE;
  private long lastLegendRows;
  private final java.util.TreeMap<Resource, ChartFrame> pending = new java.util.TreeMap<>();

  public CgroupChartsView(CgroupChartsViewModel vm) {
    this.vm = vm;
    root.getStyleClass().add("cgroup-charts");
    root.setId("cgroup-charts");
    root.getStylesheets()
        .add(
            Objects.requireNonNull(
                    CgroupChartsView.class.getResource("/assets/css/cgroups.css"),
                    "/assets/css/cgroups.css is missing from the app jar")
                .toExternalForm());
    for (Resource r : Resource.values()) {
      charts.put(r, new ResourceChart(r, overlay()));
    }
    root.setTop(ChartsToolbar.build(vm, window));
    chartArea.getStyleClass().add("chart-area");
    chartArea.addEventFilter(ScrollEvent.SCROLL, this::scrolled);
    chartArea.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> dragX = e.getX());
    chartArea.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
    chartArea.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> dragX = Double.NaN);
    root.setCenter(chartArea);
    noContainers.getStyleClass().add("pane-note");
    noContainers.setWrapText(true);
    legend.getStyleClass().add("charts-legend");
    legend.setId("charts-legend");
    ScrollPane legendScroll = new ScrollPane(legend);
    legendScroll.setFitToWidth(true);
    legendScroll.getStyleClass().add("charts-legend-scroll");
    root.setRight(legendScroll);
    contention.setId("contention-ratio");
    contention.getStyleClass().add("contention");
    contention.setWrapText(true);
    Label note = new Label();
    note.setId("charts-note");
    note.getStyleClass().add("pane-note");
    note.setWrapText(true);
    note.textProperty().bind(vm.noteProperty());
    // Under a chart it only takes the chart's height (presenter mode at 1366×768 kept ~60 px of
    // plot): it explains an empty legend, so it shows with one.
    note.visibleProperty()
        .bind(
            vm.noteProperty()
                .isNotEmpty()
                .and(javafx.beans.binding.Bindings.isEmpty(vm.entries())));
    note.managedProperty().bind(note.visibleProperty());
    VBox bottom = new VBox(4, contention, note);
    bottom.getStyleClass().add("charts-bottom");
    root.setBottom(bottom);

    vm.entries().addListener((ListChangeListener<LegendEntry>) c -> legendChanged());
    legendChanged();
    vm.allResourcesProperty().addListener((o, a, b) -> layoutCharts());
    vm.resourceProperty().addListener((o, a, b) -> layoutCharts());
    chartArea
        .widthProperty()
        .addListener(
            (o, a, b) -> {
              if ((a.doubleValue() > 900) != (b.doubleValue() > 900)
                  && vm.allResourcesProperty().get()) {
                layoutCharts();
              }
            });
    vm.contentionProperty().addListener((o, a, b) -> showContention(b));
    // The CPU ratio under the memory or pids chart only took its height.
    vm.resourceProperty().addListener((o, a, b) -> showContention(vm.contentionProperty().get()));
    vm.allResourcesProperty()
        .addListener((o, a, b) -> showContention(vm.contentionProperty().get()));
    showContention(vm.contentionProperty().get());
    layoutCharts();
    new AnimationTimer() {
      @Override
      public void handle(long now) {
        pulse(now);
      }
    }.start();
  }

  public BorderPane node() {
    return root;
  }

  /** The chart of a resource (tests read its frame and overlay). */
  ResourceChart chart(Resource r) {
    return charts.get(r);
  }

  /** The CSS class of a style's colour. */
  static String colourClass(int style) {
    return "gh-c" + Math.floorMod(style, PALETTE);
  }

  /** The CSS class of a style's dash pattern. */
  static String dashClass(int style) {
    return "gh-d" + Math.floorMod(style, DASHES);
  }

  /** The cgroup files behind a metric on both versions, and which this container uses. */
  static String files(Metric m, String version) {
    StringBuilder b = new StringBuilder(m.label(version));
    b.append("\ncgroup v1: ").append(m.v1File() == null ? "no such file" : m.v1File());
    b.append("\ncgroup v2: ").append(m.v2File() == null ? "no such file" : m.v2File());
    if (version != null) {
      b.append("\nthis container: ")
          .append(
              switch (version) {
                case "v2" -> "cgroup v2";
                case "hybrid" -> "v1 controllers, pressure from the v2 (unified) hierarchy";
                default -> "cgroup v1";
              });
    }
    return b.toString();
  }

  private ChartOverlay overlay() {
    return new ChartOverlay(
        l ->
            shortId(l.container())
                + " · "
                + l.metric().label(vm.version(l.container()))
                + " "
                + AxisScale.format(l.metric().unit(), l.ys()[0])
                + " · "
                + Units.ago(-l.xs()[0])
                + "\n"
                + files(l.metric(), vm.version(l.container())),
        r ->
            r.label()
                + " "
                + AxisScale.plain(r.metric().unit(), r.value())
                + (vm.entries().size() > 1 ? " · " + shortId(r.container()) : "")
                + (r.others() > 0 ? " and " + r.others() + " more" : ""),
        r -> files(r.metric(), vm.version(r.container())),
        m ->
            m.event().counter().label(vm.version(m.container()))
                + (m.event().delta() > 1 ? " +" + m.event().delta() : "")
                + " ("
                + shortId(m.container())
                + ", "
                + Units.ago(-m.x())
                + (m.event().fromExit() ? ", reported at exit" : "")
                + ")\n"
                + files(m.event().counter(), vm.version(m.container())));
  }

  /** The resources whose numbers the legend prints: the charts on screen. */
  private List<Resource> shownResources() {
    return vm.allResourcesProperty().get() ? laidOutAll : List.of(vm.resourceProperty().get());
  }

  private void layoutCharts() {
    List<Resource> shown =
        vm.allResourcesProperty().get() ? laidOutAll : List.of(vm.resourceProperty().get());
    List<Node> nodes = new ArrayList<>();
    for (Resource r : shown) {
      Node n = charts.get(r).node();
      detach(n);
      nodes.add(n);
    }
    if (nodes.size() <= 1
        || nodes.size() == 2
        || (nodes.size() == 3 && chartArea.getWidth() > 900)) {
      // One row: each chart keeps the full height, which is what a time axis wants.
      HBox row = new HBox(4, nodes.toArray(Node[]::new));
      row.getStyleClass().add("chart-row");
      nodes.forEach(n -> HBox.setHgrow(n, Priority.ALWAYS));
      chartArea.getChildren().setAll(row);
    } else {
      GridPane grid = new GridPane();
      grid.getStyleClass().add("chart-grid");
      for (int i = 0; i < 2; i++) {
        ColumnConstraints c = new ColumnConstraints();
        c.setPercentWidth(50);
        c.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().add(c);
        RowConstraints r = new RowConstraints();
        r.setPercentHeight(50);
        r.setVgrow(Priority.ALWAYS);
        grid.getRowConstraints().add(r);
      }
      for (int i = 0; i < nodes.size(); i++) {
        grid.add(nodes.get(i), i % 2, i / 2);
      }
      chartArea.getChildren().setAll(grid);
    }
    rows.forEach(LegendRow::refresh);
    lastChange = -1;
  }

  private static void detach(Node n) {
    if (n.getParent() instanceof javafx.scene.layout.Pane p) {
      p.getChildren().remove(n);
    }
  }

  /** Adds and drops rows as entries come and go; rows of entries that stay are kept. */
  private void legendChanged() {
    Map<LegendEntry, LegendRow> old = new java.util.IdentityHashMap<>();
    rows.forEach(r -> old.put(r.entry(), r));
    rows.clear();
    List<Node> nodes = new ArrayList<>();
    for (LegendEntry e : vm.entries()) {
      LegendRow row = old.get(e);
      if (row == null) {
        row = new LegendRow(e, this::shownResources);
      }
      rows.add(row);
      nodes.add(row.node());
    }
    if (nodes.isEmpty()) {
      nodes.add(noContainers);
    }
    legend.getChildren().setAll(nodes);
  }

  private void showContention(Contention c) {
    boolean cpuShown =
        vm.allResourcesProperty().get() || vm.resourceProperty().get() == Resource.CPU;
    contention.setVisible(c != null && cpuShown);
    contention.setManaged(contention.isVisible());
    if (c == null) {
      contention.setText("");
      contention.setTooltip(null);
      return;
    }
    String weight = c.weightMetric() == Metric.CPU_SHARES ? "cpu.shares" : "cpu.weight";
    contention.setText(
        String.format(
            java.util.Locale.ROOT,
            "Measured CPU ratio %s   ·   %s ratio %s (%s ÷ %s)",
            Units.ratio(c.measuredRatio()),
            weight,
            Units.ratio(c.weightRatio()),
            Units.count(c.lighterWeight()),
            Units.count(c.heavierWeight())));
    Tooltip tip =
        new Tooltip(
            String.format(
                java.util.Locale.ROOT,
                "Over the last %d s: %s used %s, %s used %s.%nTwo containers that compete for"
                    + " the same CPU get it in the ratio of their %s; on different CPUs, or"
                    + " when one idles, the weights change nothing.",
                c.seconds(),
                shortId(c.lighter()),
                Units.cores(c.lighterCores()),
                shortId(c.heavier()),
                Units.cores(c.heavierCores()),
                weight));
    tip.setShowDelay(javafx.util.Duration.millis(150));
    tip.setWrapText(true);
    tip.setMaxWidth(480);
    contention.setTooltip(tip);
  }

  /**
   * Each pulse does at most one chart's redraw: a refresh computes the frames of the charts on
   * screen, and the next pulses hand them out one by one (a refresh of three charts spreads over
   * three frames instead of stretching one). The legend's numbers get a pulse of their own.
   */
  private void pulse(long now) {
    if (!showing()) {
      return;
    }
    long change = vm.changesProperty().get();
    boolean moving = !vm.pausedProperty().get();
    boolean due = now - lastRefresh >= REFRESH_NS;
    if ((change != lastChange && (due || lastChange < 0)) || (moving && due)) {
      lastRefresh = now;
      lastChange = change;
      pending.clear();
      if (vm.allResourcesProperty().get()) {
        // All: only the resources that have lines in this window, so an empty chart takes no
        // room; with none at all, the CPU chart says why.
        List<Resource> withData = new ArrayList<>();
        for (Resource r : Resource.values()) {
          ChartFrame f = vm.frame(r);
          if (f.empty() == null) {
            withData.add(r);
            pending.put(r, f);
          }
        }
        if (withData.isEmpty()) {
          withData.add(Resource.CPU);
          pending.put(Resource.CPU, vm.frame(Resource.CPU));
        }
        if (!withData.equals(laidOutAll)) {
          laidOutAll = withData;
          layoutCharts();
          lastChange = change;
        }
      } else {
        Resource r = vm.resourceProperty().get();
        pending.put(r, vm.frame(r));
      }
      window.setText(windowText());
    }
    boolean drew = false;
    var next = pending.firstEntry();
    if (next != null && charts.get(next.getKey()).show(next.getValue())) {
      pending.remove(next.getKey());
      drew = true;
    }
    if (legendNext >= rows.size() && now - lastLegend >= LEGEND_NS) {
      lastLegend = now;
      legendNext = 0;
    }
    // A few legend rows a pulse, in a pulse of their own while charts wait; but never starved
    // when every pulse has a chart to draw (pulses 100 ms apart on a loaded machine).
    if (legendNext < rows.size() && (!drew || now - lastLegendRows >= LEGEND_NS)) {
      int end = Math.min(rows.size(), legendNext + LEGEND_ROWS_PER_PULSE);
      rows.subList(legendNext, end).forEach(LegendRow::refresh);
      legendNext = end;
      lastLegendRows = now;
    }
  }

  private String windowText() {
    int s = vm.windowSecondsProperty().get();
    String len = s < 120 ? s + " s" : (s / 60) + " min";
    if (vm.pausedProperty().get()) {
      return "paused · " + len + (vm.backSeconds() > 0 ? " · " + Units.ago(vm.backSeconds()) : "");
    }
    return "last " + len;
  }

  /** Whether the view is on screen: in a scene, and it and every parent visible. */
  private boolean showing() {
    if (root.getScene() == null || root.getScene().getWindow() == null) {
      return false;
    }
    for (Parent p = root; p != null; p = p.getParent()) {
      if (!p.isVisible()) {
        return false;
      }
    }
    return true;
  }

  private void scrolled(ScrollEvent e) {
    if (e.getDeltaY() != 0) {
      vm.zoom(e.getDeltaY() > 0 ? -1 : 1);
      e.consume();
    }
  }

  private void dragged(MouseEvent e) {
    if (Double.isNaN(dragX) || chartArea.getWidth() <= 0) {
      return;
    }
    double px = e.getX() - dragX;
    dragX = e.getX();
    // A drag across the whole area moves the window by its length: dragging right looks back.
    double perPixel = vm.windowSecondsProperty().get() / Math.max(1, chartArea.getWidth() * 0.8);
    vm.pan(px * perPixel);
  }

  private static String shortId(String id) {
    return id.length() > 8 ? id.substring(0, 8) : id;
  }
}
