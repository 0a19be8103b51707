package org.glasshouse.helper.runtime.rootfs;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.glasshouse.helper.linux.Dir;
import org.glasshouse.helper.linux.FsCalls;
import org.glasshouse.helper.linux.FsFlags;
import org.glasshouse.helper.linux.Stat;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;

/**
 * Recursive delete for trees the helper made (image extractions, container dirs) that may hold
 * anything an image or a container put there — and, when a process of the container outlived it, be
 * changing while the helper deletes.
 *
 * <p>It never follows a symbolic link and never trusts a path: the tree is walked from one open
 * directory fd to the next ({@code openat2} with {@code RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|
 * RESOLVE_NO_XDEV}, one component at a time) and every entry is removed with {@code unlinkat}
 * relative to the fd of the directory it was listed in. A directory swapped for a link after it was
 * listed is then a link to unlink, not a path into the host; a mount point under the tree is an
 * error naming it (checked first from mountinfo, and again on every step down by the kernel and by
 * the mount id). It holds two fds whatever the depth — going back up reopens {@code ..} and checks
 * it is the directory it came from — so trees deeper than PATH_MAX (a container can make them) are
 * deleted too. Overlay whiteouts (char 0:0) and directories without write permission go as well.
 *
 * <p>A live writer can make the delete fail (a directory keeps filling up) but never reach outside
 * the tree. The runtime destroys the container's processes first.
 */
public final class SafeDelete {

  /** The mount table consulted by default. */
  public static final Path SELF_MOUNTINFO = Path.of("/proc/self/mountinfo");

  /**
   * Walks of one delete when directories of its tree are removed under it: each new walk follows a
   * directory another delete removed, so a tree is walked at most about once per directory in it.
   */
  private static final int WALKS = 1000;

  /** How often a directory may be found refilled before the delete gives up on a live writer. */
  private static final int REFILLS = 1000;

  private SafeDelete() {}

  /** {@link #deleteTree(Path, Path)} against {@code /proc/self/mountinfo}. */
  public static void deleteTree(Path dir) throws IOException {
    deleteTree(dir, SELF_MOUNTINFO);
  }

  /**
   * Deletes {@code dir} and everything under it; a missing {@code dir} is not an error (so a
   * cleanup can run twice). {@code dir} itself is named by the helper (its state dir, a container
   * or image dir); everything under it is walked fd by fd.
   *
   * @param mountinfo the mount table to check for mounts under {@code dir}
   * @throws IOException naming the mounts still under {@code dir}, or the entry that could not be
   *     removed and why
   */
  public static void deleteTree(Path dir, Path mountinfo) throws IOException {
    BasicFileAttributes top;
    try {
      top = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if (!top.isDirectory()) {
      // A link or file in the place of the directory: remove it, never what it points to.
      Files.delete(dir);
      return;
    }
    Path real = dir.toRealPath();
    List<String> mounts = mountsUnder(real, mountinfo);
    if (!mounts.isEmpty()) {
      throw new IOException(
          "cannot delete "
              + dir
              + ": "
              + mounts.size()
              + " mount(s) still under it ("
              + String.join(", ", mounts)
              + "); they must be unmounted first");
    }
    for (int walk = 1; ; walk++) {
      try {
        new Walk(FsCalls.real(), real).empty();
        break;
      } catch (SyscallException e) {
        // A directory of the tree removed under the walk (ENOENT from getdents64 or from '..' of
        // a dead directory): another delete of the same tree ran at once — a container's --rm by
        // its waiter and by the server's watcher. Gone is the goal: the top gone too, it is
        // reached; else the walk starts again from the top (WALKS).
        if (!e.errnoName().equals("ENOENT") || walk >= WALKS) {
          throw new IOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
          return;
        }
      }
    }
    try {
      Files.delete(real);
    } catch (NoSuchFileException e) {
      // Already gone: the goal is reached.
    } catch (FileSystemException e) {
      throw new IOException("cannot delete " + real + ": " + e.getReason(), e);
    }
  }

  /** One delete: the current directory, and the way back up as names and identities. */
  private static final class Walk {
    private final FsCalls fs;
    private final Path top;

    /** A directory entered: its name in its parent and the parent's identity. */
    private record Frame(byte[] name, Stat parent) {}

    private final Deque<Frame> up = new ArrayDeque<>();
    private Stat topStat;
    private int refills;

    Walk(FsCalls fs, Path top) {
      this.fs = fs;
      this.top = top;
    }

    /** Removes everything under the top directory, which stays (empty). */
    void empty() throws SyscallException, IOException {
      Dir cur;
      try {
        cur = Dir.open(fs, top);
      } catch (SyscallException e) {
        if (!e.errnoName().equals("EACCES")) {
          throw e;
        }
        // Not root, and the top is not readable: it is the helper's own path, give it to the owner.
        int mode = (Integer) Files.getAttribute(top, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(top, "unix:mode", (mode & 07777) | 0700, LinkOption.NOFOLLOW_LINKS);
        cur = Dir.open(fs, top);
      }
      try {
        topStat = cur.stat();
        Stat curStat = topStat;
        while (true) {
          Dir.Entry e = cur.next();
          if (e == null) {
            if (up.isEmpty()) {
              return;
            }
            Frame f = up.pop();
            Dir parent = cur.parent();
            Stat ps = parent.stat();
            if (!ps.sameFile(f.parent())) {
              parent.close();
              throw new IOException(
                  "cannot delete "
                      + top
                      + ": a directory was moved while it was being deleted (its '..' is"
                      + " not the directory it was entered from); refusing to go on");
            }
            cur.close();
            cur = parent;
            curStat = ps;
            removeDir(cur, f.name());
            continue;
          }
          Dir child = removeOrEnter(cur, curStat, e);
          if (child != null) {
            up.push(new Frame(e.name(), curStat));
            cur.close();
            cur = child;
            curStat = child.stat();
          }
        }
      } finally {
        cur.close();
      }
    }

    /** Unlinks a non-directory; returns the opened directory to descend into for one. */
    private Dir removeOrEnter(Dir cur, Stat curStat, Dir.Entry e)
        throws SyscallException, IOException {
      boolean dir = e.type() == Dir.Entry.DT_DIR;
      if (e.type() == Dir.Entry.DT_UNKNOWN) {
        Stat s = cur.lstat(e.name());
        if (s == null) {
          return null;
        }
        dir = s.isDirectory();
      }
      if (!dir) {
        try {
          cur.unlink(e.name());
          return null;
        } catch (SyscallException x) {
          switch (x.errnoName()) {
            case "ENOENT":
              return null;
            case "EISDIR":
              break; // it became a directory since it was listed: enter it below
            case "EACCES":
              // Without root's DAC override a directory without write permission keeps its
              // entries: give it to the owner and try again.
              cur.chmod(curStat.permissions() | 0700);
              cur.unlink(e.name());
              return null;
            default:
              throw x;
          }
        }
      }
      Dir child;
      try {
        child = cur.dir(e.name());
      } catch (SyscallException x) {
        switch (x.errnoName()) {
          case "ENOENT":
            return null;
          case "ELOOP":
          case "ENOTDIR":
            // Swapped for a link or a file since it was listed: that is what gets removed.
            unlinkQuietly(cur, e.name());
            return null;
          case "EXDEV":
            throw mountPoint(e);
          case "EACCES":
            child = openWithoutPermission(cur, e.name());
            break;
          default:
            throw x;
        }
      }
      Stat cs = child.stat();
      if (cs.mountId() != topStat.mountId() || cs.dev() != topStat.dev()) {
        child.close();
        throw mountPoint(e);
      }
      if ((cs.permissions() & 0700) != 0700) {
        child.chmod(cs.permissions() | 0700);
      }
      return child;
    }

    /** A directory mode 0 (not root): chmod it through an O_PATH handle, then open it. */
    private Dir openWithoutPermission(Dir cur, byte[] name) throws SyscallException {
      int p = cur.openPath(name);
      try {
        Stat s = fs.statx(p, new byte[0], FsFlags.AT_EMPTY_PATH | FsFlags.AT_SYMLINK_NOFOLLOW);
        if (s.isDirectory()) {
          fs.fchmodPath(p, s.permissions() | 0700);
        }
      } finally {
        fs.close(p);
      }
      return cur.dir(name);
    }

    private void removeDir(Dir parent, byte[] name) throws SyscallException, IOException {
      try {
        parent.rmdir(name);
      } catch (SyscallException x) {
        switch (x.errnoName()) {
          case "ENOENT":
            return;
          case "ENOTEMPTY":
            // Refilled since it was emptied: the parent is read again from its start and the
            // directory entered again. A writer that never stops is not waited for forever.
            if (++refills > REFILLS) {
              throw new IOException(
                  "cannot delete "
                      + top
                      + ": something keeps writing into it ("
                      + x.getMessage()
                      + ")");
            }
            return;
          default:
            throw x;
        }
      }
    }

    private static void unlinkQuietly(Dir cur, byte[] name) throws SyscallException {
      try {
        cur.unlink(name);
      } catch (SyscallException x) {
        if (!x.errnoName().equals("ENOENT") && !x.errnoName().equals("EISDIR")) {
          throw x;
        }
      }
    }

    private IOException mountPoint(Dir.Entry e) {
      return new IOException(
          "cannot delete "
              + top
              + ": '"
              + e.text()
              + "' under it is on another mount (a mount point); refusing to delete into it");
    }
  }

  /**
   * Mount points at or under {@code dir} (a real path) in the given mount table, deepest first —
   * the order to unmount them in.
   */
  public static List<String> mountsUnder(Path dir, Path mountinfo) throws IOException {
    String prefix = dir.toString().endsWith("/") ? dir.toString() : dir + "/";
    List<String> found = new ArrayList<>();
    List<MountEntry> entries;
    try {
      entries = MountInfoParser.parse(Files.readString(mountinfo));
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot read the mount table " + mountinfo + ": " + e.getMessage(), e);
    }
    for (MountEntry m : entries) {
      String mp = m.mountPoint();
      if (mp.equals(dir.toString()) || mp.startsWith(prefix)) {
        if (!found.contains(mp)) {
          found.add(mp);
        }
      }
    }
    // Deepest first; among equals, the order does not matter (a stacked mount is listed once).
    found.sort((a, b) -> Long.compare(depth(b), depth(a)));
    return found;
  }

  private static long depth(String p) {
    return p.chars().filter(c -> c == '/').count();
  }
}
