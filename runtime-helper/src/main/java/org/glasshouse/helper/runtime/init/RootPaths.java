package org.glasshouse.helper.runtime.init;

import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.Errno;
import org.glasshouse.helper.linux.Fd;
import org.glasshouse.helper.linux.FsFlags;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog.StepException;

/**
 * Places inside the container's root, opened the way runc and crun open them: by the kernel, from
 * an fd of the root, under {@code RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS}. The image is hostile: its
 * {@code /dev}, {@code /proc}, {@code /dev/pts} … may be symlinks to host directories, and a
 * textual check ({@code lstat} then {@code mount} by path) leaves a window in which the path can
 * change. A symlink anywhere on the way is refused (ELOOP) with a step naming the path; every mount
 * and node then goes through the fd ({@code /proc/self/fd/N}), never through the path again.
 *
 * <p>Every fd is {@code O_CLOEXEC}: the execve at the end of the init closes them all.
 */
final class RootPaths {

  private static final int DIR = FsFlags.O_PATH | FsFlags.O_DIRECTORY | FsFlags.O_CLOEXEC;
  private static final int PLACE = FsFlags.O_PATH | FsFlags.O_CLOEXEC;
  private static final int NEW_FILE =
      FsFlags.O_WRONLY | FsFlags.O_CREAT | FsFlags.O_EXCL | FsFlags.O_CLOEXEC;

  private final Syscalls sys;
  private final StepRunner steps;

  RootPaths(Syscalls sys, StepRunner steps) {
    this.sys = sys;
    this.steps = steps;
  }

  /**
   * The root itself: a path the helper made ({@code …/containers/<id>/merged}), opened once; all
   * the rest is resolved beneath it.
   */
  Fd root(String step, String root) throws StepException {
    int fd =
        steps.value(
            step,
            Call.open(root, DIR),
            "the container's root must exist",
            () -> sys.open(root, DIR));
    return new Fd(fd, root);
  }

  /**
   * The directory {@code rel} under {@code base} ({@code rel} may have several components). Opened
   * again after something was mounted on it, it is the new mount's root.
   *
   * @param shown the path as the container sees it ({@code /dev/pts}), for the explanation
   */
  Fd dir(String step, Fd base, String rel, String shown) throws StepException {
    return steps.value(
        step,
        Call.openat2(base, rel, DIR, 0, Syscalls.RESOLVE_IN_CONTAINER),
        refusal(shown, "a directory"),
        () -> sys.openat2(base, rel, DIR, 0, Syscalls.RESOLVE_IN_CONTAINER));
  }

  /**
   * An empty file {@code name} in {@code dir} to mount a node or a terminal on: created with {@code
   * O_CREAT|O_EXCL} (which never follows a symlink in its place); one the image already has is
   * taken when it is a plain file.
   */
  Fd file(String step, Fd dir, String name, int mode, String shown) throws StepException {
    Fd made =
        steps.tolerating(
            step,
            Call.openat2(dir, name, NEW_FILE, mode, Syscalls.RESOLVE_IN_CONTAINER),
            refusal(shown, "a new file"),
            Errno.EEXIST,
            Fd.absent("EEXIST"),
            () -> sys.openat2(dir, name, NEW_FILE, mode, Syscalls.RESOLVE_IN_CONTAINER));
    return steps.otherwise(
        made.absent(),
        made,
        () ->
            steps.value(
                step,
                Call.openat2(dir, name, PLACE, 0, Syscalls.RESOLVE_IN_CONTAINER),
                refusal(shown, "a file"),
                () -> sys.openat2(dir, name, PLACE, 0, Syscalls.RESOLVE_IN_CONTAINER)));
  }

  /**
   * {@code mkdirat(dir, name)}; one that exists is fine (the image's {@code /dev} may have it) —
   * {@link #dir} then checks it is a real directory.
   */
  void mkdir(String step, Fd dir, String name, int mode) throws StepException {
    steps.tolerating(
        step,
        Call.mkdirat(dir, name, mode),
        null,
        Errno.EEXIST,
        "-1 EEXIST (kept: opened without following symlinks next)",
        () -> {
          sys.mkdirat(dir, name, mode);
          return "0";
        });
  }

  private static String refusal(String shown, String what) {
    return "the image's "
        + shown
        + " must be "
        + what
        + " inside the container's root: a symlink there is refused, never followed";
  }
}
