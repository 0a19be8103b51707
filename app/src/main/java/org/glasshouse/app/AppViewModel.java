package org.glasshouse.app;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.glasshouse.app.cgroups.CgroupChartsViewModel;
import org.glasshouse.app.cgroups.CgroupTelemetry;
import org.glasshouse.app.cgroups.Resource;
import org.glasshouse.app.cgroups.TelemetryFeed;
import org.glasshouse.app.containers.CompareSelection;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainerState;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.containers.RunViewModel;
import org.glasshouse.app.core.ConnectionViewModel;
import org.glasshouse.app.core.HelperStarter;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.core.Navigator;
import org.glasshouse.app.core.Preferences;
import org.glasshouse.app.filesystem.FilesystemViewModel;
import org.glasshouse.app.glasshouse.Beat;
import org.glasshouse.app.glasshouse.GlassHouseViewModel;
import org.glasshouse.app.levels.CheckOutcome;
import org.glasshouse.app.levels.EvidenceReader;
import org.glasshouse.app.levels.Experiments;
import org.glasshouse.app.levels.Level;
import org.glasshouse.app.levels.LevelsViewModel;
import org.glasshouse.app.levels.ProgressStore;
import org.glasshouse.app.mounts.MountsViewModel;
import org.glasshouse.app.namespaces.InsideOutsideViewModel;
import org.glasshouse.app.timeline.StepLogViewModel;
import org.glasshouse.protocol.RunSpec;

/**
 * Wires the feature view-models together: the selected level drives the run panel, the selected
 * container drives the inside-vs-outside view and the step log, and a level's check marks it done.
 */
public final class AppViewModel {
  private final LabService lab;
  private final Executor ui;
  private final Navigator navigator = new Navigator();
  private final Experiments experiments = new Experiments(this::tryIt);
  private final Preferences preferences;
  private final ConnectionViewModel connection;
  private final LevelsViewModel levels;
  private final ContainersViewModel containers;
  private final RunViewModel run;
  private final InsideOutsideViewModel insideOutside;
  private final StepLogViewModel stepLog = new StepLogViewModel();
  private final MountsViewModel mounts;
  private final FilesystemViewModel filesystem;
  private final CgroupTelemetry cgroups = new CgroupTelemetry(System::currentTimeMillis);
  private final CgroupChartsViewModel charts;
  private final StringProperty checkResult = new SimpleStringProperty("");
  // Bumped whenever a check result would no longer describe what is on show: a check that
  // completes under an older number is not shown.
  private long checkSerial;
  // The container the result on show is about; when it ends or goes, the result goes.
  private ContainerItem checked;
  private final javafx.beans.value.ChangeListener<ContainerState> checkedEnded =
      (o, a, b) -> {
        if (a.live() && !b.live()) {
          dropCheck();
        }
      };
  private final CompareSelection compare;
  private final GlassHouseViewModel glassHouse;

  /** Timing for the views' timers (replay beats, re-inspection); the work itself runs on ui. */
  private static final java.util.concurrent.ScheduledExecutorService TIMER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "glasshouse-timer");
            t.setDaemon(true);
            return t;
          });

  public AppViewModel(
      LabService lab, Executor ui, Executor io, ProgressStore progress, HelperStarter starter) {
    this(lab, ui, io, progress, starter, Preferences.inMemory());
  }

  /** As above, with the user's {@code preferences} (the app passes the persisted ones). */
  public AppViewModel(
      LabService lab,
      Executor ui,
      Executor io,
      ProgressStore progress,
      HelperStarter starter,
      Preferences preferences) {
    this(lab, ui, io, progress, starter, preferences, Beat.on(TIMER, ui));
  }

  /** As above, with the views' timers on {@code beat} (tests step it by hand). */
  public AppViewModel(
      LabService lab,
      Executor ui,
      Executor io,
      ProgressStore progress,
      HelperStarter starter,
      Beat beat) {
    this(lab, ui, io, progress, starter, Preferences.inMemory(), beat);
  }

  /** As above, with both the preferences and the timers' beat given. */
  public AppViewModel(
      LabService lab,
      Executor ui,
      Executor io,
      ProgressStore progress,
      HelperStarter starter,
      Preferences preferences,
      Beat beat) {
    this.lab = lab;
    this.ui = ui;
    this.preferences = preferences;
    this.connection = new ConnectionViewModel(lab, ui, io, starter);
    this.levels = new LevelsViewModel(ui, io, progress);
    this.containers =
        new ContainersViewModel(
            lab, ui, () -> preferences.containerProperty().get(), preferences.specs());
    this.run = new RunViewModel(containers, preferences.commands());
    this.insideOutside = new InsideOutsideViewModel(lab, ui);
    this.mounts = new MountsViewModel(lab, ui, id -> containers.find(id).orElse(null));
    this.filesystem = new FilesystemViewModel(lab, ui);
    this.compare = new CompareSelection(containers);
    // The compare menu's choice outlives the window, as its containers do: restarted mid-class,
    // the views show the pair (or the one) that was ticked.
    compare.allRunningProperty().set(preferences.compareAllProperty().get());
    compare.ticked().addAll(preferences.compareTicked());
    preferences.compareAllProperty().bind(compare.allRunningProperty());
    javafx.beans.binding.Bindings.bindContent(preferences.compareTicked(), compare.ticked());
    this.glassHouse =
        new GlassHouseViewModel(
            lab,
            containers,
            compare,
            navigator,
            ui,
            beat,
            Runtime.getRuntime().availableProcessors());
    this.charts = new CgroupChartsViewModel(cgroups, new TelemetryFeed(lab, ui, cgroups), compare);
    // The level on show when the app last closed: a presenter restarting mid-class is back at it
    // (the containers re-attach on their own).
    if (preferences.levelProperty().get() >= 0) {
      levels.select(preferences.levelProperty().get());
    }
    levels.selectedProperty().addListener((o, a, b) -> preferences.levelProperty().set(b.number()));
    levels.selectedProperty().addListener((o, a, b) -> compare.endExperiment());
    run.levelProperty().set(levels.selected().number());
    charts.showLevel(levels.selected().number());
    levels
        .selectedProperty()
        .addListener(
            (o, a, b) -> {
              run.levelProperty().set(b.number());
              charts.showLevel(b.number());
              // A check's result is about the level it checked, a failed start about its run.
              dropCheck();
              containers.dismissFailedStart();
            });
    containers
        .selectedProperty()
        .addListener(
            (o, a, b) -> {
              preferences.containerProperty().set(b == null ? "" : b.id());
              insideOutside.show(b);
              stepLog.show(b);
              mounts.show(b);
              filesystem.show(b);
              // Another container on show: a result about the last one would read as its.
              dropCheck();
            });
    containers.onEachChange(
        added -> {},
        gone -> {
          if (gone == checked) {
            dropCheck();
          }
          // A removed container is never shown again: its tick would only be kept for ever.
          compare.ticked().remove(gone.id());
        });
    // Selecting a mount(...) step selects the mount it made; a view can point at a step or mount.
    stepLog
        .selectedProperty()
        .addListener(
            (o, a, b) -> {
              if (b != null && "mount".equals(b.call())) {
                mounts.selectByStep(b.seq());
              }
            });
    navigator.onSelect(containers::select);
    navigator.onFocusStep(stepLog::select);
    navigator.onFocusMount(id -> mounts.focusMount(id));
    navigator.onFocusMountPoint(p -> mounts.focusMountPoint(p));
    // The step log and the glass house focus the same step through the navigator.
    stepLog
        .selectedProperty()
        .addListener(
            (o, a, e) -> {
              if (e != null) {
                navigator.highlightStep(stepLog.containerId(), e.seq());
              }
            });
    navigator
        .focusedStepProperty()
        .addListener(
            (o, a, f) -> {
              if (f != null && f.container().equals(stepLog.containerId())) {
                stepLog.select(f.seq());
              }
            });
    // A failed start is no container, but its steps (and the failing one) are the lesson.
    containers
        .failedStartProperty()
        .addListener(
            (o, a, b) -> {
              if (b != null) {
                stepLog.show(b);
              } else if (a != null && a.id().equals(stepLog.containerId())) {
                // Put away (another level, another container): its steps go with it.
                stepLog.show(containers.selected());
              }
            });
  }

  public LabService lab() {
    return lab;
  }

  /** Theme, presenter mode, text size, window, and what closing does to the containers. */
  public Preferences preferences() {
    return preferences;
  }

  public ConnectionViewModel connection() {
    return connection;
  }

  public LevelsViewModel levels() {
    return levels;
  }

  public ContainersViewModel containers() {
    return containers;
  }

  public RunViewModel run() {
    return run;
  }

  public InsideOutsideViewModel insideOutside() {
    return insideOutside;
  }

  public StepLogViewModel stepLog() {
    return stepLog;
  }

  /** The live cgroup numbers of every followed container (charts and gauges read them). */
  public CgroupTelemetry cgroups() {
    return cgroups;
  }

  public CgroupChartsViewModel charts() {
    return charts;
  }

  /** How views point at each other (a step, a mount, a tab). */
  public Navigator navigator() {
    return navigator;
  }

  public MountsViewModel mounts() {
    return mounts;
  }

  public FilesystemViewModel filesystem() {
    return filesystem;
  }

  /** The glass house: the selected container's anatomy, live. */
  public GlassHouseViewModel glassHouse() {
    return glassHouse;
  }

  /** The outcome of the last check, in words. */
  public ReadOnlyStringProperty checkResultProperty() {
    return checkResult;
  }

  /**
   * Checks the selected level against the student's own containers of this level: the selected one
   * and the others run at this level (a Try it starts one of its own, which has often ended by the
   * time the student presses Check), the running ones first. The facts are read from the kernel
   * through the helper; the level passes when one container holds them all, and that one is
   * reported. Else the result is the first running one's (the selected one when it runs), or, when
   * none runs, one that ended, with what to do: run the level first. A green check marks the level
   * done. Completes with whether it passed.
   */
  public CompletableFuture<Boolean> check() {
    Level level = levels.selected();
    long serial = ++checkSerial;
    watch(null);
    levels.clearOutcome();
    List<ContainerItem> candidates = candidatesFor(level.number());
    if (candidates.isEmpty()) {
      show(
          serial,
          CheckOutcome.nothingToCheck(
              level.number(),
              "there is no container of level "
                  + level.code()
                  + " yet: Run the level first (the Run button), then check again"),
          null);
      return CompletableFuture.completedFuture(false);
    }
    checkResult.set(
        "Checking level "
            + level.code()
            + (candidates.size() == 1
                ? " on container " + candidates.get(0).shortId()
                : " on its " + candidates.size() + " containers")
            + "…");
    return checkEach(level, candidates, 0, null)
        .handleAsync(
            (c, t) -> {
              if (t != null) {
                if (serial == checkSerial) {
                  checkResult.set("Check could not run: " + LabException.describe(t));
                }
                return false;
              }
              if (c.outcome().passed()) {
                levels.markPassed(level.number());
              }
              show(serial, c.outcome(), c.item());
              return c.outcome().passed();
            },
            ui);
  }

  /** One container checked: the outcome and whether it ran when it was read. */
  private record Checked(ContainerItem item, boolean live, CheckOutcome outcome) {}

  /**
   * Checks {@code items} from the {@code i}th on, in order, until one passes; else completes with
   * the first one's failure ({@code first}, the running ones come first). On the UI executor.
   */
  private CompletableFuture<Checked> checkEach(
      Level level, List<ContainerItem> items, int i, Checked first) {
    ContainerItem item = items.get(i);
    boolean live = item.state().live();
    return EvidenceReader.read(
            lab,
            item.id(),
            item.spec(),
            live,
            item.state() == ContainerState.OOM_KILLED,
            item.exitCode(),
            List.copyOf(item.steps()))
        .thenComposeAsync(
            e -> {
              Checked c = new Checked(item, live, level.check().apply(level.number(), e));
              Checked report = first == null ? c : first;
              if (c.outcome().passed() || i + 1 == items.size()) {
                return CompletableFuture.completedFuture(c.outcome().passed() ? c : report);
              }
              return checkEach(level, items, i + 1, report);
            },
            ui);
  }

  /**
   * The containers a check of {@code level} looks at, in order: the running ones (the selected one
   * first, then the newest), then those that ended (the selected one first, then the newest) — a
   * level-09 OOM kill is read from a container that ended. The student's runs only (not a check's
   * own container), at most {@link #MOST_CHECKED}.
   */
  List<ContainerItem> candidatesFor(int level) {
    List<ContainerItem> mine = new java.util.ArrayList<>();
    ContainerItem sel = containers.selected();
    if (ofLevel(sel, level)) {
      mine.add(sel);
    }
    for (ContainerItem i : containers.containers()) {
      if (i != sel && ofLevel(i, level)) {
        mine.add(i);
      }
    }
    // Stable: the selected one and newest-first stay in that order within each group.
    mine.sort(java.util.Comparator.comparing(i -> !i.state().live()));
    return mine.size() > MOST_CHECKED ? List.copyOf(mine.subList(0, MOST_CHECKED)) : mine;
  }

  /** How many containers one check reads at most (each costs the helper four reads). */
  static final int MOST_CHECKED = 6;

  // A free-play container found by ps (one an earlier window started) has no level: never this
  // one's. Unboxed, its null level threw on the FX thread and Check did nothing (issue #14's walk,
  // after a restart with level 02's free-play Try it still running).
  private static boolean ofLevel(ContainerItem i, int level) {
    return i != null
        && i.spec() != null
        && Integer.valueOf(level).equals(i.spec().level())
        && !i.isCheck();
  }

  /**
   * What closing the window does to the containers: by default nothing — they keep running in the
   * helper, and the next start re-attaches to them (a presenter restarting the app keeps the demo);
   * with {@code removeAll} (the classroom preference) every container the app lists is removed.
   * Call on the UI thread; completes once the helper has answered every removal.
   */
  public CompletableFuture<Void> close(boolean removeAll) {
    if (!removeAll) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<?>[] removals =
        List.copyOf(containers.containers()).stream()
            .map(i -> lab.remove(i.id(), true).exceptionally(t -> null))
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(removals);
  }

  /**
   * Sets the run panel to an experiment of a guide (its level, its steps in free play, its command
   * and the fields its lesson needs; the student's other fields stay), runs it — twice for a
   * side-by-side experiment, the second with its own CPU shares — and brings the view that shows
   * its effect to the front. Completes with the containers started.
   */
  public CompletableFuture<List<ContainerItem>> tryIt(Experiments.TryIt t) {
    // The panel first: it compares the student's fields with the experiment's before the level
    // moves (selecting the level then finds the panel there already).
    Experiments.apply(t, run);
    levels.select(t.level());
    if (t.view() != null) {
      navigator.show(t.view());
    }
    if (t.printsTheLesson()) {
      navigator.showOutput();
    }
    List<ContainerItem> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    RunSpec firstSpec;
    RunSpec secondSpec;
    try {
      // Both specs now, from the panel as the experiment set it: the second starts only once the
      // first has, and a level the student chose meanwhile (a key in the levels list) must not
      // make it a container of that level.
      firstSpec = run.spec();
      secondSpec = t.copies() < 2 ? null : secondSpec(t, firstSpec);
    } catch (IllegalArgumentException e) {
      return run.run().thenApply(i -> List.of());
    }
    CompletableFuture<ContainerItem> first = run.run(firstSpec).thenApply(add(started));
    if (secondSpec == null) {
      return first.thenApply(i -> List.copyOf(started));
    }
    return first
        .thenComposeAsync(i -> run.run(secondSpec).thenApply(add(started)), ui)
        .thenApplyAsync(
            i -> {
              if (t.view() == Navigator.View.CHARTS) {
                // Side by side on the charts (level 08's contention): just these two, CPU, with
                // the measured ratio next to their weights'.
                charts.focus(started.stream().map(ContainerItem::id).toList(), Resource.CPU);
              }
              return List.copyOf(started);
            },
            ui);
  }

  /**
   * The spec of a side-by-side experiment's second container: the first's, with the experiment's
   * own CPU shares when it has them. The shares go into that spec only: the panel keeps showing the
   * experiment's value (left at the second's, the next Run, or a Check's comparison, silently used
   * 256).
   */
  private RunSpec secondSpec(Experiments.TryIt t, RunSpec first) {
    if (t.secondShares() == null) {
      return first;
    }
    String shares = run.cpuSharesProperty().get();
    run.cpuSharesProperty().set(t.secondShares());
    try {
      return run.spec();
    } finally {
      run.cpuSharesProperty().set(shares);
    }
  }

  /**
   * Runs the experiment {@code id} of a guide as its Try it does (the {@code --try=} launch
   * option).
   */
  public CompletableFuture<List<ContainerItem>> tryIt(String id) {
    Experiments.TryIt t = Experiments.ALL.get(id);
    if (t == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no experiment " + id + " in the guides"));
    }
    return tryIt(t);
  }

  private static java.util.function.Function<ContainerItem, ContainerItem> add(
      List<ContainerItem> to) {
    return i -> {
      to.add(i);
      return i;
    };
  }

  /** The guides' experiments, wired to {@link #tryIt}. */
  public Experiments experiments() {
    return experiments;
  }

  /**
   * Shows a check's outcome, unless what it looked at changed while it ran (another level or
   * container on show, a newer check): then only the level's mark says it passed.
   */
  private void show(long serial, CheckOutcome outcome, ContainerItem about) {
    if (serial != checkSerial) {
      return;
    }
    levels.record(outcome);
    checkResult.set(outcome.text());
    watch(about);
  }

  /**
   * Drops the check result on show: the level or the container on show changed, or the container it
   * is about ended or went. A result stays only while it still describes what is on screen.
   */
  private void dropCheck() {
    checkSerial++;
    watch(null);
    levels.clearOutcome();
    checkResult.set("");
  }

  private void watch(ContainerItem item) {
    if (checked != null) {
      checked.stateProperty().removeListener(checkedEnded);
    }
    checked = item;
    if (item != null) {
      item.stateProperty().addListener(checkedEnded);
    }
  }
}
