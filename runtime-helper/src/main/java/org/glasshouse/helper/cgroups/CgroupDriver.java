package org.glasshouse.helper.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;

/**
 * Makes and finds containers' cgroups under one parent ({@code glasshouse} by default). Two
 * implementations, chosen once at helper start by {@link #detect}: {@link CgroupV1Driver} (v1 and
 * hybrid hosts: a dir per controller hierarchy) and {@link CgroupV2Driver} (one dir on the unified
 * hierarchy).
 */
public interface CgroupDriver {

  /** The default parent cgroup. */
  String DEFAULT_PARENT = "glasshouse";

  /**
   * The host's layout as reported to clients: {@code v1}, {@code hybrid}, {@code v2}, {@code none}.
   */
  String mode();

  /** The parent's dirs (one per hierarchy in use, or one). */
  List<Path> parentPaths();

  /**
   * Creates the container's cgroup(s) for the enabled cgroup features and writes the limits, each
   * mkdir and write one {@code helper} step in {@code log}; limits of a controller whose feature is
   * off are not written. On failure what was made is removed again before the exception leaves.
   *
   * @throws IllegalArgumentException if the limits are invalid ({@link CgroupLimits#validate})
   * @throws StepLog.StepException naming the failing mkdir or write
   */
  ContainerCgroup create(String id, Limits limits, Set<Feature> features, StepLog log)
      throws StepLog.StepException;

  /** Container ids with a cgroup under the parent in any hierarchy (what a dead helper left). */
  List<String> containers() throws IOException;

  /** The existing cgroup(s) of a container, for cleanup; rmdirs are logged into {@code log}. */
  ContainerCgroup open(String id, StepLog log);

  /**
   * Removes the parent dirs (helper shutdown, tests): every hierarchy is tried, EBUSY retried
   * briefly; missing is fine.
   *
   * @throws IOException naming each parent that would not go (one still holding a container's
   *     cgroup)
   */
  void removeParent() throws IOException;

  /**
   * Picks the driver for this host by the layout's {@link CgroupLayout#mode} (the one decision): v2
   * on a {@link CgroupLayout.Mode#V2} host, else v1 (v1 and hybrid hosts); with no cgroup fs at all
   * a v1 driver whose every create fails with an explanation.
   */
  static CgroupDriver detect(CgroupLayout layout, String parent) {
    return detect(layout, parent, new CgroupFs());
  }

  /** {@link #detect(CgroupLayout, String)} with another cgroupfs (tests). */
  static CgroupDriver detect(CgroupLayout layout, String parent, CgroupFs fs) {
    return detect(layout, "", parent, fs);
  }

  /**
   * {@link #detect(CgroupLayout, String)} with the containers' parent under {@code base} on a v2
   * host (a delegated cgroup, {@link CgroupDelegation}); v1 hierarchies ignore it.
   */
  static CgroupDriver detect(CgroupLayout layout, String base, String parent, CgroupFs fs) {
    if (layout.mode() == CgroupLayout.Mode.V2) {
      return new CgroupV2Driver(layout, base, parent, fs);
    }
    return new CgroupV1Driver(layout, parent, fs);
  }

  /** Checks a parent or container cgroup name: one path component. */
  static String checkName(String what, String name) {
    if (name == null || !Pattern.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}", name)) {
      throw new IllegalArgumentException("bad cgroup " + what + " name '" + name + "'");
    }
    return name;
  }
}
