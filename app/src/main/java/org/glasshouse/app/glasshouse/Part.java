package org.glasshouse.app.glasshouse;

/**
 * A piece of the glass house a step builds: a wall, the root filesystem's layers, a gauge, a badge.
 * Selecting a step highlights its parts; a replay shows a part once the step that builds it is
 * reached.
 *
 * @param kind what sort of piece
 * @param name which one of its kind: the namespace type of a wall, the controller of a gauge, the
 *     layer of the root filesystem; empty when there is one of the kind
 */
public record Part(Kind kind, String name) {

  /** The sorts of pieces. */
  public enum Kind {
    /** The container's own house: its directory, its first step. */
    HOUSE,
    /** A namespace wall ({@code name}: the type). */
    WALL,
    /** The root filesystem ({@code name}: image, upper, overlay, chroot, bind, pivot). */
    ROOTFS,
    /** /proc, /sys, /dev mounted inside. */
    MOUNTS,
    /** Device nodes in /dev. */
    DEVICES,
    /** Masked and read-only paths. */
    MASKED,
    /** The hostname inside. */
    HOSTNAME,
    /** A cgroup gauge ({@code name}: cpu, memory, pids). */
    CGROUP,
    /** The user the command runs as. */
    USER,
    /** The capability sets and no_new_privs. */
    CAPS,
    /** A seccomp filter. */
    SECCOMP,
    /** A process ({@code name}: init, command). */
    PROCESS,
    /** The end: the command's exit. */
    EXIT,
    /** A step the glass house does not draw. */
    OTHER
  }

  public static Part of(Kind kind) {
    return new Part(kind, "");
  }

  public static Part of(Kind kind, String name) {
    return new Part(kind, name);
  }

  public static Part wall(NsType t) {
    return new Part(Kind.WALL, t.wire());
  }

  /** "UTS wall", "memory gauge", "root filesystem (overlay)". */
  public String describe() {
    return switch (kind) {
      case HOUSE -> "the container";
      case WALL -> name.toUpperCase(java.util.Locale.ROOT) + " wall";
      case ROOTFS -> "root filesystem (" + name + ")";
      case MOUNTS -> "/proc, /sys, /dev";
      case DEVICES -> "device nodes";
      case MASKED -> "masked paths";
      case HOSTNAME -> "hostname";
      case CGROUP -> name + " gauge";
      case USER -> "user";
      case CAPS -> "capabilities";
      case SECCOMP -> "seccomp filter";
      case PROCESS -> name.equals("init") ? "init stage" : "the command";
      case EXIT -> "exit";
      case OTHER -> name;
    };
  }
}
