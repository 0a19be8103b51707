package org.glasshouse.app.containers;

import org.glasshouse.protocol.Feature;

/**
 * What a plain Run does at a level before the student changes a field: the one place the run
 * panel's defaults come from. Each field is what the level's guide assumes; empty means none (no
 * limit, or root).
 *
 * <p>The limits are cumulative, like the steps: from level 08 on CPU shares 1024, from 09 a 64 MiB
 * memory limit, from 12 pids max 32. The user is not: level 10 is about leaving root, so its Run is
 * 1000:1000; levels 11–13 are about what root itself can no longer do (11: "`hostname x` fails …
 * although the uid is 0"; 13: "root holds `CAP_SYS_ADMIN` again"), so their Run is root again — as
 * uid 1000 every one of those lessons would fail for the wrong reason.
 *
 * @param cpuShares the CPU shares field
 * @param memoryMib the memory field, MiB
 * @param pidsMax the pids max field
 * @param user the User field, uid:gid
 */
public record LevelDefaults(String cpuShares, String memoryMib, String pidsMax, String user) {

  /** The user level 10 switches to. */
  public static final String UNPRIVILEGED = "1000:1000";

  /** Level {@code n}'s defaults. */
  public static LevelDefaults of(int n) {
    return new LevelDefaults(
        n >= Feature.CGROUP_CPU.level() ? "1024" : "",
        n >= Feature.CGROUP_MEMORY.level() ? "64" : "",
        n >= Feature.CGROUP_PIDS.level() ? "32" : "",
        n == Feature.SETUID.level() ? UNPRIVILEGED : "");
  }
}
