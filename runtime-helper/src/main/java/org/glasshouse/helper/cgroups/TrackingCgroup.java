package org.glasshouse.helper.cgroups;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.plan.StepLog;

/**
 * A container's tracking cgroup ({@link CgroupDriver#track}): one controller-less dir on the
 * unified hierarchy. A container without a PID namespace of its own (levels 00–05) has no PID 1
 * whose death takes the rest with it, and without a cgroup nothing else ties a process it left
 * running to it: {@code sh -c 'sleep 600 &'}, a {@code setsid} daemon that double-forked to the
 * host's PID 1, a job in a process group of its own. The kernel keeps every child in its parent's
 * cgroup, so this dir holds them all, and {@code cgroup.kill} ends them at once, forks racing the
 * kill included.
 */
final class TrackingCgroup extends FsContainerCgroup {

  /** The step its entries are logged under. */
  static final String STEP = "track";

  /**
   * The mode a cgroup dir is made with, as the step log shows it: the JDK's createDirectory asks
   * mkdir(2) for 0777 and the umask takes its share (cgroupfs ignores it for access anyway).
   */
  static final int DIR_MODE = 0777;

  private TrackingCgroup(String id, Dir dir, CgroupFs fs, StepLog log) {
    super(id, List.of(dir), fs, log);
  }

  /**
   * Makes {@code <parentDir>/<id>} (and the parent when missing) on the unified hierarchy mounted
   * at {@code root}; each mkdir one {@link #STEP} step.
   */
  static TrackingCgroup create(Path root, Path parentDir, String id, CgroupFs fs, StepLog log)
      throws StepLog.StepException {
    CgroupDriver.checkName("container", id);
    Path dir = parentDir.resolve(id);
    if (!fs.exists(parentDir)) {
      log.run(
          STEP,
          "helper",
          Call.mkdir(parentDir.toString(), DIR_MODE),
          "the tracking cgroups' parent is made on the unified hierarchy (cgroup2), which needs root",
          () -> {
            try {
              fs.mkdir(parentDir);
            } catch (FileAlreadyExistsException e) {
              // Made meanwhile by a concurrent start or another helper: what was wanted.
            }
            return null;
          });
    }
    log.run(
        STEP,
        "helper",
        Call.mkdir(dir.toString(), DIR_MODE),
        "a tracking cgroup of that name exists already: a leftover of a dead helper?",
        () -> {
          fs.mkdir(dir);
          return null;
        });
    return new TrackingCgroup(id, new Dir(root, dir, STEP), fs, log);
  }

  /** The dir of {@code id}'s tracking cgroup under {@code parentDir}, for cleanup. */
  static Dir cleanup(Path root, Path parentDir, String id) {
    return new Dir(root, parentDir.resolve(id), "cleanup");
  }

  @Override
  public long oomKills() throws IOException {
    // No memory controller: nothing is limited, so nothing is OOM-killed on its account.
    return 0;
  }
}
