package org.glasshouse;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A bounded poll for the tests: for what the kernel or another process does on its own time and
 * tells nobody about (a spare copy made, a child that has exec'd, a counter that moved). Waits for
 * an event where there is one to wait for; this is for where there is not.
 */
public final class Await {
  private Await() {}

  /**
   * Checks {@code done} every {@code every} until it holds; fails naming {@code what} after {@code
   * max}.
   */
  public static void until(String what, Duration max, Duration every, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + max.toMillis() + " ms for " + what);
      }
      Thread.sleep(every.toMillis());
    }
  }
}
