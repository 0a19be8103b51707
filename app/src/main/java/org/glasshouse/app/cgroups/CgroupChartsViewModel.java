package org.glasshouse.app.cgroups;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.SetChangeListener;
import org.glasshouse.app.containers.CompareSelection;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;

/**
 * The cgroup charts: which containers are drawn (the legend), which resource, the time window (the
 * last 60 s live, up to the last 10 minutes, paused or panned back), and the frames the view draws.
 * Also the contention readout: two busy containers' measured CPU ratio next to their weights'
 * ratio.
 *
 * <p>Containers come from the app's container list: every running one is followed (the {@link
 * TelemetryFeed} subscribes at 10 Hz); those with a cgroup of their own get a legend entry; a
 * removed container leaves the charts. Which entries are drawn, and in which colour and dash, is
 * the app's one {@link CompareSelection}, the glass house's too: the selected container and every
 * running one, or the ones ticked (here in the legend, or in the glass house's compare menu).
 */
public final class CgroupChartsViewModel {
  /** Window lengths the zoom steps through, in seconds. */
  public static final List<Integer> WINDOWS = List.of(60, 120, 300, 600);

  /** The contention readout averages over this many seconds. */
  static final int CONTENTION_SECONDS = 10;

  /**
   * Below this mean a container idles rather than competes (a sleeping shell uses ~0.001 cores; a
   * busy loop on a CPU shared with a loaded machine can get as little as a few hundredths).
   */
  static final double BUSY_CORES = 0.01;

  private final CgroupTelemetry store;
  private final TelemetryFeed feed;
  private final CompareSelection compare;
  private boolean syncing;
  private final ObservableList<LegendEntry> entries = FXCollections.observableArrayList();
  private final Map<String, LegendEntry> byId = new HashMap<>();
  private final Map<String, ContainerItem> items = new HashMap<>();
  private final ObjectProperty<Resource> resource = new SimpleObjectProperty<>(Resource.CPU);
  private final BooleanProperty allResources = new SimpleBooleanProperty(true);
  private final BooleanProperty paused = new SimpleBooleanProperty(false);
  private final IntegerProperty windowSeconds = new SimpleIntegerProperty(60);
  private final ReadOnlyObjectWrapper<Contention> contention = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper("");
  private final ReadOnlyLongWrapper changes = new ReadOnlyLongWrapper();

  private String selected;
  private long pausedAt;
  private double backSeconds;

  /**
   * @param store where samples land
   * @param feed subscribes to the containers followed
   * @param compare the app's containers, the selected one, which are shown side by side and in
   *     which style
   */
  public CgroupChartsViewModel(
      CgroupTelemetry store, TelemetryFeed feed, CompareSelection compare) {
    this.store = store;
    this.feed = feed;
    this.compare = compare;
    ObservableList<ContainerItem> containers = compare.containers();
    containers.addListener((ListChangeListener<ContainerItem>) c -> containersChanged(containers));
    containersChanged(containers);
    var selection = compare.selection();
    selection.addListener((o, a, b) -> select(b == null ? null : b.id()));
    select(selection.getValue() == null ? null : selection.getValue().id());
    compare.allRunningProperty().addListener((o, a, b) -> syncShown());
    compare.ticked().addListener((SetChangeListener<String>) c -> syncShown());
    store.revisionProperty().addListener((o, a, b) -> update());
    paused.addListener(
        (o, a, on) -> {
          if (on) {
            pausedAt = store.now();
          } else {
            backSeconds = 0;
          }
          changed();
        });
    windowSeconds.addListener((o, a, b) -> changed());
    resource.addListener((o, a, b) -> changed());
    allResources.addListener((o, a, b) -> changed());
  }

  /** The containers with a cgroup of their own, in order of first sample. */
  public ObservableList<LegendEntry> entries() {
    return entries;
  }

  /** The resource shown when not showing all. */
  public ObjectProperty<Resource> resourceProperty() {
    return resource;
  }

  /** Whether every resource is shown, each in its own chart. */
  public BooleanProperty allResourcesProperty() {
    return allResources;
  }

  /** Paused: the window stops moving (samples keep coming and are kept). */
  public BooleanProperty pausedProperty() {
    return paused;
  }

  /** The window's length in seconds (60 to 600). */
  public IntegerProperty windowSecondsProperty() {
    return windowSeconds;
  }

  /** The contention readout, or null when fewer than two busy containers with weights are shown. */
  public ReadOnlyObjectProperty<Contention> contentionProperty() {
    return contention.getReadOnlyProperty();
  }

  /** One sentence on what the charts show or why they are empty. */
  public ReadOnlyStringProperty noteProperty() {
    return note.getReadOnlyProperty();
  }

  /** Moves whenever a frame would look different (new samples, window, legend). */
  public ReadOnlyLongProperty changesProperty() {
    return changes.getReadOnlyProperty();
  }

  /** The resource a level is about, alone; every resource for the other levels. */
  public void showLevel(int level) {
    Resource r = Resource.ofLevel(level);
    if (r == null) {
      allResources.set(true);
    } else {
      resource.set(r);
      allResources.set(false);
    }
  }

  /**
   * Shows these containers only (the others there are now stay in the legend, unticked; in the
   * glass house too, as it shares the selection), the given resource, live. Containers that have no
   * sample yet are shown as soon as they do, and so is the next container run (it is selected).
   * (Bringing the charts to the front is the {@link org.glasshouse.app.core.Navigator}'s job.)
   */
  public void focus(List<String> containers, Resource r) {
    compare.showOnly(containers);
    syncShown();
    resource.set(r);
    allResources.set(false);
    live();
  }

  /** Back to the moving window at "now". */
  public void live() {
    backSeconds = 0;
    paused.set(false);
    changed();
  }

  /** One zoom step: {@code steps} > 0 widens the window (up to 10 minutes), < 0 narrows it. */
  public void zoom(int steps) {
    int i = WINDOWS.indexOf(windowSeconds.get());
    int next = Math.max(0, Math.min(WINDOWS.size() - 1, (i < 0 ? 0 : i) + Integer.signum(steps)));
    windowSeconds.set(WINDOWS.get(next));
    clampBack();
  }

  /**
   * Moves the window back ({@code seconds} > 0) or forward in time; pauses, since a window that
   * looks at the past must stop following the present.
   */
  public void pan(double seconds) {
    if (!paused.get()) {
      paused.set(true);
    }
    backSeconds += seconds;
    clampBack();
    changed();
  }

  /** How far before now (or the pause) the window ends, in seconds. */
  public double backSeconds() {
    return backSeconds;
  }

  /** The helper time at the window's right edge. */
  public long endMs() {
    long end = paused.get() ? pausedAt : store.now();
    return end - Math.round(backSeconds * 1000);
  }

  /** What the chart of {@code r} draws now. */
  public ChartFrame frame(Resource r) {
    long end = endMs();
    int window = windowSeconds.get();
    long from = end - window * 1000L;
    List<ChartFrame.Line> lines = new ArrayList<>();
    List<ChartFrame.Line> top = new ArrayList<>();
    List<ChartFrame.Reference> refs = new ArrayList<>();
    List<ChartFrame.Marker> markers = new ArrayList<>();
    double yMax = 0;
    for (LegendEntry e : entries) {
      ContainerHistory h = store.history(e.id());
      if (h == null || !e.shownProperty().get()) {
        continue;
      }
      if (h.size() > 0 && h.lastTimeMs() < from) {
        // Every reading before the window (one killed a minute ago): the reading kept so that a
        // line enters from the edge is no line here, and its limits are not this window's. The
        // kill's flag may still be in the window when the exit report came later.
        addMarkers(h, e, r, from, end, markers);
        continue;
      }
      boolean hi = e.highlightedProperty().get();
      for (Metric m : ChartLines.lineMetrics(r)) {
        if (m == Metric.CPU_THROTTLED
            && (h.latest() == null || h.latest().value(Metric.CPU_QUOTA) == null)) {
          // Only a quota throttles: without one the line would lie flat on zero.
          continue;
        }
        ChartFrame.Line line = ChartLines.line(h, e.style(), m, hi, from, end);
        if (line.n() > 0) {
          (hi ? top : lines).add(line);
          if (m != Metric.CPU_THROTTLED) {
            yMax = Math.max(yMax, line.max());
          }
        }
      }
      addMarkers(h, e, r, from, end, markers);
    }
    lines.addAll(top);
    for (ChartFrame.Reference ref : references(r, from, end)) {
      refs.add(ref);
      yMax = Math.max(yMax, ref.value());
    }
    Unit unit = ChartLines.lineMetrics(r).get(0).unit();
    return new ChartFrame(
        r,
        -window,
        end,
        Math.max(ChartLines.floor(unit), yMax * 1.1),
        unit,
        lines,
        refs,
        markers,
        lines.isEmpty() ? (markers.isEmpty() ? emptyReason(r) : killedUnseen(markers)) : null);
  }

  private static void addMarkers(
      ContainerHistory h,
      LegendEntry e,
      Resource r,
      long from,
      long end,
      List<ChartFrame.Marker> markers) {
    for (CgroupEvent ev : h.events()) {
      if (ev.counter().resource() == r && ev.timeMs() >= from && ev.timeMs() <= end) {
        markers.add(new ChartFrame.Marker(e.id(), e.style(), ev, (ev.timeMs() - end) / 1000.0));
      }
    }
  }

  /**
   * The limit lines of the shown containers with a reading in the window (from {@code from}), one
   * per limit and value: containers with the same limit share one line, named after the selected
   * container when it is among them, else after the newest. The selected container's come first
   * (the overlay places the first label at the line's right end, where the eye looks; later ones
   * move left of it), then the newest's: with a dozen containers at level 12 an earlier container's
   * label must not sit where the selected one's is looked for.
   */
  private List<ChartFrame.Reference> references(Resource r, long from, long end) {
    List<LegendEntry> order = new ArrayList<>();
    for (ContainerItem c : compare.containers()) { // new ones first
      LegendEntry e = byId.get(c.id());
      if (e != null && e.shownProperty().get()) {
        if (e.id().equals(selected)) {
          order.add(0, e);
        } else {
          order.add(e);
        }
      }
    }
    Map<LimitKey, ChartFrame.Reference> byLimit = new LinkedHashMap<>();
    for (LegendEntry e : order) {
      ContainerHistory h = store.history(e.id());
      CgroupReading latest = h == null ? null : h.latest();
      if (latest == null || h.lastTimeMs() < from) {
        continue;
      }
      // From its first reading, or the window's start.
      double x0 = (Math.max(from, h.firstTimeMs()) - end) / 1000.0;
      for (Metric m : ChartLines.referenceMetrics(r)) {
        Double v = latest.value(m);
        if (v != null && v > 0) {
          byLimit.merge(
              new LimitKey(m, v),
              new ChartFrame.Reference(e.id(), e.style(), m, m.label(latest.version()), v, 0, x0),
              (first, same) ->
                  new ChartFrame.Reference(
                      first.container(),
                      first.style(),
                      m,
                      first.label(),
                      v,
                      first.others() + 1,
                      Math.min(first.from(), same.from())));
        }
      }
    }
    return new ArrayList<>(byLimit.values());
  }

  /** One limit line: a metric at a value (containers with the same one share the line). */
  private record LimitKey(Metric metric, double value) {}

  /** Why a chart shows a kill and no line: the container died before its first reading. */
  private static String killedUnseen(List<ChartFrame.Marker> markers) {
    String id = markers.get(0).container();
    return (id.length() > 8 ? id.substring(0, 8) : id)
        + " was OOM-killed before its first reading (ten a second): no line, only the kill's"
        + " flag. A larger limit, or a slower hog, shows the climb.";
  }

  /** The cgroup version a container's numbers came from ("v1", "v2", "hybrid"), or null. */
  public String version(String container) {
    CgroupReading r = store.latest(container);
    return r == null ? null : r.version();
  }

  /** Why the chart of {@code r} has no line, in one sentence. */
  String emptyReason(Resource r) {
    if (entries.isEmpty()) {
      return "Nothing to chart yet: run a container at level 08 or above (or switch a cgroup step on"
          + " in free play), and its "
          + r.title().toLowerCase(java.util.Locale.ROOT)
          + " shows here, live.";
    }
    if (entries.stream().noneMatch(e -> e.shownProperty().get())) {
      return "Every container is unticked in the legend.";
    }
    if (r == Resource.PRESSURE) {
      return "No pressure figures for these containers: PSI files (cpu.pressure, memory.pressure,"
          + " io.pressure) exist only in a cgroup v2 group of their own, and these groups are v1.";
    }
    return "No "
        + r.title().toLowerCase(java.util.Locale.ROOT)
        + " figures in this window: the shown containers have no "
        + r.title().toLowerCase(java.util.Locale.ROOT)
        + " cgroup of their own, or ran at another time (zoom out, or go live).";
  }

  private void clampBack() {
    double max = Math.max(0, ContainerHistory.SPAN_MS / 1000.0 - windowSeconds.get());
    backSeconds = Math.max(0, Math.min(max, backSeconds));
  }

  private void changed() {
    contention.set(contention());
    changes.set(changes.get() + 1);
  }

  private void containersChanged(List<ContainerItem> containers) {
    Set<String> present = new LinkedHashSet<>();
    List<String> live = new ArrayList<>();
    for (ContainerItem c : containers) {
      present.add(c.id());
      if (items.put(c.id(), c) == null) {
        c.stateProperty().addListener((o, a, b) -> containersChanged(containers));
      }
      if (c.state().live() && mayHaveCgroups(c)) {
        live.add(c.id());
        if (c.ranHere()) {
          store.startedHere(c.id());
        }
      }
    }
    for (String id : new ArrayList<>(items.keySet())) {
      if (!present.contains(id)) {
        items.remove(id);
        store.forget(id);
        LegendEntry e = byId.remove(id);
        if (e != null) {
          entries.remove(e);
        }
      }
    }
    feed.watch(live);
    update();
    syncShown();
  }

  private void select(String id) {
    selected = id;
    for (LegendEntry e : entries) {
      e.highlighted(e.id().equals(id));
    }
    syncShown();
    changed();
  }

  /** Each legend entry's tick from the shared selection. */
  private void syncShown() {
    syncing = true;
    try {
      for (LegendEntry e : entries) {
        e.shownProperty().set(compare.shows(e.id()));
      }
    } finally {
      syncing = false;
    }
  }

  /** After new samples: legend entries, readings, the contention readout and the note. */
  private void update() {
    for (ContainerHistory h : store.histories()) {
      LegendEntry e = byId.get(h.id());
      if (e == null) {
        boolean killedUnseen =
            h.latest() == null
                && !h.events().isEmpty()
                && items.containsKey(h.id())
                && mayHaveCgroups(items.get(h.id()));
        if (!killedUnseen
            && (h.latest() == null || !h.latest().hasOwnCgroup() || !items.containsKey(h.id()))) {
          continue;
        }
        e = new LegendEntry(h.id(), compare.style(h.id()));
        e.shownProperty().set(compare.shows(h.id()));
        LegendEntry entry = e;
        e.shownProperty()
            .addListener(
                (o, a, b) -> {
                  if (!syncing) {
                    // The legend's tick box: the glass house's selection changes with it.
                    compare.show(entry.id(), b);
                    syncShown();
                  }
                  changed();
                });
        e.highlighted(h.id().equals(selected));
        byId.put(h.id(), e);
        entries.add(e);
      }
      ContainerItem item = items.get(h.id());
      if (item != null) {
        e.description(describe(item));
      }
      e.update(h);
    }
    note.set(note());
    changed();
  }

  private static String describe(ContainerItem item) {
    var spec = item.spec();
    String level =
        spec == null || spec.level() == null
            ? ""
            : spec.features() != null
                ? "free play · "
                : String.format("level %02d · ", spec.level());
    return level + item.commandLine();
  }

  /**
   * Whether a container was started with a cgroup step (level 08 and up, or one switched on in free
   * play) — or may have been: an item whose spec is not known yet, or adopted from ps without a
   * level. Only those are sampled; the others would only ever read "no cgroup of its own".
   */
  static boolean mayHaveCgroups(ContainerItem c) {
    RunSpec spec = c.spec();
    if (spec == null) {
      return true;
    }
    Set<Feature> steps;
    try {
      steps =
          spec.features() != null
              ? spec.features()
              : spec.level() == null ? null : Feature.upTo(spec.level());
    } catch (IllegalArgumentException e) {
      steps = null; // a level this app does not know: ask the kernel
    }
    return steps == null
        || steps.contains(Feature.CGROUP_CPU)
        || steps.contains(Feature.CGROUP_MEMORY)
        || steps.contains(Feature.CGROUP_PIDS);
  }

  private String note() {
    long noCgroup =
        items.values().stream()
            .filter(i -> i.state().live())
            .filter(
                i -> {
                  CgroupReading r = store.latest(i.id());
                  return !mayHaveCgroups(i) || (r != null && !r.hasOwnCgroup());
                })
            .count();
    if (noCgroup == 0) {
      return "";
    }
    return noCgroup == 1
        ? "1 running container has no cgroup of its own (levels below 08): the kernel counts it"
            + " with the helper, so there is nothing of its own to chart."
        : noCgroup
            + " running containers have no cgroup of their own (levels below 08): the kernel"
            + " counts them with the helper, so there is nothing of theirs to chart.";
  }

  /**
   * The two shown containers with the most different weights, both busy (at least {@value
   * #BUSY_CORES} cores) over the last {@value #CONTENTION_SECONDS} seconds of the window.
   */
  private Contention contention() {
    long end = endMs();
    long from = end - CONTENTION_SECONDS * 1000L;
    List<ContainerHistory> busy = new ArrayList<>();
    for (LegendEntry e : entries) {
      ContainerHistory h = store.history(e.id());
      if (h == null || !e.shownProperty().get() || h.latest() == null) {
        continue;
      }
      double used = h.mean(Metric.CPU_USED, from, end);
      if (h.latest().cpuWeight() != null && used >= BUSY_CORES) {
        busy.add(h);
      }
    }
    if (busy.size() < 2) {
      return null;
    }
    busy.sort((a, b) -> Double.compare(a.latest().cpuWeight(), b.latest().cpuWeight()));
    ContainerHistory lighter = busy.get(0);
    ContainerHistory heavier = busy.get(busy.size() - 1);
    boolean v1 = lighter.latest().value(Metric.CPU_SHARES) != null;
    return new Contention(
        lighter.id(),
        heavier.id(),
        lighter.mean(Metric.CPU_USED, from, end),
        heavier.mean(Metric.CPU_USED, from, end),
        lighter.latest().cpuWeight(),
        heavier.latest().cpuWeight(),
        v1 ? Metric.CPU_SHARES : Metric.CPU_WEIGHT,
        CONTENTION_SECONDS);
  }
}
