package org.glasshouse.helper.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;

/**
 * Which cgroup hierarchy each controller lives on: what the runtime needs to pick its v1 or v2
 * driver, and what {@code glasshouse doctor} reports.
 *
 * <p>Detected from three kernel files: {@code /proc/self/mountinfo} (every {@code cgroup} and
 * {@code cgroup2} mount; a v1 mount's controllers are in its super options, e.g. {@code
 * rw,cpu,cpuacct}), {@code /proc/cgroups} (which controller names this kernel has and whether they
 * are enabled) and {@code cgroup.controllers} at the root of the cgroup2 mount (the controllers v2
 * owns; a controller bound to a v1 hierarchy never appears there).
 *
 * <p>The mode is decided here and only here, by where the controllers the lab limits ({@link
 * #RESOURCES}: cpu, memory, pids) live: the runtime's driver is picked by it ({@code
 * CgroupDriver.detect}), {@code hello} and {@code glasshouse doctor} report it.
 *
 * <ul>
 *   <li>{@link Mode#V1}: controllers on v1 hierarchies, no cgroup2 mount.
 *   <li>{@link Mode#HYBRID}: a resource controller on a v1 hierarchy plus a cgroup2 mount, usually
 *       at {@code /sys/fs/cgroup/unified} with few or no controllers (systemd's hybrid layout).
 *   <li>{@link Mode#V2}: a cgroup2 mount and no resource controller on v1, usually at {@code
 *       /sys/fs/cgroup} (a v1 hierarchy of another controller beside it, such as a net_cls some
 *       tools mount, changes nothing: the limits are all on v2).
 *   <li>{@link Mode#NONE}: no cgroup filesystem mounted at all.
 * </ul>
 *
 * <p>Mount points are host paths exactly as mountinfo names them ({@code /sys/fs/cgroup/memory}),
 * never prefixed with the root the files were read from. Instances are immutable.
 *
 * @param mode the layout of the host
 * @param controllers every mounted, enabled controller by name, in mountinfo order
 * @param unifiedMount the cgroup2 mount point, in {@link Mode#V2} and {@link Mode#HYBRID}
 */
public record CgroupLayout(
    Mode mode, Map<String, Hierarchy> controllers, Optional<Path> unifiedMount) {

  /** How the host mounts its cgroups. */
  public enum Mode {
    V1,
    HYBRID,
    V2,
    NONE;

    /**
     * The name the protocol and doctor use: {@code v1}, {@code hybrid}, {@code v2}, {@code none}.
     */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Where one controller lives.
   *
   * @param controller the controller's name ({@code cpu}, {@code memory} …)
   * @param version 1 for a v1 hierarchy, 2 for the cgroup2 mount
   * @param mountPoint the hierarchy's mount point on the host
   */
  public record Hierarchy(String controller, int version, Path mountPoint) {}

  /** The controllers the lab's limits use: where they live decides the {@link #mode}. */
  public static final List<String> RESOURCES = List.of("cpu", "memory", "pids");

  /** Controller names used when {@code /proc/cgroups} is missing or unreadable. */
  static final List<String> KNOWN_CONTROLLERS =
      List.of(
          "cpuset",
          "cpu",
          "cpuacct",
          "io",
          "blkio",
          "memory",
          "devices",
          "freezer",
          "net_cls",
          "perf_event",
          "net_prio",
          "hugetlb",
          "pids",
          "rdma",
          "misc");

  public CgroupLayout {
    controllers = Collections.unmodifiableMap(new LinkedHashMap<>(controllers));
  }

  /** The hierarchy {@code controller} lives on, or empty when it is not mounted or not enabled. */
  public Optional<Hierarchy> controller(String controller) {
    return Optional.ofNullable(controllers.get(controller));
  }

  /** Whether {@code controller} lives on a v1 hierarchy. */
  public boolean isV1(String controller) {
    return controller(controller).map(h -> h.version() == 1).orElse(false);
  }

  /**
   * Reads the layout of the host whose files are under {@code root}: {@code /} for this machine, a
   * fixture directory in tests ({@code proc/self/mountinfo}, {@code proc/cgroups} and {@code
   * <cgroup2 mount>/cgroup.controllers} below it). Missing or unreadable files count as empty: a
   * host without a readable mountinfo has mode {@link Mode#NONE}.
   *
   * @throws IllegalArgumentException if mountinfo has a malformed line (the message names it)
   */
  public static CgroupLayout detect(Path root) {
    List<MountEntry> mounts = MountInfoParser.parse(read(root.resolve("proc/self/mountinfo")));
    String procCgroups = read(root.resolve("proc/cgroups"));
    return from(
        mounts,
        procCgroups,
        mountPoint -> read(root.resolve(mountPoint.substring(1)).resolve("cgroup.controllers")));
  }

  /**
   * Builds the layout from already-read kernel files.
   *
   * @param mounts the mount table of the process whose view counts
   * @param procCgroups the text of {@code /proc/cgroups}, empty if unknown
   * @param v2Controllers reads {@code cgroup.controllers} at a cgroup2 mount point, empty if
   *     unknown
   */
  public static CgroupLayout from(
      List<MountEntry> mounts, String procCgroups, Function<String, String> v2Controllers) {
    Set<String> known = enabledControllers(procCgroups);
    Map<String, Hierarchy> byName = new LinkedHashMap<>();
    boolean v1 = false;
    Optional<Path> unified = Optional.empty();
    CgroupMounts cgroupMounts = CgroupMounts.of(mounts);
    // A bind mount of a sub-cgroup (root other than "/") is a view of part of a hierarchy, not the
    // hierarchy: containers and some distributions have them; the real mount is what counts.
    for (MountEntry m : cgroupMounts.v1()) {
      if (m.root().equals("/")) {
        for (String option : CgroupMounts.controllers(m)) {
          if (known.contains(option)) {
            v1 = true;
            byName.putIfAbsent(option, new Hierarchy(option, 1, Path.of(m.mountPoint())));
          }
        }
      }
    }
    for (MountEntry m : cgroupMounts.v2()) {
      if (m.root().equals("/") && unified.isEmpty()) {
        unified = Optional.of(Path.of(m.mountPoint()));
        for (String c : v2Controllers.apply(m.mountPoint()).trim().split("\\s+")) {
          if (!c.isEmpty()) {
            byName.putIfAbsent(c, new Hierarchy(c, 2, Path.of(m.mountPoint())));
          }
        }
      }
    }
    boolean resourcesOnV1 = false;
    for (String c : RESOURCES) {
      Hierarchy h = byName.get(c);
      resourcesOnV1 |= h != null && h.version() == 1;
    }
    Mode mode;
    if (unified.isPresent()) {
      mode = resourcesOnV1 ? Mode.HYBRID : Mode.V2;
    } else {
      mode = v1 ? Mode.V1 : Mode.NONE;
    }
    return new CgroupLayout(mode, byName, unified);
  }

  /** Enabled controller names from {@code /proc/cgroups}, or {@link #KNOWN_CONTROLLERS}. */
  static Set<String> enabledControllers(String procCgroups) {
    Set<String> names = new LinkedHashSet<>();
    for (String line : procCgroups.split("\n")) {
      String[] f = line.trim().split("\\s+");
      // subsys_name hierarchy num_cgroups enabled; the header starts with '#'.
      if (f.length >= 4 && !f[0].startsWith("#") && f[3].equals("1")) {
        names.add(f[0]);
      }
    }
    return names.isEmpty() ? new LinkedHashSet<>(KNOWN_CONTROLLERS) : names;
  }

  /** Mount points of every v1 hierarchy, for display; each appears once. */
  public List<Path> v1Mounts() {
    return controllers.values().stream()
        .filter(h -> h.version() == 1)
        .map(Hierarchy::mountPoint)
        .distinct()
        .sorted()
        .toList();
  }

  /** A small kernel file's text; empty when it cannot be read (total, like the parsers). */
  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
