package org.glasshouse.helper.runtime;

import java.util.List;
import java.util.Set;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.protocol.Feature;

/**
 * The namespaces an exec joins on the helper's throwaway spawning thread: setns() into the
 * container's UTS, IPC, net and cgroup namespaces, so the init (the native {@code glasshouse-init}
 * or the init JVM) is born in them. Not these:
 *
 * <ul>
 *   <li>mount: the spawn would then look the init's executable up in the container's file tree,
 *       where it is not — or where the container put one of its own, which the helper would run as
 *       root. The init joins it (and the container's root) itself, as steps of its own.
 *   <li>PID: a process born there is visible to the container from its first instruction, while it
 *       still stands in the host's root (runc's CVE-2016-9962). The init joins it only for its
 *       children, once inside the root, and spawns the command into it (InitStage#spawnsCommand).
 *   <li>user: no level gives a container one. It could not be joined here anyway: setns into a user
 *       namespace fails (EINVAL) in a multi-threaded process, which the helper always is; it would
 *       be a step of the native init, which has one thread, and the first of its joins.
 * </ul>
 */
final class ExecJoin implements InitSpawner.ThreadSetup {

  private final Syscalls sys;
  private final StepLog log;
  private final long pid;
  private final Set<Feature> features;

  ExecJoin(Syscalls sys, StepLog log, long pid, Set<Feature> features) {
    this.sys = sys;
    this.log = log;
    this.pid = pid;
    this.features = features;
  }

  /** The namespaces that will be joined, for tests and the step log. */
  List<String> names() {
    return Namespace.of(features, Namespace.JOINED).stream().map(Namespace::procName).toList();
  }

  @Override
  public void run() throws StepException {
    for (Namespace ns : Namespace.of(features, Namespace.JOINED)) {
      String path = "/proc/" + pid + "/ns/" + ns.procName();
      int fd =
          log.run(
              "exec-ns",
              "helper",
              Call.open(path, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC),
              "the container's first process must still be running",
              () -> sys.open(path, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC));
      try {
        log.run(
            "exec-ns",
            "helper",
            Call.setns(fd, ns.flag(), path),
            null,
            () -> {
              sys.setns(fd, ns.flag(), path);
              return null;
            });
      } finally {
        try {
          sys.close(fd);
        } catch (org.glasshouse.helper.linux.SyscallException e) {
          // The fd is close-on-exec and this thread ends right after the spawn.
        }
      }
    }
  }
}
