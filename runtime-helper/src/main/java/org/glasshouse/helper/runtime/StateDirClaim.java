package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.cgroups.ParentLease;

/**
 * What a runtime holds for as long as it lives: the state dir's lock (one runtime per state dir)
 * and its share of the cgroup parent. Both are fds, so a helper killed with -9 lets go of both
 * without cleaning anything up — which {@link #drop} plays for the recovery tests.
 */
public final class StateDirClaim {

  private final FileChannel lock;
  private final ParentLease lease;

  private StateDirClaim(FileChannel lock, ParentLease lease) {
    this.lock = lock;
    this.lease = lease;
  }

  /**
   * Locks {@code state} and takes a share of {@code driver}'s parent.
   *
   * @throws IOException when another runtime (another process or this JVM) uses the state dir
   */
  static StateDirClaim take(Path state, CgroupDriver driver) throws IOException {
    // One runtime per state dir: a second one's start-up sweep would take the first one's live
    // containers for a dead helper's leftovers and kill them.
    FileChannel ch =
        FileChannel.open(
            state.resolve("helper.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (!tryLock(ch)) {
      ch.close();
      throw new IOException(
          "another glasshouse helper is using the state dir " + state + ": stop it first");
    }
    // A share of the cgroup parent, before anything is made in it: the last helper to leave
    // removes the parent, never one that another helper still uses.
    return new StateDirClaim(ch, lease(driver));
  }

  /**
   * The share of the cgroup parent, or null when it cannot be had (no writable cgroup fs): then
   * this helper never removes the parent.
   */
  private static ParentLease lease(CgroupDriver driver) {
    try {
      return ParentLease.acquire(driver);
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether the lock was taken; held by another runtime (process or this JVM) is false. */
  private static boolean tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock() != null;
    } catch (OverlappingFileLockException e) {
      return false;
    }
  }

  /**
   * A normal shutdown: removes the cgroup parent when no other helper holds a share (a problem is
   * no reason to fail the shutdown: the parent stays, empty, for the next helper), then unlocks.
   */
  void release() {
    if (lease != null) {
      lease.release();
    }
    closeLock();
  }

  /**
   * What the kernel does for a helper killed with -9: its lock and lease fds close, nothing is
   * removed. The runtime holding this claim keeps its containers; a new runtime on the same state
   * dir then sweeps them as a dead helper's.
   */
  public void drop() {
    if (lease != null) {
      lease.abandon();
    }
    closeLock();
  }

  private void closeLock() {
    try {
      lock.close();
    } catch (IOException e) {
      // Closing releases the lock; the process exit would too.
    }
  }
}
