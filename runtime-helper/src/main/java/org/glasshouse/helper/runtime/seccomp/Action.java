package org.glasshouse.helper.runtime.seccomp;

import org.glasshouse.helper.linux.Errno;

/**
 * What the filter answers for a syscall: the 32-bit value its {@code ret} instruction returns, and
 * its name as the kernel's documentation writes it.
 *
 * @param ret the filter's return value ({@link Bpf#RET_ALLOW}, {@code RET_ERRNO | EPERM}, …)
 * @param name {@code ALLOW}, {@code ERRNO(EPERM)}, {@code KILL_PROCESS}
 */
public record Action(int ret, String name) {

  /** Run the syscall. */
  public static final Action ALLOW = new Action(Bpf.RET_ALLOW, "ALLOW");

  /** Kill the process at once, as if by SIGSYS it cannot catch. */
  public static final Action KILL_PROCESS = new Action(Bpf.RET_KILL_PROCESS, "KILL_PROCESS");

  /** Fail with EPERM, "Operation not permitted": what a program expects of a forbidden call. */
  public static final Action EPERM = errno(Errno.EPERM);

  /**
   * Fail with ENOSYS, "Function not implemented": what the kernel itself answers for a syscall it
   * does not have, so C libraries fall back to an older call instead of giving up.
   */
  public static final Action ENOSYS = errno(38);

  /** Fail with {@code errno} without running the call. */
  public static Action errno(int errno) {
    if (errno <= 0 || errno > Bpf.RET_DATA) {
      throw new IllegalArgumentException("errno must be 1..65535, got " + errno);
    }
    return new Action(Bpf.RET_ERRNO | errno, "ERRNO(" + Errno.name(errno) + ")");
  }

  /** Whether this action runs the call. */
  public boolean allows() {
    return ret == Bpf.RET_ALLOW;
  }

  @Override
  public String toString() {
    return name;
  }
}
