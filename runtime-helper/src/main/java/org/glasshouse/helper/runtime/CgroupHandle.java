package org.glasshouse.helper.runtime;

import java.io.IOException;

/**
 * What the runtime needs from a container's cgroup: put the init in it before exec, count OOM
 * kills, and remove it. Implemented over the resources engineer's cgroup drivers.
 */
interface CgroupHandle {

  /** Places {@code pid} in every cgroup of the container (logged as steps). */
  void addProcess(long pid, StepLog log) throws StepLog.StepException;

  /** How many times the OOM killer struck in this cgroup. */
  long oomKills();

  /** Kills whatever is left and removes the cgroup (EBUSY retried). */
  void destroy() throws IOException;
}
