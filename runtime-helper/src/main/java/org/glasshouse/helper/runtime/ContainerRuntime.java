package org.glasshouse.helper.runtime;

import java.util.List;
import java.util.Optional;
import org.glasshouse.protocol.RunSpec;

/** The container runtime as the helper's server sees it. Implementations are thread-safe. */
public interface ContainerRuntime extends AutoCloseable {

  /**
   * Creates and starts a container. Steps are reported to {@code listener} as they happen; the call
   * returns once the user's command has been exec'd.
   *
   * @param id the new container's id (validated by the caller: 12 lowercase hex digits)
   * @throws StartFailedException when a step failed; everything done so far has been undone and the
   *     exception carries the failing step
   */
  Container start(String id, RunSpec spec, ContainerListener listener) throws StartFailedException;

  /**
   * Runs another command inside a running container: joins its namespaces, root and cgroups. {@code
   * spec} supplies argv, env, workdir, tty and user; its isolation fields are ignored.
   */
  Container exec(String containerId, String execId, RunSpec spec, ContainerListener listener)
      throws StartFailedException;

  /**
   * The host's cgroup layout as the runtime decided it once at start and uses it: {@code v1},
   * {@code hybrid}, {@code v2} or {@code none} ({@code hello} reports it).
   */
  String cgroupMode();

  /** Every container the runtime knows, running or exited, oldest first. */
  List<Container> list();

  /** The container with this id or name. */
  Optional<Container> find(String idOrName);

  /**
   * Removes a container: kills it when {@code force} (else a running container is an error), then
   * undoes every mount, cgroup, directory and pty it made.
   *
   * @throws IllegalStateException when running and not forced
   * @throws java.util.NoSuchElementException when unknown
   */
  void remove(String idOrName, boolean force);

  /** Kills and removes every container. */
  @Override
  void close();
}
