package org.glasshouse.helper.runtime;

import java.util.List;
import java.util.Set;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.protocol.Feature;

/**
 * The one table of the namespaces the helper makes or joins for a container: which feature asks for
 * each, its name under {@code /proc/PID/ns/} and its {@code CLONE_NEW*} flag. A start unshares
 * {@link #SPAWNED} on the spawning thread ({@link InitSpawner}); an exec joins {@link #JOINED}
 * there ({@link ExecJoin}). The cgroup namespace of a start is the init's own unshare, after the
 * helper has moved it ({@code InitStage}); an exec's mount and PID namespaces are joined by its
 * init stage itself.
 */
enum Namespace {
  MNT(Feature.MOUNT_NS, "mnt", Flags.CLONE_NEWNS),
  UTS(Feature.UTS_NS, "uts", Flags.CLONE_NEWUTS),
  IPC(Feature.IPC_NS, "ipc", Flags.CLONE_NEWIPC),
  NET(Feature.NET_NS, "net", Flags.CLONE_NEWNET),
  PID(Feature.PID_NS, "pid", Flags.CLONE_NEWPID),
  CGROUP(Feature.CGROUP_NS, "cgroup", Flags.CLONE_NEWCGROUP);

  /** What a start unshares on its spawning thread, so that the init is born in them. */
  static final List<Namespace> SPAWNED = List.of(MNT, UTS, IPC, NET, PID);

  /**
   * What an exec joins on its spawning thread, in this order. Not the mount namespace (the init's
   * own executable would be looked up in the container's tree) and not the PID namespace (a process
   * born there is visible to the container while it still stands in the host's root): the init
   * joins those ({@link ExecJoin} says why).
   */
  static final List<Namespace> JOINED = List.of(UTS, IPC, NET, CGROUP);

  private final Feature feature;
  private final String procName;
  private final int flag;

  Namespace(Feature feature, String procName, int flag) {
    this.feature = feature;
    this.procName = procName;
    this.flag = flag;
  }

  /** The feature that gives a container this namespace. */
  Feature feature() {
    return feature;
  }

  /** Its name under {@code /proc/PID/ns/}. */
  String procName() {
    return procName;
  }

  /** Its {@code CLONE_NEW*} flag, for unshare(2) and setns(2). */
  int flag() {
    return flag;
  }

  /** The namespaces of {@code among} that {@code features} ask for, in its order. */
  static List<Namespace> of(Set<Feature> features, List<Namespace> among) {
    return among.stream().filter(n -> features.contains(n.feature)).toList();
  }

  /** The {@code CLONE_NEW*} flags a start with {@code features} unshares on its spawning thread. */
  static int spawnFlags(Set<Feature> features) {
    int flags = 0;
    for (Namespace n : of(features, SPAWNED)) {
      flags |= n.flag;
    }
    return flags;
  }
}
