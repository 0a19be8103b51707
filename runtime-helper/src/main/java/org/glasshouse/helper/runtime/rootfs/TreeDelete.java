package org.glasshouse.helper.runtime.rootfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.glasshouse.helper.linux.DirFds;

/**
 * Deletes a directory tree the way {@code rm -rf} does, with directory fds: each entry is looked at
 * ({@code statx}), entered ({@code openat}) and removed ({@code unlinkat}) relative to its open
 * parent, so no path is ever built — a tree deeper than {@code PATH_MAX} goes like any other — and
 * no symbolic link is followed ({@code AT_SYMLINK_NOFOLLOW}, {@code O_NOFOLLOW|O_DIRECTORY}: a link
 * is unlinked as a link). A directory on another mount (its mount id differs, bind mounts of the
 * same filesystem included) is never entered: that is an error naming it.
 *
 * <p>Depth costs no fds beyond {@link #MAX_OPEN}: the fds of directories far above the one being
 * emptied are closed, and reopened on the way back up through {@code ..} — checked to be the same
 * directory (inode and mount), so a tree rearranged under the walk stops it instead of sending it
 * elsewhere. Names are the kernel's bytes (a container may make names that are not UTF-8).
 *
 * <p>Precondition, as for any walk: nothing writes into the tree meanwhile (the container is dead).
 */
final class TreeDelete {

  /** Directory fds the walk keeps open at most. */
  static final int MAX_OPEN = 64;

  private TreeDelete() {}

  /** One directory on the way down. */
  private static final class Frame {
    final byte[] name;
    final long ino;
    int fd;
    Iterator<byte[]> names = null;

    Frame(byte[] name, long ino, int fd) {
      this.name = name;
      this.ino = ino;
      this.fd = fd;
    }
  }

  /**
   * Deletes {@code dir} (an absolute path whose ancestors the helper owns) and everything in it; a
   * missing {@code dir} is not an error.
   *
   * @throws IOException naming the entry (relative to {@code dir}) and the failed call
   */
  static void delete(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    byte[] top = DirFds.name(dir.getFileName().toString());
    int parentFd = DirFds.openDirectory(DirFds.AT_FDCWD, DirFds.name(parent.toString()));
    Deque<Frame> stack = new ArrayDeque<>();
    try {
      DirFds.Stat st;
      try {
        st = DirFds.stat(parentFd, top);
      } catch (DirFds.Failure e) {
        if (e.errno() == DirFds.ENOENT) {
          return;
        }
        throw e;
      }
      if (!st.isDirectory()) {
        // A link or a file in the place of the directory: remove it, never what it points to.
        DirFds.unlink(parentFd, top, false);
        return;
      }
      long mount = st.mountId();
      stack.push(enter(parentFd, top, st, mount));
      walk(parentFd, stack, mount);
    } catch (IOException e) {
      throw new IOException("cannot delete " + dir + ": " + where(stack) + e.getMessage(), e);
    } finally {
      for (Frame f : stack) {
        if (f.fd >= 0) {
          DirFds.close(f.fd);
        }
      }
      DirFds.close(parentFd);
    }
  }

  private static void walk(int parentFd, Deque<Frame> stack, long mount) throws IOException {
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      byte[] name = next(f);
      if (name == null) {
        // Empty now: back up to the parent (reopened through ".." if its fd was closed).
        stack.pop();
        Frame up = stack.peek();
        int upFd = up == null ? parentFd : reopen(up, f, mount);
        DirFds.close(f.fd);
        f.fd = -1;
        DirFds.unlink(upFd, f.name, true);
        continue;
      }
      DirFds.Stat st;
      try {
        st = DirFds.stat(f.fd, name);
      } catch (DirFds.Failure e) {
        if (e.errno() == DirFds.ENOENT) {
          continue;
        }
        throw e;
      }
      if (!st.isDirectory()) {
        // Files, links, whiteouts (char 0:0), sockets, fifos, device nodes: unlinked.
        DirFds.unlink(f.fd, name, false);
        continue;
      }
      if (st.mountId() != mount) {
        throw new IOException(
            DirFds.text(name)
                + " is a mount point (mount "
                + st.mountId()
                + ", the tree is on "
                + mount
                + "); refusing to delete into it");
      }
      stack.push(enter(f.fd, name, st, mount));
      closeFarAncestors(stack);
    }
  }

  /** Opens a directory entry to empty it, checking it is the directory that was looked at. */
  private static Frame enter(int dirFd, byte[] name, DirFds.Stat st, long mount)
      throws IOException {
    int fd;
    try {
      fd = DirFds.openDirectory(dirFd, name);
    } catch (DirFds.Failure e) {
      if (e.errno() != DirFds.EACCES) {
        throw e;
      }
      // Unreadable (mode 0 and no DAC override): make it the owner's, then open it.
      DirFds.makeSearchable(dirFd, name);
      fd = DirFds.openDirectory(dirFd, name);
    }
    Frame frame = new Frame(name, st.ino(), fd);
    DirFds.Stat opened = DirFds.stat(fd, new byte[0]);
    if (opened.ino() != st.ino() || opened.mountId() != mount) {
      DirFds.close(fd);
      throw new IOException(
          DirFds.text(name) + " changed between statx and openat: the tree is being modified");
    }
    if ((opened.mode() & 0700) != 0700) {
      // Without root's DAC override a directory lacking w or x cannot lose its entries.
      DirFds.fchmod(fd, (opened.mode() & 07777) | 0700);
    }
    return frame;
  }

  /** The next name in a directory, reading a buffer of them when the last one is used up. */
  private static byte[] next(Frame f) throws DirFds.Failure {
    if (f.names == null || !f.names.hasNext()) {
      List<byte[]> batch = DirFds.readNames(f.fd);
      if (batch.isEmpty()) {
        return null;
      }
      f.names = batch.iterator();
    }
    return f.names.next();
  }

  /** Keeps at most {@link #MAX_OPEN} fds: closes the one of the highest directory still open. */
  private static void closeFarAncestors(Deque<Frame> stack) {
    int open = 0;
    for (Frame f : stack) {
      if (f.fd >= 0) {
        open++;
      }
    }
    if (open <= MAX_OPEN) {
      return;
    }
    Iterator<Frame> fromTop = stack.descendingIterator();
    while (fromTop.hasNext()) {
      Frame f = fromTop.next();
      if (f.fd >= 0) {
        DirFds.close(f.fd);
        f.fd = -1;
        // Its listing restarts when it is reopened: what was listed and removed is gone by then.
        f.names = null;
        return;
      }
    }
  }

  /** The parent's fd, reopened through ".." of its child if it was closed on the way down. */
  private static int reopen(Frame up, Frame child, long mount) throws IOException {
    if (up.fd >= 0) {
      return up.fd;
    }
    int fd = DirFds.openParent(child.fd);
    DirFds.Stat st = DirFds.stat(fd, new byte[0]);
    if (st.ino() != up.ino || st.mountId() != mount) {
      DirFds.close(fd);
      throw new IOException(
          "the parent of " + DirFds.text(child.name) + " changed while the tree was deleted");
    }
    up.fd = fd;
    up.names = null;
    return fd;
  }

  /** Where in the tree the walk was, for an error: {@code d/d/…/d (depth 5000): }. */
  private static String where(Deque<Frame> stack) {
    if (stack.size() <= 1) {
      return "";
    }
    List<String> names = new ArrayList<>();
    Iterator<Frame> it = stack.descendingIterator();
    it.next();
    while (it.hasNext()) {
      names.add(DirFds.text(it.next().name));
    }
    String path =
        names.size() <= 8
            ? String.join("/", names)
            : String.join("/", names.subList(0, 3))
                + "/…/"
                + String.join("/", names.subList(names.size() - 3, names.size()));
    return path + " (depth " + names.size() + "): ";
  }
}
