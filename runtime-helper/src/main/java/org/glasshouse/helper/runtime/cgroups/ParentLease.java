package org.glasshouse.helper.runtime.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glasshouse.helper.linux.DirFds;

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
    for (int i = 0; i < ATTEMPTS; i++) {
      Files.createDirectories(dir);
      int fd;
      try {
        fd = DirFds.openDirectory(DirFds.AT_FDCWD, DirFds.name(dir.toString()));
      } catch (DirFds.Failure e) {
        if (e.errno() == DirFds.ENOENT) {
          continue; // removed by a last helper between the mkdir and the open
        }
        throw e;
      }
      boolean kept = false;
      try {
        // Waits while a last helper holds it exclusively and removes it.
        DirFds.flock(fd, DirFds.LOCK_SH);
        if (sameDirectory(fd, dir)) {
          kept = true;
          return new ParentLease(driver, fd);
        }
        // Locked a parent that was removed meanwhile: start over with a new one.
      } finally {
        if (!kept) {
          DirFds.close(fd);
        }
      }
    }
    throw new IOException(
        "could not take a share of the cgroup parent " + dir + " (it kept going)");
  }

  private static boolean sameDirectory(int fd, Path dir) throws DirFds.Failure {
    DirFds.Stat held = DirFds.stat(fd, new byte[0]);
    try {
      DirFds.Stat now = DirFds.stat(DirFds.AT_FDCWD, DirFds.name(dir.toString()));
      return now.ino() == held.ino() && now.mountId() == held.mountId();
    } catch (DirFds.Failure e) {
      if (e.errno() == DirFds.ENOENT) {
        return false;
      }
      throw e;
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
      if (DirFds.flock(fd, DirFds.LOCK_EX | DirFds.LOCK_NB)) {
        try {
          driver.removeParent();
        } catch (IOException e) {
          problem = e.getMessage();
        }
      }
    } catch (DirFds.Failure e) {
      problem = e.getMessage();
    } finally {
      DirFds.close(fd);
    }
    return problem;
  }

  /** Lets go of the share without removing anything (a helper that dies: the test of kill -9). */
  public synchronized void abandon() {
    if (!closed) {
      closed = true;
      DirFds.close(fd);
    }
  }

  @Override
  public void close() {
    release();
  }
}
