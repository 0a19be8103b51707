package org.glasshouse.app.glasshouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The eight namespace types, in the order the glass house draws their walls: outermost first, which
 * is also the order the levels build them (mnt at 02, uts and ipc at 05, pid at 06, net at 07,
 * cgroup at 08). user and time come last: this lab never builds them, so they stay open — and an
 * open user namespace means root inside is root outside.
 */
public enum NsType {
  MNT("mnt", "CLONE_NEWNS", 2, "its own mount table: mounts inside stay inside"),
  UTS("uts", "CLONE_NEWUTS", 5, "its own hostname"),
  IPC("ipc", "CLONE_NEWIPC", 5, "its own System V IPC and POSIX message queues"),
  PID("pid", "CLONE_NEWPID", 6, "its own process numbers: its first process is PID 1"),
  NET("net", "CLONE_NEWNET", 7, "its own network interfaces, routes and ports"),
  CGROUP("cgroup", "CLONE_NEWCGROUP", 8, "its own view of the cgroup tree: its group is its /"),
  USER("user", "CLONE_NEWUSER", 0, "its own user ids: never built in this lab"),
  TIME("time", "CLONE_NEWTIME", 0, "its own boot and monotonic clocks: never built in this lab");

  private final String wire;
  private final String flag;
  private final int level;
  private final String meaning;

  NsType(String wire, String flag, int level, String meaning) {
    this.wire = wire;
    this.flag = flag;
    this.level = level;
    this.meaning = meaning;
  }

  /** The name in {@code /proc/PID/ns} and on the wire: {@code uts}. */
  public String wire() {
    return wire;
  }

  /** The clone/unshare/setns flag: {@code CLONE_NEWUTS}. */
  public String flag() {
    return flag;
  }

  /** The level that builds this wall; 0 when no level does. */
  public int level() {
    return level;
  }

  /** What owning one gives a container, in a few words. */
  public String meaning() {
    return meaning;
  }

  /** The label on the wall: {@code UTS}. */
  public String label() {
    return wire.toUpperCase(Locale.ROOT);
  }

  /** The type with this wire name ({@code pid_for_children} is not a wall). */
  public static Optional<NsType> of(String wire) {
    for (NsType t : values()) {
      if (t.wire.equals(wire)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The types whose flags appear in {@code args}: {@code CLONE_NEWNS|CLONE_NEWUTS} → mnt, uts. */
  public static List<NsType> inFlags(String args) {
    List<NsType> out = new ArrayList<>();
    if (args == null) {
      return out;
    }
    for (String f : args.split("[^A-Z_]+")) {
      for (NsType t : values()) {
        if (t.flag.equals(f)) {
          out.add(t);
        }
      }
    }
    return out;
  }
}
