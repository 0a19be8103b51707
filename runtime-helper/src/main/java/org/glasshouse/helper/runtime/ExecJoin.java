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
 * container's UTS, IPC, net and cgroup namespaces, so the init is born in them. Not the mount
 * namespace (the init JVM's own binary would not be found in it) and not the PID namespace: a
 * process born there is visible to the container from its first instruction, while it still stands
 * in the host's root. The init stage joins both itself, in that order (see InitStage).
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
