package org.glasshouse.helper.runtime;

import java.io.IOException;
import org.glasshouse.helper.runtime.StepLog.StepException;
import org.glasshouse.protocol.Feature;

/** Creates a container's cgroups with its limits. */
interface CgroupFactory {

  /** The container's cgroup, or null when no cgroup feature is on. */
  CgroupHandle create(LinuxContainer c) throws StepException, IOException;

  /** The factory for a runtime. */
  static CgroupFactory forConfig(RuntimeConfig config) {
    return c -> {
      boolean any =
          c.features().contains(Feature.CGROUP_CPU)
              || c.features().contains(Feature.CGROUP_MEMORY)
              || c.features().contains(Feature.CGROUP_PIDS);
      if (!any) {
        return null;
      }
      throw new IOException("cgroups are not available in this build yet");
    };
  }
}
