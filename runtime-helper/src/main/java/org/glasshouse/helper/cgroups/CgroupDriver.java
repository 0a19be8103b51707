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

  /**
   * What the name of the tracking cgroups' parent adds to the parent's: {@code glasshouse-tracking}
   * beside {@code glasshouse}.
   */
  String TRACKING_SUFFIX = "-tracking";

  /**
   * Makes the container's tracking cgroup, {@code <parent>-tracking/<id>} on the unified hierarchy
   * (cgroup2), with no controller and no limit: it measures and limits nothing, it only holds every
   * process the container starts, because the kernel puts a child in its parent's cgroup and only
   * root can move it out. Removal then ends them all with {@code cgroup.kill} — a process that went
   * into the background, into a process group or session of its own, or double-forked to PID 1
   * included — as runc does with a container's cgroup. The mkdirs are {@code track} steps.
   *
   * @return the cgroup, or null when this host has no cgroup2 mount to make it on
   * @throws StepLog.StepException naming the mkdir that failed
   */
  ContainerCgroup track(String id, StepLog log) throws StepLog.StepException;

  /**
   * Whether containers' own cgroups are on the unified hierarchy (v2), where removing one ends its
   * whole tree at once ({@code cgroup.kill}): a container with one needs no tracking cgroup.
   */
  boolean unified();

  /**
   * Whether a unified-hierarchy cgroup path ({@code /glasshouse-tracking/<id>}, as {@code
   * /proc/PID/cgroup} names it) is a tracking cgroup ({@link #track}): not a container's own
   * cgroup, whose figures mean something.
   */
  static boolean isTracking(String cgroupPath) {
    if (cgroupPath == null) {
      return false;
    }
    String[] parts = cgroupPath.split("/");
    return parts.length >= 3 && parts[parts.length - 2].endsWith(TRACKING_SUFFIX);
  }

  /**
   * Container ids with a cgroup under the parent in any hierarchy, tracking cgroups included (what
   * a dead helper left).
   */
  List<String> containers() throws IOException;

  /**
   * The existing cgroup(s) of a container, its tracking cgroup included, for cleanup; rmdirs are
   * logged into {@code log}.
   */
  ContainerCgroup open(String id, StepLog log);

  /**
   * Removes the parent dirs, the tracking cgroups' parent included (helper shutdown, tests): every
   * hierarchy is tried, EBUSY retried briefly; missing is fine.
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
