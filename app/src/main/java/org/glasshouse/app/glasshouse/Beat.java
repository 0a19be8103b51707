package org.glasshouse.app.glasshouse;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task later, for the view-model's replay beat and its periodic re-inspection; tests step a
 * fake one by hand.
 */
@FunctionalInterface
public interface Beat {

  /** Runs {@code task} once after {@code delayMs}; the returned handle cancels it. */
  Runnable schedule(long delayMs, Runnable task);

  /** Timing on {@code timer}, the task itself on {@code ui}. */
  static Beat on(ScheduledExecutorService timer, Executor ui) {
    return (delay, task) -> {
      var f = timer.schedule(() -> ui.execute(task), delay, TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    };
  }
}
