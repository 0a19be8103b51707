package org.glasshouse.helper.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.glasshouse.helper.plan.StepLog;

/**
 * One container's cgroup(s): one dir per v1 hierarchy in use, or one v2 dir. Thread-safe enough for
 * one owner plus a telemetry reader.
 */
public interface ContainerCgroup {

  /** The container id (the cgroup dir's name). */
  String id();

  /** Every cgroup dir of the container (v1: one per hierarchy; v2: one). */
  List<Path> paths();

  /**
   * Moves a process into every cgroup of the container ({@code cgroup.procs}); one step entry per
   * write. Called before the init stage may exec.
   */
  void addProcess(long pid, StepLog log) throws StepLog.StepException;

  /**
   * Moves a process into the root cgroup of every hierarchy the container uses; one step entry per
   * write. Done before the init stage creates its cgroup namespace, whose root is the cgroup the
   * process is in at that moment: rooted at the hierarchy root, the namespace still shows the
   * container its real path ({@code /glasshouse/<id>}) once it has been moved into its cgroups.
   */
  void enterRoots(long pid, StepLog log) throws StepLog.StepException;

  /**
   * Moves a process out of the container's cgroups into each hierarchy's root cgroup (an exec's
   * init, once the command it spawned runs in them); one step entry per write.
   */
  void leave(long pid, StepLog log) throws StepLog.StepException;

  /** How many times the OOM killer killed in this cgroup (0 without the memory controller). */
  long oomKills() throws IOException;

  /** The pids in the container's cgroups right now (a union over v1 hierarchies). */
  List<Long> pids() throws IOException;

  /**
   * Kills what is left (v2 {@code cgroup.kill} when the kernel has it, else SIGKILL to every pid,
   * again for any new one), waits for the killed to exit and removes the dirs, child cgroups first,
   * retrying EBUSY with back-off; all of it within about 10 s (a killed process on a loaded machine
   * may wait seconds for the CPU it needs to exit). Each rmdir is a step entry of the log given at
   * creation. Idempotent.
   *
   * @throws IOException naming the dir that would not go and why
   */
  void destroy() throws IOException;
}
