package org.glasshouse.helper.cgroups;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A cgroup v2 subtree that a service manager delegated to the helper: systemd's {@code
 * Delegate=yes} on {@code glasshouse.service} hands it {@code /system.slice/glasshouse.service} and
 * promises not to touch what is below. The helper's containers then belong there, not at the root,
 * where systemd owns {@code cgroup.subtree_control} and may take a controller back on any
 * daemon-reload.
 *
 * <p>v2 lets a cgroup enable controllers for its children only while it holds no process of its
 * own, so the helper first moves itself into a leaf, {@code <delegated>/helper}, and the driver
 * makes {@code <delegated>/glasshouse/<id>} beside it. Everything the helper spawns afterwards
 * (init stages, exec joiners) is born in the leaf and moved into its container's cgroup from there;
 * when the service stops, systemd kills and removes the whole subtree.
 */
public final class CgroupDelegation {

  /** The leaf the helper moves itself into, beside the containers' parent. */
  public static final String LEAF = "helper";

  private CgroupDelegation() {}

  /**
   * The cgroup a process is in on the unified hierarchy, from its {@code /proc/PID/cgroup} text:
   * the path of the {@code 0::} line without its leading slash ({@code ""} for the root).
   *
   * @throws IOException when the text has no {@code 0::} line (no cgroup v2 at all)
   */
  public static String own(String procCgroup) throws IOException {
    for (String line : procCgroup.split("\n")) {
      if (line.startsWith("0::")) {
        String p = line.substring(3).trim();
        return p.startsWith("/") ? p.substring(1) : p;
      }
    }
    throw new IOException("no cgroup v2 line (0::) in /proc/self/cgroup: " + procCgroup.trim());
  }

  /**
   * Moves process {@code pid} (all its threads) into {@code <delegated>/helper}, made if missing,
   * and returns {@code delegated}: the base under which the driver makes the containers' parent.
   *
   * @param unified where cgroup2 is mounted
   * @param delegated the process's own cgroup, relative to {@code unified} ({@link #own})
   * @throws IOException naming what failed; an empty {@code delegated} (the root) is refused: then
   *     nothing was delegated and the containers go under the root as on a machine without systemd
   */
  public static String enter(CgroupFs fs, Path unified, String delegated, long pid)
      throws IOException {
    if (delegated.isEmpty()) {
      throw new IOException(
          "the helper runs in the root cgroup: there is no delegated cgroup to put containers in"
              + " (run it without --delegated-cgroup)");
    }
    Path dir = under(unified, delegated);
    Path leaf = dir.resolve(LEAF);
    if (!fs.exists(leaf)) {
      fs.mkdir(leaf);
    }
    try {
      fs.write(leaf.resolve("cgroup.procs"), Long.toString(pid));
    } catch (IOException e) {
      throw new IOException(
          "cannot move the helper into " + leaf + " (is " + dir + " delegated, Delegate=yes?)", e);
    }
    return delegated;
  }

  /**
   * {@code unified/relative}, each component checked: no empty, {@code .} or {@code ..} component
   * may take the path elsewhere.
   */
  static Path under(Path unified, String relative) {
    if (relative.isEmpty()) {
      return unified;
    }
    Path p = unified;
    for (String c : relative.split("/", -1)) {
      if (c.isEmpty() || c.equals(".") || c.equals("..")) {
        throw new IllegalArgumentException("bad cgroup path '" + relative + "'");
      }
      p = p.resolve(c);
    }
    return p;
  }
}
