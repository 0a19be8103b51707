package org.glasshouse.helper.runtime;

import java.util.Set;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.cgroups.ContainerCgroup;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;

/** Creates a container's cgroups with its limits through the host's cgroup driver (v1 or v2). */
final class CgroupFactory {

  private final CgroupDriver driver;

  CgroupFactory(CgroupDriver driver) {
    this.driver = driver;
  }

  CgroupDriver driver() {
    return driver;
  }

  /** Whether any cgroup feature is on. */
  static boolean wanted(Set<Feature> f) {
    return f.contains(Feature.CGROUP_CPU)
        || f.contains(Feature.CGROUP_DEVICES)
        || f.contains(Feature.CGROUP_MEMORY)
        || f.contains(Feature.CGROUP_PIDS);
  }

  /** The container's cgroup, or null when no cgroup feature is on. */
  ContainerCgroup create(LinuxContainer c) throws StepException {
    if (!wanted(c.features())) {
      return null;
    }
    Limits limits = c.spec().limits() == null ? Limits.NONE : c.spec().limits();
    return driver.create(c.id(), limits, c.features(), c.log());
  }
}
