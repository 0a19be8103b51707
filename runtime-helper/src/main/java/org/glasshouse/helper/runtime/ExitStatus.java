package org.glasshouse.helper.runtime;

/**
 * How a container's first process ended.
 *
 * @param code exit code when it exited, else null
 * @param signal signal number when killed by a signal, else null
 * @param oomKilled whether the memory cgroup's OOM killer ended it
 * @param durationNanos from exec to exit
 */
public record ExitStatus(Integer code, Integer signal, boolean oomKilled, long durationNanos) {

  /** The status a shell reports: the code, or 128 + signal. */
  public int shellStatus() {
    return code != null ? code : 128 + (signal == null ? 0 : signal);
  }
}
