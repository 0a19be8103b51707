package org.glasshouse.helper.runtime;

import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.protocol.RunSpec;

/**
 * A pty the helper allocates for a container with {@code tty}: the helper keeps the master (it is
 * close-on-exec, so no child inherits it), the init stage opens the slave by path and makes it the
 * command's 0 1 2 and controlling terminal.
 *
 * @param master the master fd in the helper
 * @param slave the slave's path, e.g. {@code /dev/pts/7}
 */
record Pty(int master, String slave) {

  static Pty open(Syscalls sys, StepLog log, RunSpec spec) throws StepException {
    int fd = log.run("tty", "helper", Call.posixOpenpt(), null, sys::openPtyMaster);
    try {
      String slave = log.run("tty", "helper", Call.ptsname(fd), null, () -> sys.ptsname(fd));
      if (spec.cols() != null && spec.rows() != null) {
        log.run(
            "tty",
            "helper",
            Call.setWindowSize(fd, spec.cols(), spec.rows()),
            null,
            () -> {
              sys.setWindowSize(fd, spec.cols(), spec.rows());
              return null;
            });
      }
      return new Pty(fd, slave);
    } catch (StepException e) {
      try {
        sys.close(fd);
      } catch (org.glasshouse.helper.linux.SyscallException ce) {
        e.addSuppressed(ce);
      }
      throw e;
    }
  }
}
