package org.glasshouse.helper.runtime.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts one image tarball into an empty directory, treating every byte as hostile.
 *
 * <ul>
 *   <li>Names: relative only, no {@code ..} component; {@code ./} prefixes and empty components are
 *       dropped.
 *   <li>Never through a link: every parent of an entry must be a real directory (checked without
 *       following links); an existing link or file in an entry's place is unlinked, never opened;
 *       files are created with {@code O_CREAT|O_EXCL|O_NOFOLLOW}. The checks cannot race: the
 *       target is a fresh 0700 directory of the helper, so only this extraction writes in it.
 *   <li>Symlinks: an absolute target is normal in images ({@code /bin/sh → /bin/busybox}) and is
 *       resolved inside the root at use time; any target, read from the link's directory (or from
 *       the root when absolute), that climbs above the root with {@code ..} is refused.
 *   <li>Hardlinks: the target must be an already extracted regular file inside the root.
 *   <li>Sparse members are refused: unlike every other member they could write far more than the
 *       tarball holds.
 *   <li>Device nodes and fifos are refused: the init stage creates the few devices a container
 *       gets. {@code trusted.*} and {@code security.*} xattrs are refused (file capabilities and
 *       LSM labels are not an image's to grant); other xattrs are ignored, not applied.
 *   <li>Owner (numeric uid/gid, lchown), mode and mtime are applied as in the tarball. setuid and
 *       setgid bits are kept, as every runtime keeps them: inside a container they are what the
 *       image means ({@code su}), and the capabilities level decides what they can do; on the host
 *       they are unreachable because the image store is 0700 root.
 * </ul>
 *
 * Directories get their mode and mtime last, deepest first, so writing their children neither fails
 * on a read-only mode nor changes the preserved mtime.
 */
final class TarExtractor {

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final String image;
  private final Path root;
  private final Map<Path, TarArchiveEntry> dirs = new LinkedHashMap<>();
  private int count;

  /**
   * @param image the image name, for messages
   * @param root an empty directory only this extraction writes to
   */
  TarExtractor(String image, Path root) {
    this.image = image;
    this.root = root;
  }

  /** Extracts the tarball; returns the number of entries. */
  int extract(Path tarball) throws ImageException {
    try (InputStream raw = Files.newInputStream(tarball);
        TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(raw))) {
      TarArchiveEntry e;
      while ((e = nextEntry(tar)) != null) {
        count++;
        try {
          extractEntry(e, tar);
        } catch (ImageException ex) {
          throw ex;
        } catch (IOException ex) {
          throw refuse(e, "it could not be written: " + ex);
        }
      }
      if (!dirs.containsKey(root)) {
        // No "./" member: the root gets a root dir's usual mode, not the temp dir's 0700 (a
        // container running as uid 1000 must be able to look up its own "/").
        Files.setAttribute(root, "unix:mode", 0755, NOFOLLOW);
      }
      finishDirectories();
      return count;
    } catch (ImageException e) {
      throw e;
    } catch (IOException e) {
      throw new ImageException(
          "image '" + image + "': cannot read the tarball " + tarball + ": " + e, e);
    }
  }

  private TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws ImageException {
    try {
      return tar.getNextEntry();
    } catch (IOException | IllegalArgumentException e) {
      throw new ImageException(
          "image '"
              + image
              + "': the tarball is malformed after entry "
              + count
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private void extractEntry(TarArchiveEntry e, InputStream data) throws IOException {
    checkXattrs(e);
    List<String> parts = components(e, e.getName(), "name");
    if (parts.isEmpty()) {
      if (!e.isDirectory()) {
        throw refuse(e, "it names the image root itself but is not a directory");
      }
      dirs.put(root, e);
      return;
    }
    if (e.isSparse() || e.isGNUSparse()) {
      // A sparse member expands to its declared size: a small tarball could fill the disk.
      throw refuse(e, "it is a sparse file; images must be built without --sparse");
    }
    Path target = ensureParents(e, parts);
    BasicFileAttributes existing = attrs(target);
    if (e.isDirectory()) {
      if (existing == null) {
        Files.createDirectory(target);
      } else if (!existing.isDirectory()) {
        throw refuse(e, "a non-directory of that name was extracted before");
      }
      dirs.put(target, e);
      return;
    }
    if (existing != null) {
      if (existing.isDirectory()) {
        throw refuse(e, "a directory of that name was extracted before");
      }
      // A later member replaces an earlier one (tar -r); unlinking never follows a link.
      Files.delete(target);
    }
    if (e.isSymbolicLink()) {
      checkSymlinkTarget(e, parts);
      Files.createSymbolicLink(target, Path.of(e.getLinkName()));
      owner(target, e);
      mtime(target, e);
    } else if (e.isLink()) {
      Path source = root.resolve(String.join("/", components(e, e.getLinkName(), "link target")));
      BasicFileAttributes s = attrs(source);
      if (s == null || !s.isRegularFile()) {
        throw refuse(
            e,
            "its hardlink target '"
                + e.getLinkName()
                + "' is not a regular file extracted before it");
      }
      Files.createLink(target, source);
    } else if (e.isCharacterDevice() || e.isBlockDevice()) {
      throw refuse(e, "it is a device node; the init stage creates the devices a container gets");
    } else if (e.isFIFO()) {
      throw refuse(e, "it is a fifo; images may hold only files, directories and links");
    } else if (e.isFile()) {
      try (OutputStream out =
          Files.newOutputStream(
              target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW)) {
        data.transferTo(out);
      }
      // chown before chmod: chown clears setuid/setgid bits.
      owner(target, e);
      Files.setAttribute(target, "unix:mode", e.getMode() & 07777, NOFOLLOW);
      mtime(target, e);
    } else {
      throw refuse(e, "its type '" + (char) e.getLinkFlag() + "' is not supported");
    }
  }

  private void finishDirectories() throws IOException {
    List<Map.Entry<Path, TarArchiveEntry>> list = new ArrayList<>(dirs.entrySet());
    list.sort((a, b) -> Integer.compare(b.getKey().getNameCount(), a.getKey().getNameCount()));
    for (Map.Entry<Path, TarArchiveEntry> d : list) {
      Path p = d.getKey();
      TarArchiveEntry e = d.getValue();
      owner(p, e);
      Files.setAttribute(p, "unix:mode", e.getMode() & 07777, NOFOLLOW);
      mtime(p, e);
    }
  }

  /** Creates missing parents (0755) and checks that every existing one is a real directory. */
  private Path ensureParents(TarArchiveEntry e, List<String> parts) throws IOException {
    Path p = root;
    for (int i = 0; i < parts.size() - 1; i++) {
      p = p.resolve(parts.get(i));
      BasicFileAttributes a = attrs(p);
      if (a == null) {
        Files.createDirectory(p);
        Files.setAttribute(p, "unix:mode", 0755, NOFOLLOW);
      } else if (a.isSymbolicLink()) {
        throw refuse(
            e,
            "its parent '"
                + root.relativize(p)
                + "' is a symbolic link and extraction never writes through links");
      } else if (!a.isDirectory()) {
        throw refuse(e, "its parent '" + root.relativize(p) + "' is not a directory");
      }
    }
    return p.resolve(parts.get(parts.size() - 1));
  }

  private void checkSymlinkTarget(TarArchiveEntry e, List<String> parts) throws ImageException {
    String t = e.getLinkName();
    if (t == null || t.isEmpty() || t.indexOf('\0') >= 0) {
      throw refuse(e, "its symlink target is empty or holds a NUL byte");
    }
    Deque<String> at = new ArrayDeque<>();
    if (!t.startsWith("/")) {
      at.addAll(parts.subList(0, parts.size() - 1));
    }
    for (String c : t.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (at.isEmpty()) {
          throw refuse(e, "its symlink target '" + t + "' leaves the image root");
        }
        at.removeLast();
      } else {
        at.addLast(c);
      }
    }
  }

  private void checkXattrs(TarArchiveEntry e) throws ImageException {
    for (String key : e.getExtraPaxHeaders().keySet()) {
      String k = key.replaceFirst("^(SCHILY|LIBARCHIVE)\\.xattr\\.", "");
      if (!k.equals(key) && (k.startsWith("trusted.") || k.startsWith("security."))) {
        throw refuse(
            e,
            "it carries the xattr '"
                + k
                + "'; trusted.* and security.* attributes are not an image's to set");
      }
    }
  }

  private List<String> components(TarArchiveEntry e, String name, String what)
      throws ImageException {
    if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
      throw refuse(e, "its " + what + " is empty or holds a NUL byte");
    }
    if (name.startsWith("/")) {
      throw refuse(e, "its " + what + " '" + name + "' is absolute");
    }
    List<String> parts = new ArrayList<>();
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw refuse(e, "its " + what + " '" + name + "' has a '..' component");
      }
      parts.add(c);
    }
    return parts;
  }

  private void owner(Path p, TarArchiveEntry e) throws IOException {
    long uid = e.getLongUserId();
    long gid = e.getLongGroupId();
    if (uid < 0 || uid > Integer.MAX_VALUE || gid < 0 || gid > Integer.MAX_VALUE) {
      throw refuse(e, "its owner " + uid + ":" + gid + " is out of range");
    }
    // NOFOLLOW: lchown, the link itself.
    Files.setAttribute(p, "unix:uid", (int) uid, NOFOLLOW);
    Files.setAttribute(p, "unix:gid", (int) gid, NOFOLLOW);
  }

  private static void mtime(Path p, TarArchiveEntry e) throws IOException {
    Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW)
        .setTimes(e.getLastModifiedTime(), null, null);
  }

  private static BasicFileAttributes attrs(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private ImageException refuse(TarArchiveEntry e, String reason) {
    return new ImageException(
        "image '" + image + "': entry '" + e.getName() + "' refused: " + reason);
  }
}
