package org.glasshouse.helper.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glasshouse.helper.linux.FsCalls;
import org.glasshouse.helper.linux.FsFlags;
import org.glasshouse.helper.linux.Stat;
import org.glasshouse.helper.linux.SyscallException;

/**
 * A helper's share of the cgroup parent ({@code glasshouse} by default), which several helpers (on
 * other state dirs, tests) may use at once: each holds a shared {@code flock} on the parent's
 * directory (in the first hierarchy) for as long as it runs, and at shutdown removes the parent
 * only if it can take the lock exclusively — that is, only when it is the last helper using it. A
 * helper killed with -9 lets go of its share with its fds; its leftovers are swept by the next one
 * on its state dir, and the parent stays until the last live helper leaves.
 *
 * <p>The race this closes: a helper shutting down saw the parent momentarily empty and removed it
 * while another was between creating the parent and creating a container's cgroup in it.
 */
public final class ParentLease implements AutoCloseable {

  private static final int ATTEMPTS = 16;
  private static final FsCalls FS = FsCalls.real();
  private static final int OPEN_DIRECTORY =
      FsFlags.O_RDONLY | FsFlags.O_DIRECTORY | FsFlags.O_NOFOLLOW | FsFlags.O_CLOEXEC;

  private final CgroupDriver driver;
  private final int fd;
  private boolean closed;

  private ParentLease(CgroupDriver driver, int fd) {
    this.driver = driver;
    this.fd = fd;
  }

  /**
   * Takes a share of the driver's parent, making its directory in the first hierarchy if needed.
   * Null when there is no cgroup hierarchy to lock (no cgroup fs: nothing to remove either).
   *
   * @throws IOException when the parent cannot be made or locked
   */
  public static ParentLease acquire(CgroupDriver driver) throws IOException {
    List<Path> parents = driver.parentPaths();
    if (parents.isEmpty()) {
      return null;
    }
    Path dir = parents.get(0);
    byte[] path = dir.toString().getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < ATTEMPTS; i++) {
      Files.createDirectories(dir);
      int fd;
      try {
        fd = FS.openat(FsFlags.AT_FDCWD, path, OPEN_DIRECTORY, 0);
      } catch (SyscallException e) {
        if (e.errnoName().equals("ENOENT")) {
          continue; // removed by a last helper between the mkdir and the open
        }
        throw new IOException(e.getMessage(), e);
      }
      boolean kept = false;
      try {
        // Waits while a last helper holds it exclusively and removes it.
        FS.flock(fd, FsFlags.LOCK_SH);
        if (sameDirectory(fd, path)) {
          kept = true;
          return new ParentLease(driver, fd);
        }
        // Locked a parent that was removed meanwhile: start over with a new one.
      } catch (SyscallException e) {
        throw new IOException(e.getMessage(), e);
      } finally {
        if (!kept) {
          closeQuietly(fd);
        }
      }
    }
    throw new IOException(
        "could not take a share of the cgroup parent " + dir + " (it kept going)");
  }

  private static boolean sameDirectory(int fd, byte[] path) throws SyscallException {
    Stat held = FS.statx(fd, new byte[0], FsFlags.AT_EMPTY_PATH);
    try {
      return FS.statx(FsFlags.AT_FDCWD, path, FsFlags.AT_SYMLINK_NOFOLLOW).sameFile(held);
    } catch (SyscallException e) {
      if (e.errnoName().equals("ENOENT")) {
        return false;
      }
      throw e;
    }
  }

  private static void closeQuietly(int fd) {
    try {
      FS.close(fd);
    } catch (SyscallException e) {
      // close(2) of a directory fd we opened: the fd is gone whatever it says.
    }
  }

  /**
   * Lets go of the share; when no other helper holds one, removes the parent first (every
   * hierarchy). Never throws: a parent that would not go is reported.
   *
   * @return what went wrong removing the parent, or null
   */
  public synchronized String release() {
    if (closed) {
      return null;
    }
    closed = true;
    String problem = null;
    try {
      if (FS.flock(fd, FsFlags.LOCK_EX | FsFlags.LOCK_NB)) {
        try {
          driver.removeParent();
        } catch (IOException e) {
          problem = e.getMessage();
        }
      }
    } catch (SyscallException e) {
      problem = e.getMessage();
    } finally {
      closeQuietly(fd);
    }
    return problem;
  }

  /** Lets go of the share without removing anything (a helper that dies: the test of kill -9). */
  public synchronized void abandon() {
    if (!closed) {
      closed = true;
      closeQuietly(fd);
    }
  }

  @Override
  public void close() {
    release();
  }
}
