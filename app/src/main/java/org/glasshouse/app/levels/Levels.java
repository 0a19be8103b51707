package org.glasshouse.app.levels;

import java.util.List;

/**
 * The fourteen levels, in order, with their checks ({@link LevelChecks}). Their numbers are the
 * helper's ({@link org.glasshouse.protocol.Feature#upTo}): a test holds the two together.
 */
public final class Levels {
  private Levels() {}

  /** All levels, 00 to 13. */
  public static final List<Level> ALL =
      List.of(
          new Level(0, "fork-exec", "fork & exec", LevelChecks.forkExec()),
          new Level(1, "chroot", "chroot", LevelChecks.chroot()),
          new Level(2, "mount-ns", "mount namespace", LevelChecks.mountNs()),
          new Level(3, "pivot-root", "pivot_root", LevelChecks.pivotRoot()),
          new Level(4, "overlay", "overlay", LevelChecks.overlay()),
          new Level(5, "uts", "UTS namespace", LevelChecks.uts()),
          new Level(6, "pid-ns", "PID namespace", LevelChecks.pidNs()),
          new Level(7, "net-ns", "network namespace", LevelChecks.netNs()),
          new Level(8, "cgroup-cpu", "CPU cgroup", LevelChecks.cpu()),
          new Level(9, "cgroup-memory", "memory cgroup", LevelChecks.memory()),
          new Level(10, "setuid", "setuid", LevelChecks.setuid()),
          new Level(11, "capabilities", "capabilities", LevelChecks.capabilities()),
          new Level(12, "cgroup-pids", "pids cgroup", LevelChecks.pids()),
          new Level(13, "seccomp", "seccomp", LevelChecks.seccomp()));

  /** The level with that number. */
  public static Level get(int number) {
    return ALL.get(number);
  }
}
