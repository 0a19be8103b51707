package org.glasshouse.app.core;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import javafx.application.Platform;

/**
 * The one way work reaches the FX thread. Unlike a bare {@code Platform.runLater}, a task that
 * throws is logged with its context and handed to the thread's uncaught-exception handler instead
 * of vanishing, and a call already on the FX thread runs at once.
 */
public final class Fx {
  private static final System.Logger LOG = System.getLogger(Fx.class.getName());

  /** The FX thread as an {@link Executor}, for view-models. */
  public static final Executor EXECUTOR = Fx::runLater;

  /**
   * The FX thread as an {@link Executor} that always queues, even when called on the FX thread: for
   * work that coalesces (one rebuild for many changes made by one task), which must run after the
   * task that asked for it.
   */
  public static final Executor LATER = task -> Platform.runLater(guarded(task));

  private Fx() {}

  /** Runs {@code task} on the FX thread. */
  public static void runLater(Runnable task) {
    if (Platform.isFxApplicationThread()) {
      guarded(task).run();
    } else {
      Platform.runLater(guarded(task));
    }
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.log(Level.ERROR, "a task on the FX thread failed: " + e, e);
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      }
    };
  }
}
