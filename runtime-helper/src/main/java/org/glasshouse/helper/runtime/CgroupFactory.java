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

  /**
   * The container's tracking cgroup ({@link CgroupDriver#track}), or null when it needs none: with
   * a PID namespace of its own, removal kills its PID 1 and the kernel then kills every other
   * process of that namespace; with a cgroup of its own on the unified hierarchy ({@code own} on a
   * v2 host), {@code cgroup.kill} ends its whole tree. Without either (levels 00–05) nothing else
   * ties a process the command left running to the container. On a host without cgroup2 a step says
   * that it runs untracked.
   */
  ContainerCgroup track(LinuxContainer c, ContainerCgroup own) throws StepException {
    if (c.features().contains(Feature.PID_NS) || (own != null && driver.unified())) {
      return null;
    }
    ContainerCgroup t = driver.track(c.id(), c.log());
    if (t == null) {
      c.log()
          .run(
              "track",
              "helper",
              "mkdir",
              "a tracking cgroup for " + c.id(),
              null,
              () ->
                  "skipped: no cgroup2 is mounted on this host, so a process the command leaves"
                      + " running outlives the container's removal");
    }
    return t;
  }
}
