package org.glasshouse.app;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.glasshouse.app.cgroups.CgroupChartsViewModel;
import org.glasshouse.app.cgroups.CgroupTelemetry;
import org.glasshouse.app.cgroups.ContentionExperiment;
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
  private final Preferences preferences;
  private final ConnectionViewModel connection;
  private final LevelsViewModel levels;
  private final ContainersViewModel containers;
  private final RunViewModel run;
  private final InsideOutsideViewModel insideOutside;
  private final StepLogViewModel stepLog = new StepLogViewModel();
  private final Navigator navigator = new Navigator();
  private final MountsViewModel mounts;
  private final FilesystemViewModel filesystem;
  private final CgroupTelemetry cgroups = new CgroupTelemetry(System::currentTimeMillis);
  private final CgroupChartsViewModel charts;
  private final ContentionExperiment contention;
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
    this.preferences = preferences;
    this.connection = new ConnectionViewModel(lab, ui, io, starter);
    this.levels = new LevelsViewModel(ui, io, progress);
    this.containers = new ContainersViewModel(lab, ui);
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
    this.charts =
        new CgroupChartsViewModel(
            cgroups,
            new TelemetryFeed(lab, ui, cgroups),
            containers.containers(),
            containers.selectedProperty());
    this.contention = new ContentionExperiment(containers, charts, navigator);
    run.levelProperty().set(levels.selected().number());
    charts.showLevel(levels.selected().number());
    levels
        .selectedProperty()
        .addListener(
            (o, a, b) -> {
              run.levelProperty().set(b.number());
              charts.showLevel(b.number());
              checkResult.set("");
            });
    containers
        .selectedProperty()
        .addListener(
            (o, a, b) -> {
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

  /** Level 08's two-container experiment. */
  public ContentionExperiment contention() {
    return contention;
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
   * Runs the selected level's check in a fresh container with exactly that level's steps; a green
   * check marks the level done. Completes with whether it passed.
   */
  public CompletableFuture<Boolean> check() {
    Level level = levels.selected();
    Level.Check c = level.check();
    RunSpec spec =
        new RunSpec(
            "busybox",
            c.argv(),
            Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin"),
            null,
            false,
            null,
            null,
            level.number(),
            null,
            c.limits(),
            c.user(),
            null,
            null,
            false,
            null,
            null);
    checkResult.set("Checking level " + level.code() + ": " + c.description() + "…");
    boolean[] insideOk = {true};
    return run.runCheck(spec)
        .thenCompose(
            item -> {
              if (c.inside() == null || !item.state().live()) {
                insideOk[0] = c.inside() == null;
                return item.exitedFuture();
              }
              // Ask the kernel, through the helper, while the container still runs.
              return lab.inspect(item.id(), false)
                  .handle(
                      (inspection, t) -> {
                        insideOk[0] = t == null && c.inside().test(inspection);
                        return item;
                      })
                  .thenCompose(ContainerItem::exitedFuture);
            })
        .handle(
            (item, t) -> {
              if (t != null) {
                checkResult.set("Check could not run: " + LabException.describe(t));
                return false;
              }
              boolean ok =
                  item.state() != ContainerState.FAILED
                      && item.state() != ContainerState.LOST
                      && insideOk[0]
                      && c.expectation().holds(item.id(), item.exitCode(), item.outputText());
              if (ok) {
                levels.markPassed(level.number());
                checkResult.set("Level " + level.code() + " done: " + c.description() + ".");
              } else {
                checkResult.set(
                    "Level "
                        + level.code()
                        + " check failed: expected "
                        + c.description()
                        + "; got "
                        + item.summaryProperty().get()
                        + output(item));
              }
              return ok;
            });
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

  private static String output(ContainerItem item) {
    String out = item.outputText().strip();
    if (out.isEmpty()) {
      return "";
    }
    return ", output '" + (out.length() > 120 ? out.substring(0, 120) + "…" : out) + "'";
  }
}
