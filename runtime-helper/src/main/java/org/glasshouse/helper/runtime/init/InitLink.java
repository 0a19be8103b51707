package org.glasshouse.helper.runtime.init;

import java.io.IOException;
import org.glasshouse.protocol.StepEntry;

/** The init stage's side of the channel to the helper. */
public interface InitLink {

  /** Sends one step entry as it is recorded. Must not throw: a lost entry is not a failed step. */
  void step(StepEntry entry);

  /**
   * Blocks until the helper has moved this process into each hierarchy's root cgroup: the cgroup
   * namespace made next is rooted there.
   */
  void awaitRoots() throws IOException;

  /** Everything before the cgroups is done; {@code pid} is the init's pid in its namespace. */
  void ready(long pid) throws IOException;

  /** Blocks until the helper has placed this process in its cgroups. */
  void awaitGo() throws IOException;

  /**
   * Announces the execve about to happen (the entry has no result yet): the helper records it as
   * succeeded when the channel closes at execve, since the socket is close-on-exec.
   */
  void aboutToExec(StepEntry pending) throws IOException;

  /**
   * The command was spawned (exec into a container with its own PID namespace): {@code pid} is its
   * pid as the host sees it. The channel is closed right after: this process only waits for the
   * command and ends as it ends.
   */
  void spawned(long pid) throws IOException;
}
