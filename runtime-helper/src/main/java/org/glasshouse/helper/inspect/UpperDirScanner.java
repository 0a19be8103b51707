package org.glasshouse.helper.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.glasshouse.helper.linux.Dir;
import org.glasshouse.helper.linux.FsCalls;
import org.glasshouse.helper.linux.Stat;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.protocol.inspect.UpperDirEntry;

/**
 * Lists an overlay's upper directory as {@link UpperDirEntry}s: what the container wrote, deleted
 * (whiteout) or replaced wholesale (opaque directory), and — walking the lower dir alongside —
 * which of it the image has too (a copy-up) and which is new.
 */
public final class UpperDirScanner {

  /** Directories deeper than this are listed but not entered (one open fd per level). */
  static final int MAX_DEPTH = 128;

  private static final String TRUSTED_OPAQUE = "trusted.overlay.opaque";
  private static final String USER_OPAQUE = "user.overlay.opaque";

  private UpperDirScanner() {}

  /** A listing and whether it was cut short at the limit. */
  public record Listing(List<UpperDirEntry> entries, boolean truncated) {}

  /** {@link #scan(Path, Path, int)} without a lower dir: {@code inLower} stays unknown. */
  public static List<UpperDirEntry> scan(Path upper, int limit) throws IOException {
    return scan(upper, null, limit).entries();
  }

  /**
   * Walks an upper directory, at most {@code limit} entries, in directory order, depth first.
   *
   * <p>The upper dir belongs to a running container, which may change it while it is read — replace
   * a directory by a link to {@code /root} between the moment it is listed and the moment it is
   * entered. So it is walked like an image is extracted: every directory opened from its parent's
   * fd with {@code openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_XDEV)}, every entry
   * stat'ed without following it; a link is listed as a link and never entered, a directory that
   * became something else is listed as it was seen and not entered. The opaque marks are read from
   * the directory's own fd ({@code fgetxattr}); {@code trusted.*} xattrs are readable only with
   * CAP_SYS_ADMIN, so without it {@code opaque} is true (a {@code user.*} mark) or unknown. The
   * lower dir (the image, which the container cannot write) is walked the same way, in step: each
   * upper entry is looked up in the lower directory of the same path.
   *
   * @param upper the container's upper dir, as the helper made it (not a path read from the
   *     container's mount table, which the container can rewrite)
   * @param lower the overlay's lower dir, as the helper gave it; null: {@code inLower} unknown
   */
  public static Listing scan(Path upper, Path lower, int limit) throws IOException {
    FsCalls fs = FsCalls.real();
    boolean privileged = privileged();
    List<UpperDirEntry> out = new ArrayList<>();
    Deque<Dir> open = new ArrayDeque<>();
    // The lower directory of the same path as each open upper one; null where the image has none.
    List<Dir> lowers = new ArrayList<>();
    boolean haveLower = lower != null;
    Deque<String> prefix = new ArrayDeque<>();
    boolean truncated = false;
    try {
      open.push(Dir.open(fs, upper));
      Dir lowerRoot = haveLower ? openLower(fs, lower) : null;
      haveLower = lowerRoot != null;
      lowers.add(lowerRoot);
      prefix.push("");
      while (!open.isEmpty()) {
        Dir cur = open.peek();
        Dir.Entry e = cur.next();
        if (e == null) {
          open.pop().close();
          closeLower(lowers.remove(lowers.size() - 1));
          prefix.pop();
          continue;
        }
        if (out.size() >= limit) {
          truncated = true;
          break;
        }
        Stat s = cur.lstat(e.name());
        if (s == null) {
          continue; // removed since it was listed
        }
        String rel = prefix.peek() + e.text();
        Dir lowerHere = lowers.get(lowers.size() - 1);
        Stat inLower = lowerHere == null ? null : lowerHere.lstat(e.name());
        Boolean opaque = null;
        Dir child = null;
        if (s.isDirectory() && open.size() <= MAX_DEPTH) {
          child = enter(cur, e.name());
          if (child != null) {
            opaque = opaque(child, privileged);
          }
        }
        Stat.Times t = s.times();
        out.add(
            new UpperDirEntry(
                rel,
                kind(s),
                s.size(),
                s.uid(),
                s.gid(),
                String.format("%04o", s.permissions()),
                opaque,
                haveLower ? inLower != null && !isWhiteout(inLower) : null,
                t.changedNs(),
                t.bornNs() == Stat.Times.UNKNOWN ? null : t.bornNs()));
        if (child != null) {
          open.push(child);
          lowers.add(inLower != null && inLower.isDirectory() ? enter(lowerHere, e.name()) : null);
          prefix.push(rel + "/");
        }
      }
      return new Listing(out, truncated);
    } catch (SyscallException e) {
      throw new IOException("cannot list the upper dir " + upper + ": " + e.getMessage(), e);
    } finally {
      for (Dir d : open) {
        d.close();
      }
      for (Dir d : lowers) {
        closeLower(d);
      }
    }
  }

  private static Dir openLower(FsCalls fs, Path lower) {
    try {
      return Dir.open(fs, lower);
    } catch (SyscallException e) {
      return null;
    }
  }

  private static void closeLower(Dir d) {
    if (d != null) {
      d.close();
    }
  }

  /** The directory {@code name}, or null when it is no longer one (a link now, gone, a mount). */
  private static Dir enter(Dir parent, byte[] name) throws SyscallException {
    try {
      return parent.dir(name);
    } catch (SyscallException e) {
      switch (e.errnoName()) {
        case "ENOENT", "ELOOP", "ENOTDIR", "EXDEV", "EACCES":
          return null;
        default:
          throw e;
      }
    }
  }

  private static boolean isWhiteout(Stat s) {
    return s.isCharDevice() && s.rdevMajor() == 0 && s.rdevMinor() == 0;
  }

  private static String kind(Stat s) {
    if (s.isDirectory()) {
      return "dir";
    }
    if (s.isSymlink()) {
      return "symlink";
    }
    if (s.isRegularFile()) {
      return "file";
    }
    return isWhiteout(s) ? "whiteout" : "other";
  }

  /**
   * Whether a directory hides the lower layers: overlay marks it {@code trusted.overlay.opaque=y}
   * ({@code user.overlay.opaque} on userxattr mounts). Null when that cannot be known here.
   */
  private static Boolean opaque(Dir dir, boolean privileged) throws SyscallException {
    if (isY(xattr(dir, USER_OPAQUE))) {
      return true;
    }
    if (!privileged) {
      return null;
    }
    return isY(xattr(dir, TRUSTED_OPAQUE));
  }

  private static byte[] xattr(Dir dir, String name) throws SyscallException {
    try {
      return dir.xattr(name);
    } catch (SyscallException e) {
      // ENOTSUP: a filesystem without xattrs has no opaque marks either.
      if (e.errnoName().equals("EOPNOTSUPP")) {
        return null;
      }
      throw e;
    }
  }

  private static boolean isY(byte[] v) {
    return v != null && v.length > 0 && v[0] == 'y';
  }

  /** Whether this process may read trusted.* xattrs (root: the helper). */
  private static boolean privileged() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
