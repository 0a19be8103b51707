package org.glasshouse.helper.runtime.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.inspect.MountEntry;
import org.glasshouse.helper.inspect.MountInfoParser;

/**
 * Recursive delete for trees the helper made (image extractions, container dirs) that may hold
 * anything an image or a container put there. It never follows a symbolic link (a link is removed
 * as a link), never crosses into another filesystem (a mount point still under the tree is an error
 * naming it, checked first from mountinfo and again by mount id while walking), and removes overlay
 * whiteouts (char 0:0) and directories without write permission. The walk goes by directory fds
 * ({@link TreeDelete}), so a tree deeper than {@code PATH_MAX} goes too.
 *
 * <p>Precondition: no process may still be writing into the tree (the runtime destroys the
 * container's cgroup first) — a walk cannot be atomic against a concurrent writer swapping a
 * directory for a link.
 */
public final class SafeDelete {

  /** The mount table consulted by default. */
  public static final Path SELF_MOUNTINFO = Path.of("/proc/self/mountinfo");

  private SafeDelete() {}

  /** {@link #deleteTree(Path, Path)} against {@code /proc/self/mountinfo}. */
  public static void deleteTree(Path dir) throws IOException {
    deleteTree(dir, SELF_MOUNTINFO);
  }

  /**
   * Deletes {@code dir} and everything under it; a missing {@code dir} is not an error (so a
   * cleanup can run twice).
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
    // The walk itself goes by directory fds (TreeDelete): no depth or path length stops it, no
    // link is followed, no other mount is entered (checked by mount id as it goes).
    TreeDelete.delete(real);
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
