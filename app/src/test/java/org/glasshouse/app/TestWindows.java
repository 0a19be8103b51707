package org.glasshouse.app;

import java.nio.file.Path;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.HelperStarter;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.levels.ProgressStore;

/**
 * The window tests' view-model: events on the FX thread, work run in place, progress in {@code
 * progress}, a helper (never started by these tests) on {@code socket}. One place instead of a
 * five-argument constructor copied into every window test.
 */
public final class TestWindows {
  private TestWindows() {}

  /**
   * A view-model over {@code lab}, keeping its progress and its helper socket under {@code dir}.
   */
  public static AppViewModel viewModel(LabService lab, Path dir) {
    return viewModel(lab, dir.resolve("p"), dir.resolve("s.sock"));
  }

  /** A view-model over {@code lab} with its progress store and helper socket where given. */
  public static AppViewModel viewModel(LabService lab, Path progress, Path socket) {
    return new AppViewModel(
        lab, Fx.EXECUTOR, Runnable::run, new ProgressStore(progress), new HelperStarter(socket));
  }
}
