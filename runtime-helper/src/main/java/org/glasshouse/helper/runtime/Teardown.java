package org.glasshouse.helper.runtime;

/**
 * What ending a container's processes takes, whether its start failed ({@link LaunchGate}) or it is
 * removed ({@link LinuxContainerRuntime#remove}): its init killed and waited for, its output pumps
 * stopped.
 */
final class Teardown {
  private Teardown() {}

  /** Kills the container's init (and with it its command) and waits until it is gone. */
  static void killAndWait(LinuxContainer c) {
    InitProcess p = c.process();
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      p.onExit().handle((s, e) -> s).join();
    }
  }

  /**
   * Stops a container's output pumps (its output is no longer wanted: it is being removed or its
   * start failed), so their pipe ends are closed now even when a background process holds the other
   * end, or a slow client made the pump wait.
   */
  static void stopOutput(LinuxContainer c) {
    Waiter w = c.waiter();
    if (w != null) {
      try {
        w.stopPumps();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
