package org.glasshouse.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * One isolation step a student can switch on or off. Each belongs to the level that introduces it;
 * {@code --level N} switches on every feature whose level is at most N. In free play any
 * combination may be asked for, and a combination that cannot work fails with the kernel's real
 * errno.
 */
public enum Feature {
  /** Level 01: chroot + chdir into the image's rootfs. */
  CHROOT(1, "chroot"),
  /** Level 01: /proc, /sys and /dev mounted inside the rootfs. */
  PSEUDO_FS(1, "pseudo-fs"),
  /** Level 02: own mount namespace, {@code /} made recursively private. */
  MOUNT_NS(2, "mount-ns"),
  /** Level 02: device nodes (null zero full random urandom tty console) and stdio links. */
  DEV_NODES(2, "dev-nodes"),
  /**
   * Level 03: bind-mount the rootfs onto itself, because pivot_root needs the new root to be a
   * mount point. Superseded by {@link #OVERLAY}, whose mount is one; switch both off to see
   * pivot_root fail with EBUSY.
   */
  BIND_ROOT(3, "bind-root"),
  /** Level 03: pivot_root into the rootfs and detach the old root. */
  PIVOT_ROOT(3, "pivot-root"),
  /**
   * Level 03: the root, /dev and the pseudo filesystems mounted {@code nodev}, and the standard
   * device nodes bind-mounted from the host's instead of made with mknod: a node the container
   * makes itself cannot be opened. Switch it off to see level 02's mknod reach a host device.
   */
  NODEV(3, "nodev"),
  /** Level 04: read-only shared image as lower layer, per-container upper + work, overlay root. */
  OVERLAY(4, "overlay"),
  /** Level 05: own UTS namespace, hostname = container id. */
  UTS_NS(5, "uts-ns"),
  /** Level 05: own IPC namespace (System V IPC, POSIX message queues) along with UTS. */
  IPC_NS(5, "ipc-ns"),
  /** Level 06: own PID namespace and a /proc of it. */
  PID_NS(6, "pid-ns"),
  /** Level 07: own network namespace (only lo). */
  NET_NS(7, "net-ns"),
  /** Level 08: cgroup per container with cpu shares / weight and optional quota. */
  CGROUP_CPU(8, "cgroup-cpu"),
  /** Level 08: own cgroup namespace, so /proc/self/cgroup shows the container's cgroup as root. */
  CGROUP_NS(8, "cgroup-ns"),
  /**
   * Level 08: a device allow-list on the container's cgroup — the v1 devices controller, or on
   * cgroup v2 a BPF device program: only the standard nodes and ptys can be opened, whatever nodes
   * exist.
   */
  CGROUP_DEVICES(8, "cgroup-devices"),
  /** Level 09: memory limit and memory+swap limit. */
  CGROUP_MEMORY(9, "cgroup-memory"),
  /** Level 10: setgroups/setresgid/setresuid to the requested user after all privileged work. */
  SETUID(10, "setuid"),
  /** Level 11: bounding/effective capability sets cut to a small default, no_new_privs. */
  CAPABILITIES(11, "capabilities"),
  /** Level 12: pids limit. */
  CGROUP_PIDS(12, "cgroup-pids"),
  /**
   * Level 13: a seccomp filter (the default profile, an allow-list in the spirit of Docker's),
   * loaded as the very last step before execve, after capabilities and no_new_privs.
   */
  SECCOMP(13, "seccomp");

  /** The highest level. */
  public static final int MAX_LEVEL = 13;

  private final int level;
  private final String wireName;

  Feature(int level, String wireName) {
    this.level = level;
    this.wireName = wireName;
  }

  /** The level that introduces this feature. */
  public int level() {
    return level;
  }

  /** The name used on the wire and on the command line ({@code pivot-root}). */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** Every feature of levels 0..{@code level}. */
  public static Set<Feature> upTo(int level) {
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException(
          "level must be between 0 and " + MAX_LEVEL + ", got " + level);
    }
    EnumSet<Feature> set = EnumSet.noneOf(Feature.class);
    for (Feature f : values()) {
      if (f.level <= level) {
        set.add(f);
      }
    }
    return set;
  }

  /**
   * Whether {@code features} make the container a root filesystem of its own, the only use of an
   * image: without one (level 00) the command runs on the host's root and no image is used.
   */
  public static boolean needsRootfs(Set<Feature> features) {
    return features.contains(CHROOT)
        || features.contains(PIVOT_ROOT)
        || features.contains(OVERLAY)
        || features.contains(PSEUDO_FS)
        || features.contains(DEV_NODES)
        || features.contains(BIND_ROOT);
  }

  /** Parses a wire name; the error lists the valid names. */
  @JsonCreator
  public static Feature fromWireName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Feature f : values()) {
      if (f.wireName.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown feature '"
            + name
            + "'; known: "
            + String.join(", ", Arrays.stream(values()).map(Feature::wireName).toList()));
  }
}
