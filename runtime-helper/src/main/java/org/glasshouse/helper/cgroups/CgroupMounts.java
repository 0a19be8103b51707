package org.glasshouse.helper.cgroups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;

/**
 * The cgroup hierarchies of a mount table: its {@code cgroup} (v1) and {@code cgroup2} mounts, in
 * the table's order. The one place that picks them out of a mountinfo (issue 18): the runtime's
 * {@link CgroupLayout}, inspection's {@code CgroupLocation} and {@code TelemetrySampler}, and the
 * inspection benchmark's groups all ask here. Immutable; each v1 mount's controllers are split out
 * of its super options once.
 */
public final class CgroupMounts {

  private final List<MountEntry> v1;
  private final List<MountEntry> v2;
  private final List<Set<String>> v1Controllers;

  /**
   * @param v1 the {@code cgroup} mounts; a hierarchy's controllers are its super options
   * @param v2 the {@code cgroup2} mounts
   */
  public CgroupMounts(List<MountEntry> v1, List<MountEntry> v2) {
    this.v1 = List.copyOf(v1);
    this.v2 = List.copyOf(v2);
    List<Set<String>> c = new ArrayList<>();
    for (MountEntry e : this.v1) {
      c.add(Set.copyOf(controllers(e)));
    }
    this.v1Controllers = List.copyOf(c);
  }

  /** The {@code cgroup} (v1) mounts, in table order. */
  public List<MountEntry> v1() {
    return v1;
  }

  /** The {@code cgroup2} mounts, in table order. */
  public List<MountEntry> v2() {
    return v2;
  }

  /** The cgroup mounts of {@code mounts}. */
  public static CgroupMounts of(List<MountEntry> mounts) {
    List<MountEntry> v1 = new ArrayList<>();
    List<MountEntry> v2 = new ArrayList<>();
    for (MountEntry e : mounts) {
      if (e.fsType().equals("cgroup")) {
        v1.add(e);
      } else if (e.fsType().equals("cgroup2")) {
        v2.add(e);
      }
    }
    return new CgroupMounts(v1, v2);
  }

  /** The cgroup mounts of a mountinfo text (malformed lines skipped). */
  public static CgroupMounts parse(String mountinfo) {
    return of(MountInfoParser.parseTotal(mountinfo).entries());
  }

  /** The v1 mounts whose hierarchy holds every one of {@code controllers}, in table order. */
  public List<MountEntry> v1With(Collection<String> controllers) {
    List<MountEntry> out = new ArrayList<>(1);
    for (int i = 0; i < v1.size(); i++) {
      if (v1Controllers.get(i).containsAll(controllers)) {
        out.add(v1.get(i));
      }
    }
    return out;
  }

  /** The controllers a v1 mount's hierarchy holds (its super options; names like rw among them). */
  public static List<String> controllers(MountEntry v1Mount) {
    return List.of(v1Mount.superOptions().split(","));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CgroupMounts m && m.v1.equals(v1) && m.v2.equals(v2);
  }

  @Override
  public int hashCode() {
    return 31 * v1.hashCode() + v2.hashCode();
  }

  @Override
  public String toString() {
    return "CgroupMounts[v1=" + v1 + ", v2=" + v2 + "]";
  }
}
