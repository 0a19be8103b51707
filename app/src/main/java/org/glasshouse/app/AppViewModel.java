package org.glasshouse.app;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainerState;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.containers.RunViewModel;
import org.glasshouse.app.core.ConnectionViewModel;
import org.glasshouse.app.core.HelperStarter;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.levels.Level;
import org.glasshouse.app.levels.LevelsViewModel;
import org.glasshouse.app.levels.ProgressStore;
import org.glasshouse.app.namespaces.InsideOutsideViewModel;
import org.glasshouse.app.timeline.StepLogViewModel;
import org.glasshouse.protocol.RunSpec;

/**
 * Wires the feature view-models together: the selected level drives the run panel, the selected
 * container drives the inside-vs-outside view and the step log, and a level's check marks it done.
 */
public final class AppViewModel {
  private final LabService lab;
  private final ConnectionViewModel connection;
  private final LevelsViewModel levels;
  private final ContainersViewModel containers;
  private final RunViewModel run;
  private final InsideOutsideViewModel insideOutside;
  private final StepLogViewModel stepLog = new StepLogViewModel();
  private final StringProperty checkResult = new SimpleStringProperty("");

  public AppViewModel(
      LabService lab, Executor ui, Executor io, ProgressStore progress, HelperStarter starter) {
    this.lab = lab;
    this.connection = new ConnectionViewModel(lab, ui, io, starter);
    this.levels = new LevelsViewModel(ui, io, progress);
    this.containers = new ContainersViewModel(lab, ui);
    this.run = new RunViewModel(containers);
    this.insideOutside = new InsideOutsideViewModel(lab, ui);
    run.levelProperty().set(levels.selected().number());
    levels
        .selectedProperty()
        .addListener(
            (o, a, b) -> {
              run.levelProperty().set(b.number());
              checkResult.set("");
            });
    containers
        .selectedProperty()
        .addListener(
            (o, a, b) -> {
              insideOutside.show(b);
              stepLog.show(b);
            });
  }

  public LabService lab() {
    return lab;
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

  private static String output(ContainerItem item) {
    String out = item.outputText().strip();
    if (out.isEmpty()) {
      return "";
    }
    return ", output '" + (out.length() > 120 ? out.substring(0, 120) + "…" : out) + "'";
  }
}
