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
import org.glasshouse.protocol.StepEntry;

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
    this.containers = new ContainersViewModel(lab, ui, () -> preferences.containerProperty().get());
    this.run = new RunViewModel(containers);
    this.insideOutside = new InsideOutsideViewModel(lab, ui);
    this.mounts = new MountsViewModel(lab, ui, id -> containers.find(id).orElse(null));
    this.filesystem = new FilesystemViewModel(lab, ui);
    this.compare = new CompareSelection(containers);
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
    run.levelProperty().set(levels.selected().number());
    charts.showLevel(levels.selected().number());
    levels
        .selectedProperty()
        .addListener(
            (o, a, b) -> {
              run.levelProperty().set(b.number());
              charts.showLevel(b.number());
              CheckOutcome last = levels.outcomeProperty().get();
              checkResult.set(last == null ? "" : last.text());
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
   * Checks the selected level against the student's own container: the selected one when it was run
   * at this level, else the latest run at this level. The facts are read from the kernel through
   * the helper while it runs; a green check marks the level done. Completes with whether it passed.
   */
  public CompletableFuture<Boolean> check() {
    Level level = levels.selected();
    ContainerItem item = containerFor(level.number());
    if (item == null) {
      CheckOutcome none =
          CheckOutcome.nothingToCheck(
              level.number(),
              "there is no container of level "
                  + level.code()
                  + " to check: run one (the Run button) and check again");
      show(none);
      return CompletableFuture.completedFuture(false);
    }
    checkResult.set("Checking level " + level.code() + " on container " + item.shortId() + "…");
    List<StepEntry> steps = List.copyOf(item.steps());
    return EvidenceReader.read(
            lab,
            item.id(),
            item.spec(),
            item.state().live(),
            item.state() == ContainerState.OOM_KILLED,
            item.exitCode(),
            steps)
        .thenApplyAsync(e -> level.check().apply(level.number(), e), ui)
        .handleAsync(
            (outcome, t) -> {
              if (t != null) {
                checkResult.set("Check could not run: " + LabException.describe(t));
                return false;
              }
              show(outcome);
              if (outcome.passed()) {
                levels.markPassed(level.number());
              }
              return outcome.passed();
            },
            ui);
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
    List<ContainerItem> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<ContainerItem> first = run.run().thenApply(add(started));
    if (t.copies() < 2) {
      return first.thenApply(i -> List.copyOf(started));
    }
    return first
        .thenComposeAsync(
            i -> {
              if (t.secondShares() == null) {
                return run.run().thenApply(add(started));
              }
              // The second container's shares go into its spec only: Run reads the panel at once,
              // and the panel then shows the experiment's own value again. Left at the second's,
              // the next Run (or a Check's comparison) silently used 256.
              String shares = run.cpuSharesProperty().get();
              run.cpuSharesProperty().set(t.secondShares());
              CompletableFuture<ContainerItem> second = run.run();
              run.cpuSharesProperty().set(shares);
              return second.thenApply(add(started));
            },
            ui)
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

  /** The container a check of {@code level} looks at: the selected one, else the latest. */
  ContainerItem containerFor(int level) {
    ContainerItem sel = containers.selected();
    if (sel != null && sel.spec() != null && sel.spec().level() == level && !sel.isCheck()) {
      return sel;
    }
    for (ContainerItem i : containers.containers()) {
      if (i.spec() != null && i.spec().level() == level && !i.isCheck()) {
        return i;
      }
    }
    return null;
  }

  private void show(CheckOutcome outcome) {
    levels.record(outcome);
    checkResult.set(outcome.text());
  }
}
