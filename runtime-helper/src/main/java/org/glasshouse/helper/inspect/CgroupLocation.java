package org.glasshouse.helper.inspect;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.cgroups.CgroupMounts;
import org.glasshouse.helper.mountinfo.MountEntry;

/**
 * Where a process's cgroups are on the host: for each v1 controller the directory in its hierarchy,
 * and the directory in the unified (v2) hierarchy.
 *
 * @param v1 controller ({@code cpu}, {@code memory} …) → directory; empty on a pure v2 host
 * @param v2 the unified hierarchy's directory, or null when none is mounted
 * @param v2Path the path of {@link #v2} relative to the unified root ({@code /} for the root)
 */
public record CgroupLocation(Map<String, Path> v1, Path v2, String v2Path) {

  /** Compact canonical constructor: keeps a copy. */
  public CgroupLocation {
    v1 = Map.copyOf(v1);
  }

  /**
   * Resolves a process's membership against the mounts of the cgroup hierarchies. A v1 line {@code
   * 1:cpu,cpuacct:/g/x} belongs to the cgroup mount whose super options name exactly those
   * controllers; the directory is that mount point plus the path below the mount's own root.
   *
   * @param membership the process's {@code /proc/PID/cgroup}
   * @param mounts the mount table of the reader (paths are opened from the reader's root)
   */
  public static CgroupLocation resolve(
      HostFs fs, List<CgroupMembership> membership, List<MountEntry> mounts) {
    return resolve(fs, membership, CgroupMounts.of(mounts));
  }

  /** As {@link #resolve(HostFs, List, List)}, with the table's cgroup mounts already picked. */
  public static CgroupLocation resolve(
      HostFs fs, List<CgroupMembership> membership, CgroupMounts mounts) {
    Map<String, Path> v1 = new LinkedHashMap<>();
    Path v2 = null;
    String v2Path = null;
    for (CgroupMembership m : membership) {
      if (m.unified()) {
        for (MountEntry e : mounts.v2()) {
          Path dir = below(fs, e, m.path());
          if (dir != null) {
            v2 = dir;
            v2Path = m.path();
            break;
          }
        }
        continue;
      }
      for (MountEntry e : mounts.v1With(m.controllers())) {
        Path dir = below(fs, e, m.path());
        if (dir != null) {
          for (String c : m.controllers()) {
            v1.putIfAbsent(c, dir);
          }
          break;
        }
      }
    }
    return new CgroupLocation(v1, v2, v2Path);
  }

  /** The cgroup's directory under a hierarchy mount, or null when the mount cannot see it. */
  private static Path below(HostFs fs, MountEntry mount, String cgroupPath) {
    String root = mount.root();
    String rel;
    if (root.equals("/")) {
      rel = cgroupPath;
    } else if (cgroupPath.equals(root)) {
      rel = "/";
    } else if (cgroupPath.startsWith(root + "/")) {
      rel = cgroupPath.substring(root.length());
    } else {
      return null;
    }
    // A cgroup path comes from the kernel, but never let a ".." in it leave the hierarchy.
    if (rel.contains("/../") || rel.endsWith("/..")) {
      return null;
    }
    Path base = fs.host(mount.mountPoint());
    return rel.equals("/") ? base : base.resolve(rel.substring(1));
  }
}
