package org.glasshouse.helper.runtime;

import java.io.IOException;
import org.glasshouse.helper.plan.StepLog.StepException;

/** Prepares a container's root filesystem on the helper side (image, copy or overlay dirs). */
interface RootfsFactory {

  /**
   * Where the container's root will be.
   *
   * @param rootfs the directory that becomes "/"
   * @param lower overlay lower dir (the shared image), or null
   * @param upper overlay upper dir, or null
   * @param work overlay work dir, or null
   */
  record Layout(String rootfs, String lower, String upper, String work) {}

  /** Prepares the rootfs; registers undos. Null when the features need no rootfs (level 00). */
  Layout prepare(LinuxContainer c, Undo undo) throws StepException, IOException;
}
