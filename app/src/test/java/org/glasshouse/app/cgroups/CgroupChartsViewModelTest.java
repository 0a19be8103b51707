package org.glasshouse.app.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.glasshouse.app.containers.CompareSelection;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.core.Recording;
import org.junit.jupiter.api.Test;

/**
 * The charts' view-model fed with recorded telemetry: the hybrid recordings of a real helper, the
 * v2 recordings of a real helper on a pure cgroup v2 kernel, and the v1 and v2 fixtures built from
 * the helper's captured cgroupfs trees. Plain Java on one thread (the fake helper delivers at once,
 * the UI executor runs in place).
 */
class CgroupChartsViewModelTest {
  private static final double MIB = 1 << 20;

  /** A view-model with the fixture's containers in the app's list, fed the fixture. */
  static final class Rig {
    final FakeLabService lab = new FakeLabService();
    final long[] clock = {0};
    final CgroupTelemetry store = new CgroupTelemetry(() -> clock[0]);
    final ObservableList<ContainerItem> items = FXCollections.observableArrayList();
    final SimpleObjectProperty<ContainerItem> selected = new SimpleObjectProperty<>();
    final TelemetryFeed feed = new TelemetryFeed(lab, Runnable::run, store);
    final CompareSelection compare = new CompareSelection(items, selected);
    final CgroupChartsViewModel vm;

    Rig(List<String> containers) {
      containers.forEach(c -> items.add(new ContainerItem(c)));
      vm = new CgroupChartsViewModel(store, feed, compare);
    }

    static Rig replay(String fixture) {
      Rig r = new Rig(Recordings.containers(fixture));
      r.feed(Recordings.events(fixture));
      return r;
    }

    void feed(List<LabEvent> events) {
      events.forEach(lab::emit);
    }

    ContainerHistory history(int i) {
      return store.history(items.get(i).id());
    }

    String id(int i) {
      return items.get(i).id();
    }
  }

  private static ChartFrame.Line line(ChartFrame f, String container, Metric m) {
    return f.lines().stream()
        .filter(l -> l.container().equals(container) && l.metric() == m)
        .findFirst()
        .orElse(null);
  }

  private static ChartFrame.Reference reference(ChartFrame f, String container, Metric m) {
    return f.references().stream()
        .filter(r -> r.container().equals(container) && r.metric() == m)
        .findFirst()
        .orElse(null);
  }

  private static List<CgroupEvent> markers(ChartFrame f, String container, Metric counter) {
    return f.markers().stream()
        .filter(m -> m.container().equals(container) && m.event().counter() == counter)
        .map(ChartFrame.Marker::event)
        .toList();
  }

  // ---- v1 and v2: the same story, the files of each version ----

  @Test
  void v1MemoryClimbsToTheLimitLineThenAnOomKillIsMarked() {
    memoryStory(Rig.replay("v1"), "v1");
  }

  @Test
  void v2MemoryClimbsToTheLimitLineThenAnOomKillIsMarked() {
    memoryStory(Rig.replay("v2"), "v2");
  }

  private static void memoryStory(Rig r, String version) {
    String a = r.id(0);
    assertEquals(version, r.vm.version(a));
    r.vm.windowSecondsProperty().set(60);
    ChartFrame f = r.vm.frame(Resource.MEMORY);
    ChartFrame.Line used = line(f, a, Metric.MEMORY_USED);
    ChartFrame.Reference limit = reference(f, a, Metric.MEMORY_LIMIT);
    assertNotNull(limit, "the 64 MiB limit is a reference line");
    assertEquals(64 * MIB, limit.value());
    assertEquals(64 * MIB, used.max(), "usage reaches the limit line");
    assertTrue(used.last() < 2 * MIB, "after the kill the usage drops: " + used.last());
    assertTrue(f.yMax() >= limit.value(), "the axis shows the limit");
    List<CgroupEvent> kills = markers(f, a, Metric.OOM_KILLS);
    assertEquals(1, kills.size(), "one OOM kill, not the one before the first reading: " + kills);
    assertEquals(FixtureBuilder.START_MS + 160 * 100, kills.get(0).timeMs());
    assertFalse(kills.get(0).fromExit());
    List<CgroupEvent> hits = markers(f, a, Metric.MEMORY_FAILCNT);
    assertEquals(40, hits.size(), "a limit hit on each reading from 12 s to 16 s");
    assertTrue(hits.get(0).timeMs() >= FixtureBuilder.START_MS + 120 * 100);
    assertNotNull(line(f, r.id(1), Metric.MEMORY_USED), "b's memory is drawn too");
    assertNull(f.empty());
  }

  @Test
  void v1PidsReachTheMaxLineAndRejectedForksAreCounted() {
    pidsStory(Rig.replay("v1"));
  }

  @Test
  void v2PidsReachTheMaxLineAndRejectedForksAreCounted() {
    pidsStory(Rig.replay("v2"));
  }

  private static void pidsStory(Rig r) {
    String a = r.id(0);
    ChartFrame f = r.vm.frame(Resource.PIDS);
    assertEquals(64, line(f, a, Metric.PIDS_CURRENT).max());
    assertEquals(64, reference(f, a, Metric.PIDS_MAX).value());
    List<CgroupEvent> rejected = markers(f, a, Metric.PIDS_REJECTED);
    assertFalse(rejected.isEmpty());
    assertTrue(rejected.get(0).timeMs() >= FixtureBuilder.START_MS + 79 * 100, "from 8 s on");
    assertTrue(r.store.latest(a).value(Metric.PIDS_REJECTED) > 0);
  }

  @Test
  void v1CpuSplitsByShares() {
    Rig r = Rig.replay("v1");
    cpuStory(r, Metric.CPU_SHARES, 512, 1024);
  }

  @Test
  void v2CpuSplitsByWeight() {
    Rig r = Rig.replay("v2");
    cpuStory(r, Metric.CPU_WEIGHT, 100, 200);
  }

  private static void cpuStory(Rig r, Metric weight, double lighter, double heavier) {
    String a = r.id(0);
    String b = r.id(1);
    ChartFrame f = r.vm.frame(Resource.CPU);
    assertEquals(0.33, line(f, a, Metric.CPU_USED).last(), 1e-9);
    assertEquals(0.67, line(f, b, Metric.CPU_USED).last(), 1e-9);
    // a's quota is half a core and it is throttled; b has no quota, so no throttled line.
    assertEquals(0.5, reference(f, a, Metric.CPU_QUOTA).value());
    assertNull(reference(f, b, Metric.CPU_QUOTA));
    assertEquals(450, line(f, a, Metric.CPU_THROTTLED).last(), 1e-6);
    assertNull(line(f, b, Metric.CPU_THROTTLED));
    // What the weights promise of the CPU the two use together.
    double total = 0.33 + 0.67;
    assertEquals(
        total * lighter / (lighter + heavier), line(f, a, Metric.CPU_FAIR_SHARE).last(), 1e-9);
    Contention c = r.vm.contentionProperty().get();
    assertNotNull(c);
    assertEquals(a, c.lighter());
    assertEquals(weight, c.weightMetric());
    assertEquals(0.33 / 0.67, c.measuredRatio(), 1e-9);
    assertEquals(lighter / heavier, c.weightRatio(), 1e-9);
    assertEquals(lighter, r.store.latest(a).cpuWeight());
  }

  @Test
  void pressureIsChartedOnV2AndExplainedAwayOnV1() {
    Rig v2 = Rig.replay("v2");
    ChartFrame f = v2.vm.frame(Resource.PRESSURE);
    assertNull(f.empty());
    assertTrue(line(f, v2.id(0), Metric.PSI_CPU).max() > 50);
    assertTrue(line(f, v2.id(0), Metric.PSI_MEMORY).max() > 40);
    Rig v1 = Rig.replay("v1");
    ChartFrame none = v1.vm.frame(Resource.PRESSURE);
    assertTrue(none.lines().isEmpty());
    assertTrue(none.empty().contains("cgroup v2"), none.empty());
    assertEquals("v1", v1.vm.version(v1.id(0)));
  }

  // ---- the app's recorded fixtures (fixtures/README.md), replayed through the app's path ----

  /**
   * A charts view-model behind a real {@link ContainersViewModel}, fed a recording of the app's
   * shared fixtures up to (not including) its removal: the container appears from its own step and
   * started events, as it would in the app, and is selected, as the student's run is (once ended it
   * is drawn because it is the selected one: the shared selection shows every running container and
   * the selected one).
   */
  private static CgroupChartsViewModel replayed(String fixture, CgroupTelemetry store) {
    Replay r = new Replay(fixture, store);
    r.recording.events().stream()
        .filter(e -> !(e instanceof LabEvent.Removed))
        .forEach(r.lab::emit);
    r.containers.select(started(fixture));
    return r.vm;
  }

  /** A recording about to be replayed into a charts view-model behind a real containers one. */
  private static final class Replay {
    final Recording recording;
    final FakeLabService lab = new FakeLabService();
    final ContainersViewModel containers = new ContainersViewModel(lab, Runnable::run);
    final CgroupChartsViewModel vm;

    Replay(String fixture, CgroupTelemetry store) {
      recording = Recording.load(fixture);
      vm =
          new CgroupChartsViewModel(
              store,
              new TelemetryFeed(lab, Runnable::run, store),
              new CompareSelection(containers));
      lab.answerFrom(recording);
    }
  }

  /** The containers the recording started, in order. */
  private static List<String> startedAll(String fixture) {
    return Recording.load(fixture).events(LabEvent.Started.class).stream()
        .map(LabEvent::container)
        .toList();
  }

  private static String started(String fixture) {
    return startedAll(fixture).get(0);
  }

  /** Whether any telemetry sample of the recording counted an OOM kill (else only the exit did). */
  private static boolean aSampleSawTheOomKill(String fixture) {
    return Recording.load(fixture).events(LabEvent.Telemetry.class).stream()
        .anyMatch(
            t ->
                t.sample().cgroup() != null
                    && t.sample().cgroup().memory() != null
                    && t.sample().cgroup().memory().oomKills() != null
                    && t.sample().cgroup().memory().oomKills() > 0);
  }

  /**
   * As {@link #replayed}, up to the first container's exit: a recording that ends by removing
   * running containers (level 08's pair) is charted as it was while they ran side by side.
   */
  private static CgroupChartsViewModel replayedWhileRunning(String fixture, CgroupTelemetry store) {
    Replay r = new Replay(fixture, store);
    for (LabEvent e : r.recording.events()) {
      if (e instanceof LabEvent.Exited || e instanceof LabEvent.Removed) {
        break;
      }
      r.lab.emit(e);
    }
    return r.vm;
  }

  @Test
  void recordedLevel08PairSplitsTheCpuByTheirShares() {
    CgroupTelemetry store = new CgroupTelemetry(() -> 0);
    CgroupChartsViewModel vm = replayedWhileRunning("level-08-contention", store);
    List<String> pair = startedAll("level-08-contention");
    assertEquals(2, vm.entries().size(), "both in the legend");
    assertTrue(vm.entries().stream().allMatch(e -> e.shownProperty().get()), "both drawn");
    Contention c = vm.contentionProperty().get();
    assertNotNull(c, "two busy containers with weights: the readout");
    assertEquals(pair.get(0), c.lighter(), "the shares-512 container");
    assertEquals(0.5, c.weightRatio());
    assertTrue(
        c.measuredRatio() > 0.35 && c.measuredRatio() < 0.8,
        "measured " + c.measuredRatio() + " near 0.5");
    // The hybrid host's containers read v1 files (their unified group is the root: no PSI).
    assertEquals("v1", vm.version(pair.get(0)));
    assertNotNull(vm.frame(Resource.PRESSURE).empty());
    ChartFrame f = vm.frame(Resource.CPU);
    assertEquals(512.0, store.latest(pair.get(0)).value(Metric.CPU_SHARES), "cpu.shares as read");
    assertEquals(1024.0, store.latest(pair.get(1)).value(Metric.CPU_SHARES));
    assertTrue(
        line(f, pair.get(1), Metric.CPU_USED).max() > CgroupChartsViewModel.BUSY_CORES,
        "the heavier one is busy");
  }

  @Test
  void recordedAwkHogClimbsToTheLimitAndItsOomKillIsMarkedOnce() {
    CgroupTelemetry store = new CgroupTelemetry(() -> 0);
    CgroupChartsViewModel vm = replayed("level-09-awk-oom", store);
    String c = started("level-09-awk-oom");
    ChartFrame f = vm.frame(Resource.MEMORY);
    double limit = reference(f, c, Metric.MEMORY_LIMIT).value();
    assertEquals(32 * MIB, limit);
    assertTrue(
        line(f, c, Metric.MEMORY_USED).max() >= 0.8 * limit,
        "climbs to the limit line: " + line(f, c, Metric.MEMORY_USED).max() / MIB + " MiB");
    List<CgroupEvent> kills = markers(f, c, Metric.OOM_KILLS);
    assertEquals(1, kills.size(), "one kill, from the last sample or the exit report: " + kills);
    boolean sampled = aSampleSawTheOomKill("level-09-awk-oom");
    assertEquals(!sampled, kills.get(0).fromExit(), "from the exit only when no sample saw it");
    assertEquals(1, store.latest(c).value(Metric.OOM_KILLS), "the legend counts it too");
    assertFalse(vm.entries().get(0).liveProperty().get());
  }

  /**
   * Level 09's awk Try it (memory and mem+swap 32 MiB) on v1: the second limit line and the legend
   * said "swap limit 32.0 MiB", as if the container could swap 32 MiB, where v1's file holds memory
   * and swap together (the same run on v2 reads memory.swap.max: 0 B). It says mem+swap on v1.
   */
  @Test
  void aV1MemSwapLimitIsNamedMemPlusSwapNotSwap() {
    CgroupTelemetry store = new CgroupTelemetry(() -> 0);
    CgroupChartsViewModel vm = replayed("level-09-awk-oom", store);
    String c = started("level-09-awk-oom");
    ChartFrame f = vm.frame(Resource.MEMORY);
    assertEquals("v1", vm.version(c));
    ChartFrame.Reference swap = reference(f, c, Metric.SWAP_LIMIT);
    assertEquals(32 * MIB, swap.value());
    assertEquals("mem+swap limit", swap.label());
    assertEquals("memory limit", reference(f, c, Metric.MEMORY_LIMIT).label());
    assertEquals("mem+swap limit", Metric.SWAP_LIMIT.label("hybrid"), "v1's memory controller");
    assertEquals("swap limit", Metric.SWAP_LIMIT.label("v2"));
    assertEquals("memory limit", Metric.MEMORY_LIMIT.label("v1"));
    assertTrue(
        CgroupChartsView.files(Metric.SWAP_LIMIT, "v1").startsWith("mem+swap limit\n"),
        "the tooltip's first line too");
  }

  @Test
  void recordedAwkFloodFlattensAgainstPidsMax() {
    CgroupTelemetry store = new CgroupTelemetry(() -> 0);
    CgroupChartsViewModel vm = replayed("level-12-awk-flood", store);
    String c = started("level-12-awk-flood");
    ChartFrame f = vm.frame(Resource.PIDS);
    assertEquals(16, reference(f, c, Metric.PIDS_MAX).value());
    assertEquals(16, line(f, c, Metric.PIDS_CURRENT).max());
    assertTrue(markers(f, c, Metric.PIDS_REJECTED).size() > 10, "a refused fork on most samples");
    assertTrue(store.latest(c).value(Metric.PIDS_REJECTED) > 0);
  }

  @Test
  void recordedLevel09HogReachesTheLimitLineAndItsOomKillIsMarked() {
    CgroupTelemetry store = new CgroupTelemetry(() -> 0);
    CgroupChartsViewModel vm = replayed("level-09-oom", store);
    String c = started("level-09-oom");
    vm.windowSecondsProperty().set(60);
    ChartFrame f = vm.frame(Resource.MEMORY);
    double limit = reference(f, c, Metric.MEMORY_LIMIT).value();
    assertEquals(32 * MIB, limit);
    assertTrue(
        line(f, c, Metric.MEMORY_USED).max() > limit / 2,
        "climbs towards the limit line: " + line(f, c, Metric.MEMORY_USED).max() / MIB);
    assertEquals(1, markers(f, c, Metric.OOM_KILLS).size(), "one OOM kill on the time axis");
    assertEquals(1, store.latest(c).value(Metric.OOM_KILLS), "the legend counts it");
  }

  @Test
  void recordedLevel12FloodReachesPidsMaxWithRejectedForks() {
    CgroupTelemetry store = new CgroupTelemetry(() -> 0);
    CgroupChartsViewModel vm = replayed("level-12-forkflood", store);
    String c = started("level-12-forkflood");
    ChartFrame f = vm.frame(Resource.PIDS);
    assertEquals(16, reference(f, c, Metric.PIDS_MAX).value());
    assertTrue(line(f, c, Metric.PIDS_CURRENT).max() >= 15, "tasks flat against the max line");
    assertFalse(markers(f, c, Metric.PIDS_REJECTED).isEmpty(), "rejected forks as ticks");
    assertTrue(store.latest(c).value(Metric.PIDS_REJECTED) > 0);
  }

  // ---- recorded on cgroup v2: the guest of ./glasshouse test-v2 (V2ChartsRecorder) ----

  /**
   * What the charts show on hover for one resource (CgroupChartsView#files, the one text): each
   * reference line, each marker and each number of the container's legend row (LegendRow's chips)
   * names the cgroup v2 files behind it, and says that this container's are v2.
   */
  private static void hoverNamesV2Files(
      CgroupChartsViewModel vm, CgroupTelemetry store, Resource res, String... files) {
    ChartFrame f = vm.frame(res);
    StringBuilder hovers = new StringBuilder();
    for (ChartFrame.Reference r : f.references()) {
      hovers.append(CgroupChartsView.files(r.metric(), vm.version(r.container()))).append('\n');
    }
    for (ChartFrame.Marker m : f.markers()) {
      hovers
          .append(CgroupChartsView.files(m.event().counter(), vm.version(m.container())))
          .append('\n');
    }
    for (LegendEntry e : vm.entries()) {
      CgroupReading reading = store.latest(e.id());
      for (Metric m : ChartLines.readoutMetrics(res)) {
        if (reading != null && reading.value(m) != null) {
          hovers.append(CgroupChartsView.files(m, reading.version())).append('\n');
        }
      }
    }
    String text = hovers.toString();
    assertTrue(text.contains("this container: cgroup v2"), text);
    assertFalse(text.contains("this container: cgroup v1"), text);
    for (String file : files) {
      assertTrue(text.contains("cgroup v2: " + file), file + " on hover: " + text);
    }
  }

  @Test
  void recordedV2PairSplitsTheCpuByCpuWeight() {
    CgroupTelemetry store = new CgroupTelemetry(() -> 0);
    CgroupChartsViewModel vm = replayedWhileRunning("v2-level-08-contention", store);
    List<String> pair = startedAll("v2-level-08-contention");
    assertEquals("v2", vm.version(pair.get(0)), "read from the v2 files");
    // shares 512 and 1024 become cpu.weight 20 and 39 (runc's conversion), as read back.
    assertEquals(20.0, store.latest(pair.get(0)).value(Metric.CPU_WEIGHT));
    assertEquals(39.0, store.latest(pair.get(1)).value(Metric.CPU_WEIGHT));
    assertNull(store.latest(pair.get(0)).value(Metric.CPU_SHARES), "no cpu.shares on v2");
    Contention c = vm.contentionProperty().get();
    assertNotNull(c, "two busy containers with weights: the readout");
    assertEquals(pair.get(0), c.lighter());
    assertEquals(Metric.CPU_WEIGHT, c.weightMetric());
    assertEquals(20.0 / 39.0, c.weightRatio(), 1e-9);
    assertTrue(
        c.measuredRatio() > 0.35 && c.measuredRatio() < 0.8,
        "measured " + c.measuredRatio() + " near 20/39");
    hoverNamesV2Files(vm, store, Resource.CPU, "cpu.weight", "cpu.stat usage_usec");
  }

  @Test
  void recordedV2HogClimbsToMemoryMaxAndItsOomKillIsMarked() {
    CgroupTelemetry store = new CgroupTelemetry(() -> 0);
    CgroupChartsViewModel vm = replayed("v2-level-09-oom", store);
    String c = started("v2-level-09-oom");
    vm.windowSecondsProperty().set(600);
    assertEquals("v2", vm.version(c));
    ChartFrame f = vm.frame(Resource.MEMORY);
    double limit = reference(f, c, Metric.MEMORY_LIMIT).value();
    assertEquals(32 * MIB, limit, "memory.max");
    assertTrue(
        line(f, c, Metric.MEMORY_USED).max() > limit / 2,
        "climbs towards the limit line: " + line(f, c, Metric.MEMORY_USED).max() / MIB);
    List<CgroupEvent> kills = markers(f, c, Metric.OOM_KILLS);
    assertEquals(1, kills.size(), "one OOM kill on the time axis: " + kills);
    boolean sampled = aSampleSawTheOomKill("v2-level-09-oom");
    assertEquals(!sampled, kills.get(0).fromExit(), "from the exit only when no sample saw it");
    assertEquals(1, store.latest(c).value(Metric.OOM_KILLS), "the legend counts it");
    hoverNamesV2Files(vm, store, Resource.MEMORY, "memory.max", "memory.events oom_kill");
  }

  @Test
  void recordedV2FloodFlattensAgainstPidsMax() {
    CgroupTelemetry store = new CgroupTelemetry(() -> 0);
    CgroupChartsViewModel vm = replayed("v2-level-12-forkflood", store);
    String c = started("v2-level-12-forkflood");
    vm.windowSecondsProperty().set(600);
    assertEquals("v2", vm.version(c));
    ChartFrame f = vm.frame(Resource.PIDS);
    assertEquals(16, reference(f, c, Metric.PIDS_MAX).value(), "pids.max");
    assertTrue(line(f, c, Metric.PIDS_CURRENT).max() >= 15, "tasks flat against the max line");
    assertFalse(markers(f, c, Metric.PIDS_REJECTED).isEmpty(), "rejected forks as ticks");
    assertTrue(store.latest(c).value(Metric.PIDS_REJECTED) > 0);
    hoverNamesV2Files(vm, store, Resource.PIDS, "pids.max", "pids.events max");
  }

  @Test
  void cpuLinesAreTheMeanOfTheSecondBeforeEachPoint() {
    double[] xs = {0, 0.1, 0.2, 0.3, 1.25, 1.3};
    double[] ys = {1, 0, 1, 0, 4, 2};
    ChartLines.smooth(xs, ys, 6, 1.0);
    assertEquals(1, ys[0]);
    assertEquals(0.5, ys[1]);
    assertEquals(0.5, ys[3]);
    // 1.25 s: 0.3 and 1.25 are within the second before it, 0.2 is not.
    assertEquals(2, ys[4]);
    assertEquals(3, ys[5]);
  }

  @Test
  void readingsFarApartAreNotJoined() {
    double[] xs = {-5, -4.9, -2, -1.9};
    double[] ys = {1, 2, 3, 4};
    ChartFrame.Line l = ChartLines.gaps("c", 0, Metric.PIDS_CURRENT, false, xs, ys, 4);
    assertEquals(5, l.n());
    assertEquals(-3.45, l.xs()[2], 1e-9);
    assertTrue(Double.isNaN(l.ys()[2]));
    assertEquals(4, l.max(), "a gap is no value");
    assertEquals(4, l.last());
  }

  // ---- the window ----

  @Test
  void theWindowPausesPansAndZoomsOverTenMinutes() {
    Rig r = Rig.replay("v1");
    long end = r.store.now();
    assertEquals(end, r.vm.endMs());
    ChartFrame live = r.vm.frame(Resource.CPU);
    assertEquals(-60, live.from());
    r.vm.pausedProperty().set(true);
    r.clock[0] += 5_000;
    assertEquals(end, r.vm.endMs(), "paused: the window stays");
    r.vm.pan(30);
    assertEquals(end - 30_000, r.vm.endMs());
    r.vm.pan(10_000);
    assertEquals(540, r.vm.backSeconds(), "no further back than ten minutes allow");
    r.vm.zoom(1);
    r.vm.zoom(1);
    r.vm.zoom(1);
    r.vm.zoom(1);
    assertEquals(600, r.vm.windowSecondsProperty().get());
    assertEquals(0, r.vm.backSeconds(), "a ten-minute window cannot look further back");
    r.vm.zoom(-1);
    assertEquals(300, r.vm.windowSecondsProperty().get());
    r.vm.live();
    assertFalse(r.vm.pausedProperty().get());
    assertEquals(r.store.now(), r.vm.endMs());
  }

  @Test
  void aPanBackShowsTheEarlierPartOnly() {
    Rig r = Rig.replay("v1");
    r.vm.pan(15);
    ChartFrame f = r.vm.frame(Resource.MEMORY);
    // 20 s of readings, the window ends 15 s before the last one: only the first 5 s show.
    ChartFrame.Line used = line(f, r.id(0), Metric.MEMORY_USED);
    assertTrue(used.max() < 40 * MIB, "memory was still low then: " + used.max() / MIB);
    assertTrue(markers(f, r.id(0), Metric.OOM_KILLS).isEmpty());
  }

  // ---- the legend ----

  @Test
  void aContainerWithoutItsOwnCgroupGetsNoLegendEntryButANote() {
    Rig r = Rig.replay("v1");
    ContainerItem level5 = new ContainerItem("c05000000000");
    r.items.add(level5);
    r.lab.emit(
        Recordings.telemetry(
            "c05000000000",
            new org.glasshouse.protocol.inspect.TelemetrySample(
                FixtureBuilder.START_MS + 20_000,
                99,
                false,
                null,
                null,
                new org.glasshouse.protocol.inspect.CgroupStats("v1", null, null, null, null))));
    assertEquals(2, r.vm.entries().size());
    assertTrue(r.vm.noteProperty().get().startsWith("1 running container has no cgroup"));
  }

  @Test
  void onlyContainersWithACgroupStepAreSampled() throws Exception {
    FakeLabService lab = new FakeLabService();
    ContainersViewModel containers = new ContainersViewModel(lab, Runnable::run);
    CgroupTelemetry store = new CgroupTelemetry(() -> 0);
    CgroupChartsViewModel vm =
        new CgroupChartsViewModel(
            store, new TelemetryFeed(lab, Runnable::run, store), new CompareSelection(containers));
    lab.onRun = s -> CompletableFuture.completedFuture(new LabService.Started("l05", 10));
    containers.run(ChartWorkloads.spec(5, null, "sleep 9"), false).get();
    lab.onRun = s -> CompletableFuture.completedFuture(new LabService.Started("l08", 11));
    containers.run(ChartWorkloads.spec(8, null, "sleep 9"), false).get();
    assertEquals(List.of("l08"), telemetrySubscriptions(lab));
    assertTrue(
        vm.noteProperty().get().startsWith("1 running container has no cgroup of its own"),
        vm.noteProperty().get());
  }

  /**
   * CI on a loaded machine: the level-09 hog (32 MiB) was OOM-killed before its first 10 Hz
   * reading, which already counted the kill: the legend said 1, the time axis showed nothing. The
   * app's own run counts from zero and is marked; a container found running at connect (adopted)
   * takes its count as the baseline.
   */
  @Test
  void aKillTheFirstReadingCountsIsMarkedForTheAppsOwnRunOnly() throws Exception {
    FakeLabService lab = new FakeLabService();
    lab.containers =
        List.of(
            new org.glasshouse.app.core.ContainerSummary(
                "found0000009",
                "busybox",
                List.of("sh"),
                9,
                "running",
                50L,
                null,
                null,
                false,
                null));
    ContainersViewModel containers = new ContainersViewModel(lab, Runnable::run);
    long[] clock = {20_000};
    CgroupTelemetry store = new CgroupTelemetry(() -> clock[0]);
    CgroupChartsViewModel vm =
        new CgroupChartsViewModel(
            store, new TelemetryFeed(lab, Runnable::run, store), new CompareSelection(containers));
    lab.onRun = s -> CompletableFuture.completedFuture(new LabService.Started("mine00000009", 10));
    containers.run(ChartWorkloads.spec(9, null, "sleep 9"), false).get();
    assertTrue(
        containers.containers().stream()
            .filter(c -> c.id().equals("found0000009"))
            .allMatch(ContainerItem::adopted),
        "the ps row is adopted");
    for (String c : List.of("mine00000009", "found0000009")) {
      lab.emit(oomSample(c, 20_000, 1));
      lab.emit(oomSample(c, 20_100, 1));
    }
    ChartFrame f = vm.frame(Resource.MEMORY);
    List<CgroupEvent> kills = markers(f, "mine00000009", Metric.OOM_KILLS);
    assertEquals(1, kills.size(), "the app's run: " + f.markers());
    assertEquals(20_000, kills.get(0).timeMs());
    assertTrue(
        store.history("found0000009").events().isEmpty(),
        "an adopted container's old count is not a new kill");
    assertEquals(1, store.latest("found0000009").value(Metric.OOM_KILLS), "its legend counts it");
  }

  private static LabEvent oomSample(String container, long timeMs, long kills) {
    return Recordings.telemetry(
        container,
        new org.glasshouse.protocol.inspect.TelemetrySample(
            timeMs,
            1,
            false,
            100L,
            null,
            new org.glasshouse.protocol.inspect.CgroupStats(
                "v1",
                null,
                new org.glasshouse.protocol.inspect.CgroupStats.Memory(
                    200_000L, 32L << 20, 32L << 20, 0L, 32L << 20, 0L, kills, kills),
                null,
                null)));
  }

  @Test
  void focusShowsOnlyThoseContainers() {
    Rig r = Rig.replay("v1");
    r.vm.focus(List.of(r.id(1)), Resource.PIDS);
    assertFalse(r.vm.entries().get(0).shownProperty().get());
    assertTrue(r.vm.entries().get(1).shownProperty().get());
    assertEquals(Resource.PIDS, r.vm.resourceProperty().get());
    assertFalse(r.vm.allResourcesProperty().get());
    assertTrue(
        r.vm.frame(Resource.CPU).lines().stream().allMatch(l -> l.container().equals(r.id(1))));
    assertNull(r.vm.contentionProperty().get(), "one container shown: no contention");
  }

  @Test
  void aContainerStartedAfterAFocusIsShown() {
    // Level 08's Try it focused its pair; a container the student runs next must not be hidden:
    // a run selects its container, and the selected one is always shown.
    Rig r = new Rig(List.of("a00000000001"));
    r.vm.focus(List.of("c00000000003"), Resource.CPU);
    ContainerItem b = new ContainerItem("b00000000002");
    r.items.add(b);
    r.selected.set(b);
    r.feed(Recordings.events("v1"));
    assertEquals(2, r.vm.entries().size());
    assertFalse(r.vm.entries().get(0).shownProperty().get(), "a was there: focused away");
    assertTrue(r.vm.entries().get(1).shownProperty().get(), "b came later: shown");
  }

  /**
   * The legend draws what the app's one compare selection shows, the glass house's: a tick box in
   * the legend changes the glass house's selection, the glass house's compare menu changes the
   * legend, and each container keeps the style (colour and dash) the selection gave it.
   */
  @Test
  void theLegendIsTheGlassHousesCompareSelection() {
    Rig r = Rig.replay("v1");
    String a = r.id(0);
    String b = r.id(1);
    assertTrue(r.compare.allRunningProperty().get(), "every running container, at first");
    assertTrue(r.vm.entries().stream().allMatch(e -> e.shownProperty().get()));
    r.vm.entries().get(1).shownProperty().set(false);
    assertFalse(r.compare.allRunningProperty().get(), "a tick box picks containers by hand");
    assertFalse(r.compare.shows(b), "b unticked in the legend is gone from the glass house too");
    assertTrue(r.compare.shows(a), "a, shown before, stays shown");
    assertTrue(
        r.vm.frame(Resource.CPU).lines().stream().allMatch(l -> l.container().equals(a)),
        "only a is drawn");
    r.compare.show(b, true);
    assertTrue(r.vm.entries().get(1).shownProperty().get(), "ticked in the glass house's menu");
    for (LegendEntry e : r.vm.entries()) {
      assertEquals(r.compare.style(e.id()), e.style(), "the selection's style, not a copy");
    }
    for (ChartFrame.Line l : r.vm.frame(Resource.MEMORY).lines()) {
      assertEquals(r.compare.style(l.container()), l.style(), l.container());
    }
    assertTrue(r.compare.style(a) != r.compare.style(b), "two containers, two styles");
    r.selected.set(r.items.get(1));
    r.vm.entries().get(1).shownProperty().set(false);
    assertTrue(r.vm.entries().get(1).shownProperty().get(), "the selected container stays drawn");
  }

  /**
   * The class walk's level-09 Try it (16 MiB, a 64 MiB hog) on a loaded machine: the OOM killer
   * struck before the first 10 Hz sample, and the charts showed nothing at all — not even the kill.
   */
  @Test
  void aContainerKilledBeforeItsFirstReadingShowsItsKill() {
    Rig r = new Rig(List.of("d00000000009"));
    r.clock[0] = 5_000;
    r.feed(List.of(new LabEvent.Exited("d00000000009", null, "KILL", true, 90)));
    assertEquals(1, r.vm.entries().size(), "in the legend, ended");
    assertFalse(r.vm.entries().get(0).liveProperty().get());
    ChartFrame f = r.vm.frame(Resource.MEMORY);
    List<CgroupEvent> kills = markers(f, "d00000000009", Metric.OOM_KILLS);
    assertEquals(1, kills.size(), "the kill's flag, from the exit report");
    assertTrue(kills.get(0).fromExit());
    assertTrue(f.empty().startsWith("d0000000 was OOM-killed before its first reading"), f.empty());
  }

  /**
   * A container whose readings all lie before the window (killed a minute and more ago) draws
   * nothing there: no line, no limit line, and the chart says why. Walked at level 09: a minute
   * after its 16 MiB Try it, the memory chart showed the dead container's two limit lines across an
   * empty window and no word — its reading before the window's start, kept so that a line enters
   * from the edge, counted as a line.
   */
  @Test
  void aContainerWhoseReadingsAreAllBeforeTheWindowDrawsNothingThere() {
    Rig r = new Rig(List.of("d00000000009"));
    r.clock[0] = 5_000;
    r.feed(List.of(oomSample("d00000000009", 4_900, 0)));
    r.feed(List.of(new LabEvent.Exited("d00000000009", null, "KILL", true, 90)));
    assertFalse(r.vm.frame(Resource.MEMORY).references().isEmpty(), "its limits, now");
    r.clock[0] = 5_000 + 90_000;
    ChartFrame f = r.vm.frame(Resource.MEMORY);
    assertTrue(f.lines().isEmpty(), "a line: " + f.lines());
    assertTrue(f.references().isEmpty(), "limit lines: " + f.references());
    assertNotNull(f.empty(), "the chart says why it is empty");
  }

  /**
   * A limit line starts where its container did, not at the window's start: level 12's "pids max
   * 32" crossed the 52 s before its container started (walk, 1920×1080), as if the limit had been
   * there first. It runs to the window's end, an ended container's too (one killed within a tenth
   * of a second would otherwise have a line of a few pixels). Containers that share a limit share
   * the earliest start.
   */
  @Test
  void aLimitLineStartsWhereItsContainerDid() {
    Rig r = new Rig(List.of("a00000000001", "b00000000002"));
    r.clock[0] = 60_000;
    // a: from 20 s to now; b: from 50 s, then gone at 55 s (exited).
    for (long t = 20_000; t <= 60_000; t += 100) {
      r.feed(List.of(pidsSample("a00000000001", t, 32)));
      if (t >= 50_000 && t <= 55_000) {
        r.feed(List.of(pidsSample("b00000000002", t, 16)));
      }
    }
    r.feed(List.of(new LabEvent.Exited("b00000000002", 0, null, false, 5_000)));
    ChartFrame f = r.vm.frame(Resource.PIDS);
    ChartFrame.Reference a = reference(f, "a00000000001", Metric.PIDS_MAX);
    ChartFrame.Reference b = reference(f, "b00000000002", Metric.PIDS_MAX);
    assertEquals(-40, a.from(), 0.2, "a's line starts at its first reading");
    assertEquals(-10, b.from(), 0.2, "b's line starts at its first reading");
    // Before the window: its start is the window's.
    r.clock[0] = 100_000;
    for (long t = 60_100; t <= 100_000; t += 100) {
      r.feed(List.of(pidsSample("a00000000001", t, 32)));
    }
    a = reference(r.vm.frame(Resource.PIDS), "a00000000001", Metric.PIDS_MAX);
    assertEquals(-60, a.from(), 0.01, "a started before the window");
  }

  @Test
  void theSelectedContainerIsHighlightedAndDrawnOnTop() {
    Rig r = Rig.replay("v1");
    r.selected.set(r.items.get(0));
    assertTrue(r.vm.entries().get(0).highlightedProperty().get());
    List<ChartFrame.Line> lines = r.vm.frame(Resource.CPU).lines();
    assertEquals(r.id(0), lines.get(lines.size() - 1).container());
    assertTrue(lines.get(lines.size() - 1).highlighted());
  }

  /**
   * Level 12 in class: thirteen containers, each with its own pids max, the newest selected. Every
   * running container is drawn, so thirteen limit lines: the selected container's label must be the
   * first one placed (at the line's right end, where the eye looks), not an earlier container's;
   * and when their limits are equal (the level's 32 left as it is), one line is drawn for all,
   * named after the selected container and saying how many more share it.
   */
  @Test
  void withManyContainersTheLimitLabelNamesTheSelectedOne() {
    List<String> oldestFirst = new java.util.ArrayList<>();
    for (int i = 1; i <= 13; i++) {
      oldestFirst.add(String.format("c%011d", i));
    }
    List<String> newestFirst = new java.util.ArrayList<>(oldestFirst);
    java.util.Collections.reverse(newestFirst);

    Rig distinct = new Rig(newestFirst);
    distinct.clock[0] = 10_000;
    for (int i = 0; i < oldestFirst.size(); i++) {
      distinct.feed(List.of(pidsSample(oldestFirst.get(i), 10_000, 19 + i + 1)));
    }
    distinct.selected.set(distinct.items.get(0));
    String newest = distinct.id(0);
    ChartFrame f = distinct.vm.frame(Resource.PIDS);
    assertEquals(13, f.references().size(), "thirteen different limits, thirteen lines");
    ChartFrame.Reference first = f.references().get(0);
    assertEquals(newest, first.container(), "the selected container's limit is placed first");
    assertEquals(32, first.value(), "and it is its own limit");
    assertEquals(0, first.others());

    Rig equal = new Rig(newestFirst);
    equal.clock[0] = 10_000;
    for (String c : oldestFirst) {
      equal.feed(List.of(pidsSample(c, 10_000, 32)));
    }
    equal.selected.set(equal.items.get(0));
    List<ChartFrame.Reference> refs = equal.vm.frame(Resource.PIDS).references();
    assertEquals(1, refs.size(), "one line at 32, not thirteen labels piled on it: " + refs);
    assertEquals(newest, refs.get(0).container(), "named after the selected container");
    assertEquals(12, refs.get(0).others(), "and the twelve others that share it");

    // Nothing selected: the newest container names the shared line, not the oldest.
    equal.selected.set(null);
    refs = equal.vm.frame(Resource.PIDS).references();
    assertEquals(1, refs.size());
    assertEquals(newest, refs.get(0).container());
  }

  private static LabEvent pidsSample(String container, long timeMs, long max) {
    return Recordings.telemetry(
        container,
        new org.glasshouse.protocol.inspect.TelemetrySample(
            timeMs,
            1,
            false,
            100L,
            null,
            new org.glasshouse.protocol.inspect.CgroupStats(
                "v1",
                null,
                null,
                new org.glasshouse.protocol.inspect.CgroupStats.Pids(1L, max, 0L),
                null)));
  }

  @Test
  void aRemovedContainerLeavesTheChartsAndItsSubscriptionEnds() {
    Rig r = new Rig(List.of("a00000000001", "b00000000002"));
    assertEquals(
        List.of("a00000000001", "b00000000002"),
        telemetrySubscriptions(r.lab),
        "one subscription per running container");
    r.feed(Recordings.events("v1"));
    r.items.remove(0);
    assertEquals(1, r.vm.entries().size());
    assertNull(r.store.history("a00000000001"));
    assertEquals(List.of("b00000000002"), telemetrySubscriptions(r.lab));
    assertTrue(r.lab.requests.contains("unsubscribe 1"), r.lab.requests.toString());
  }

  @Test
  void aContainerFollowedWhileTheHelperIsAwayIsSubscribedWhenItComesBack() {
    Rig r = new Rig(List.of("a00000000001"));
    r.lab.connection(ConnectionStatus.State.LOST, "gone");
    r.items.add(new ContainerItem("b00000000002"));
    assertEquals(List.of("a00000000001"), telemetrySubscriptions(r.lab), "nobody to ask");
    r.lab.connection(ConnectionStatus.State.CONNECTED, "back");
    // The lab service renews a's subscription itself; b's was never made, the feed makes it now.
    assertEquals(List.of("a00000000001", "b00000000002"), telemetrySubscriptions(r.lab));
  }

  /**
   * The containers of the telemetry subscriptions in force on the fake, in the order they were made
   * (the fake numbers subscriptions 1, 2, … and records "subscribe C telemetry 100" and
   * "unsubscribe N").
   */
  private static List<String> telemetrySubscriptions(FakeLabService lab) {
    Map<Integer, String> live = new LinkedHashMap<>();
    int next = 0;
    for (String req : List.copyOf(lab.requests)) {
      String[] w = req.split(" ");
      if (w[0].equals("subscribe")) {
        next++;
        if (w[2].equals("telemetry")) {
          assertEquals(String.valueOf(TelemetryFeed.INTERVAL_MS), w[3], req);
          live.put(next, w[1]);
        }
      } else if (w[0].equals("unsubscribe")) {
        live.remove(Integer.parseInt(w[1]));
      }
    }
    return List.copyOf(live.values());
  }

  @Test
  void theLevelPicksTheResource() {
    Rig r = new Rig(List.of());
    r.vm.showLevel(9);
    assertEquals(Resource.MEMORY, r.vm.resourceProperty().get());
    assertFalse(r.vm.allResourcesProperty().get());
    r.vm.showLevel(12);
    assertEquals(Resource.PIDS, r.vm.resourceProperty().get());
    r.vm.showLevel(3);
    assertTrue(r.vm.allResourcesProperty().get());
    assertTrue(r.vm.frame(Resource.CPU).empty().startsWith("Nothing to chart yet"));
  }

  /**
   * A late sample does not move the window back. The chart's window ends at the helper's "now",
   * which was the app's clock minus the lag of the last sample of each batch: with eleven
   * containers followed after an app restart, one whose sample came stamped seconds earlier (read
   * late, delivered behind the others) put the window's end seconds back, and a fresh container's
   * climb and OOM kill, newer than that end, were not drawn (the lead's walk: the legend said "OOM
   * kills 1" and the chart showed the limit line alone). The window ends at the freshest lag seen
   * lately.
   */
  @Test
  void aLateSampleDoesNotPullTheWindowBack() {
    long[] clock = {100_000};
    CgroupTelemetry store = new CgroupTelemetry(() -> clock[0]);
    store.apply(
        List.of(
            new CgroupTelemetry.Sample("fresh", oomSampleOf(100_000 - 50)),
            new CgroupTelemetry.Sample("late", oomSampleOf(100_000 - 8_000))));
    assertTrue(
        store.now() >= 100_000 - 100,
        "the window ends " + (100_000 - store.now()) + " ms before the freshest reading");
    // The next batch: the late one alone, later still.
    clock[0] = 100_100;
    store.apply(List.of(new CgroupTelemetry.Sample("late", oomSampleOf(100_100 - 9_000))));
    assertTrue(store.now() >= 100_100 - 100, "pulled back by " + (100_100 - store.now()) + " ms");
    // A lag that lasts (the helper's clock behind the app's, a replay) is followed, within 10 s.
    for (int i = 1; i <= 120; i++) {
      clock[0] = 100_100 + i * 100L;
      store.apply(List.of(new CgroupTelemetry.Sample("late", oomSampleOf(clock[0] - 3_000))));
    }
    assertEquals(clock[0] - 3_000, store.now(), "a lasting lag is the helper's clock");
  }

  private static org.glasshouse.protocol.inspect.TelemetrySample oomSampleOf(long timeMs) {
    return ((LabEvent.Telemetry) oomSample("x", timeMs, 0)).sample();
  }
}
