package org.glasshouse.helper.runtime.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.glasshouse.helper.linux.Dir;
import org.glasshouse.helper.linux.FsCalls;
import org.glasshouse.helper.linux.Stat;
import org.glasshouse.helper.linux.SyscallException;

/**
 * Extracts one image tarball into an empty directory, treating every byte as hostile.
 *
 * <p>Where an entry goes is never decided by the text of its name alone: the root is opened once
 * and every parent is opened from it with {@code openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|
 * RESOLVE_NO_MAGICLINKS|RESOLVE_NO_XDEV)}, so a symbolic link anywhere in a path — absolute, or a
 * chain of relative ones that reads as staying inside ({@code p -> .}, {@code q -> p/p/../..}) —
 * fails the lookup instead of leading out. Everything then happens relative to that parent's fd:
 * files are created {@code O_CREAT|O_EXCL|O_NOFOLLOW}, hardlinks are {@code linkat} between two
 * such parents (the source itself never followed), owners and times of links are set with {@code
 * AT_SYMLINK_NOFOLLOW}, modes through the file's own fd.
 *
 * <ul>
 *   <li>Names: relative only, no {@code ..} component, at most {@value #PATH_MAX} bytes and {@value
 *       #NAME_MAX} per component; {@code ./} prefixes and empty components are dropped.
 *   <li>A directory is never replaced (by a link, a file or anything else), and an existing link is
 *       never a directory's place: a tarball that tries is refused. A later file, link or hardlink
 *       replaces an earlier non-directory of its name (tar -r); the old one is unlinked, never
 *       opened.
 *   <li>Symlinks: stored as text, never followed by the helper. An absolute target is normal
 *       ({@code /bin/sh -> /bin/busybox}); the kernel resolves it inside the container's root. A
 *       target that climbs above the root with {@code ..} when read from its directory is refused
 *       as obviously hostile — a lint, not the defence (the defence is that nothing follows it).
 *   <li>Hardlinks: the target must be a regular file extracted before, reached the same strict way.
 *   <li>Sparse members are refused: they could write far more than the tarball holds.
 *   <li>Device nodes, fifos (and overlay whiteouts, char 0:0) are refused: the init stage creates
 *       the few devices a container gets. {@code trusted.*} and {@code security.*} xattrs are
 *       refused (file capabilities and LSM labels are not an image's to grant), also when
 *       libarchive URL-encodes their names; other xattrs are ignored, never applied.
 *   <li>Owner (numeric uid/gid), mode and mtime are applied as in the tarball. setuid, setgid and
 *       sticky bits are kept, as every runtime keeps them: inside a container they are what the
 *       image means ({@code su}), the capabilities level (no_new_privs) decides what they can do;
 *       on the host they are unreachable because the image store is 0700 root.
 *   <li>Bounded: at most {@link Limits#maxEntries} entries, at most {@link Limits#headerBytes}
 *       bytes of header records (PAX, GNU long names) before one entry — the tar library holds
 *       those in memory.
 * </ul>
 *
 * Directories get their mode and mtime last, deepest first, so writing their children neither fails
 * on a read-only mode nor changes the preserved mtime.
 */
final class TarExtractor {

  /** The longest name the kernel takes, in bytes (PATH_MAX less the NUL). */
  static final int PATH_MAX = 4095;

  /** The longest component, in bytes. */
  static final int NAME_MAX = 255;

  /**
   * Resource bounds of one extraction.
   *
   * @param maxEntries members in the tarball
   * @param headerBytes bytes of header records (a PAX header, a GNU long name) before one entry
   */
  record Limits(int maxEntries, long headerBytes) {
    /**
     * Room for a full distribution (Debian's minbase has ~20,000 entries, a desktop ~300,000) and
     * for any real PAX header (a few hundred bytes; ACLs and capabilities are small).
     */
    static final Limits DEFAULT = new Limits(1_000_000, 256 << 10);
  }

  /** Owner, mode and mtime of a directory entry, applied at the end. */
  private record DirMeta(int uid, int gid, int mode, long sec, long nsec) {}

  private final String image;
  private final Path root;
  private final FsCalls fs;
  private final Limits limits;
  private final Map<String, DirMeta> dirs = new LinkedHashMap<>();
  private Dir rootDir;
  private int count;

  /**
   * @param image the image name, for messages
   * @param root an empty directory only this extraction writes to
   */
  TarExtractor(String image, Path root, FsCalls fs, Limits limits) {
    this.image = image;
    this.root = root;
    this.fs = fs;
    this.limits = limits;
  }

  /** Extracts the tarball; returns the number of entries. */
  int extract(Path tarball) throws ImageException {
    try (Dir r = Dir.open(fs, root);
        InputStream raw = Files.newInputStream(tarball)) {
      rootDir = r;
      HeaderBudget budget = new HeaderBudget(new BufferedInputStream(raw, 64 << 10));
      TarArchiveInputStream tar = new TarArchiveInputStream(budget);
      TarArchiveEntry e;
      while ((e = nextEntry(tar, budget)) != null) {
        if (++count > limits.maxEntries()) {
          throw new ImageException(
              "image '"
                  + image
                  + "': the tarball has more than "
                  + limits.maxEntries()
                  + " entries; no image needs that many");
        }
        try {
          extractEntry(e, tar);
        } catch (SyscallException ex) {
          throw refuse(e, "it could not be written: " + ex.getMessage());
        } catch (ImageException ex) {
          throw ex;
        } catch (IOException ex) {
          throw refuse(e, "it could not be written: " + ex.getMessage());
        }
      }
      finishDirectories();
      return count;
    } catch (ImageException e) {
      throw e;
    } catch (SyscallException e) {
      throw new ImageException(
          "image '" + image + "': cannot finish the extraction: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ImageException(
          "image '" + image + "': cannot read the tarball " + tarball + ": " + e, e);
    }
  }

  private TarArchiveEntry nextEntry(TarArchiveInputStream tar, HeaderBudget budget)
      throws ImageException {
    try {
      // The rest of the current entry's data flows freely; from there on only header records.
      if (tar.getCurrentEntry() != null) {
        tar.skip(Long.MAX_VALUE);
      }
      budget.allow(512 + limits.headerBytes());
      try {
        return tar.getNextEntry();
      } finally {
        budget.lift();
      }
    } catch (HeaderBudget.Exceeded e) {
      throw new ImageException(
          "image '"
              + image
              + "': the header records after entry "
              + count
              + " add up to more than "
              + (limits.headerBytes() >> 10)
              + " KiB (a name, link target or PAX header that large is no image's)",
          e);
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

  private void extractEntry(TarArchiveEntry e, InputStream data)
      throws IOException, SyscallException {
    checkXattrs(e);
    List<String> parts = components(e, e.getName(), "name");
    long uid = e.getLongUserId();
    long gid = e.getLongGroupId();
    if (uid < 0 || uid > Integer.MAX_VALUE || gid < 0 || gid > Integer.MAX_VALUE) {
      throw refuse(e, "its owner " + uid + ":" + gid + " is out of range");
    }
    if (parts.isEmpty()) {
      if (!e.isDirectory()) {
        throw refuse(e, "it names the image root itself but is not a directory");
      }
      dirs.put("", meta(e));
      return;
    }
    if (e.isSparse() || e.isGNUSparse()) {
      // A sparse member expands to its declared size: a small tarball could fill the disk.
      throw refuse(e, "it is a sparse file; images must be built without --sparse");
    }
    if (e.isCharacterDevice() || e.isBlockDevice()) {
      throw refuse(e, "it is a device node; the init stage creates the devices a container gets");
    }
    if (e.isFIFO()) {
      throw refuse(e, "it is a fifo; images may hold only files, directories and links");
    }
    if (!e.isDirectory() && !e.isSymbolicLink() && !e.isLink() && !e.isFile()) {
      throw refuse(e, "its type '" + (char) e.getLinkFlag() + "' is not supported");
    }
    String name = parts.get(parts.size() - 1);
    try (Dir parent = parent(e, parts, true, "name")) {
      Stat existing = parent.lstat(name);
      if (e.isDirectory()) {
        if (existing == null) {
          parent.mkdir(name, 0700);
        } else if (!existing.isDirectory()) {
          throw refuse(e, "a non-directory of that name was extracted before");
        }
        dirs.put(String.join("/", parts), meta(e));
        return;
      }
      if (existing != null && existing.isDirectory()) {
        throw refuse(e, "a directory of that name was extracted before");
      }
      if (e.isSymbolicLink()) {
        String target = checkSymlinkTarget(e, parts);
        replace(parent, name, existing);
        parent.symlink(target, name);
        parent.lchown(name, (int) uid, (int) gid);
        long[] t = mtime(e);
        parent.lsetMtime(name, t[0], t[1]);
      } else if (e.isLink()) {
        hardlink(e, parent, name, existing);
      } else {
        replace(parent, name, existing);
        // 0600 until the data is in; the tar's mode last, after chown (chown clears setuid).
        try (Dir.FileOut out = parent.create(name, 0600)) {
          data.transferTo(out);
          out.chown((int) uid, (int) gid);
          out.chmod(e.getMode() & 07777);
          long[] t = mtime(e);
          out.setMtime(t[0], t[1]);
        }
      }
    }
  }

  private static void replace(Dir parent, String name, Stat existing) throws SyscallException {
    if (existing != null) {
      // A later member replaces an earlier one (tar -r); unlinking never follows a link.
      parent.unlink(name);
    }
  }

  private void hardlink(TarArchiveEntry e, Dir parent, String name, Stat existing)
      throws IOException, SyscallException {
    List<String> src = components(e, e.getLinkName(), "hardlink target");
    if (src.isEmpty()) {
      throw refuse(e, "its hardlink target is the image root");
    }
    String srcName = src.get(src.size() - 1);
    try (Dir srcParent = parent(e, src, false, "hardlink target")) {
      Stat s = srcParent.lstat(srcName);
      if (s == null || !s.isRegularFile()) {
        throw refuse(
            e,
            "its hardlink target '"
                + e.getLinkName()
                + "' is not a regular file extracted before it");
      }
      if (s.sameFile(existing)) {
        return; // already that file (a tarball listing one link twice)
      }
      replace(parent, name, existing);
      parent.link(srcParent, srcName, name);
    }
  }

  /**
   * The directory that holds {@code parts}' last component, opened strictly from the root; with
   * {@code create} missing directories are made (0755), else a missing one is refused.
   */
  private Dir parent(TarArchiveEntry e, List<String> parts, boolean create, String what)
      throws IOException, SyscallException {
    if (parts.size() == 1) {
      return rootDir.dir(".");
    }
    String rel = String.join("/", parts.subList(0, parts.size() - 1));
    try {
      return rootDir.dir(rel);
    } catch (SyscallException first) {
      // Missing, a link, or not a directory: walk it one component at a time to say which.
    }
    Dir cur = rootDir.dir(".");
    try {
      for (int i = 0; i < parts.size() - 1; i++) {
        String c = parts.get(i);
        String upTo = String.join("/", parts.subList(0, i + 1));
        Stat s = cur.lstat(c);
        if (s == null && create) {
          cur.mkdir(c, 0755);
          try (Dir made = cur.dir(c)) {
            made.chmod(0755); // whatever the helper's umask
          }
        } else if (s == null) {
          throw refuse(e, "its " + what + " '" + e.getLinkName() + "' was not extracted before it");
        } else if (s.isSymlink()) {
          String full = clip(what.equals("name") ? e.getName() : e.getLinkName());
          throw refuse(
              e,
              "its "
                  + what
                  + " '"
                  + full
                  + "' goes through '"
                  + upTo
                  + "', a symbolic link; extraction never follows links");
        } else if (!s.isDirectory()) {
          throw refuse(e, "its parent '" + upTo + "' is not a directory");
        }
        Dir next = cur.dir(c);
        cur.close();
        cur = next;
      }
      return cur;
    } catch (IOException | SyscallException | RuntimeException ex) {
      cur.close();
      throw ex;
    }
  }

  private void finishDirectories() throws SyscallException {
    List<Map.Entry<String, DirMeta>> list = new ArrayList<>(dirs.entrySet());
    list.sort((a, b) -> Integer.compare(depth(b.getKey()), depth(a.getKey())));
    for (Map.Entry<String, DirMeta> d : list) {
      DirMeta m = d.getValue();
      try (Dir dir = rootDir.dir(d.getKey().isEmpty() ? "." : d.getKey())) {
        dir.chown(m.uid(), m.gid());
        dir.chmod(m.mode());
        dir.setMtime(m.sec(), m.nsec());
      }
    }
    if (!dirs.containsKey("")) {
      // No "./" member: the root gets a root dir's usual mode, not the temp dir's 0700 (a
      // container running as uid 1000 must be able to look up its own "/").
      rootDir.chmod(0755);
    }
  }

  private static int depth(String rel) {
    return rel.isEmpty() ? 0 : rel.split("/").length;
  }

  private static DirMeta meta(TarArchiveEntry e) {
    long[] t = mtime(e);
    return new DirMeta(
        (int) e.getLongUserId(), (int) e.getLongGroupId(), e.getMode() & 07777, t[0], t[1]);
  }

  private static long[] mtime(TarArchiveEntry e) {
    java.time.Instant i = e.getLastModifiedTime().toInstant();
    return new long[] {i.getEpochSecond(), i.getNano()};
  }

  private String checkSymlinkTarget(TarArchiveEntry e, List<String> parts) throws ImageException {
    String t = e.getLinkName();
    if (t == null || t.isEmpty() || t.indexOf('\0') >= 0) {
      throw refuse(e, "its symlink target is empty or holds a NUL byte");
    }
    int len = t.getBytes(StandardCharsets.UTF_8).length;
    if (len > PATH_MAX) {
      throw refuse(e, "its symlink target is " + len + " bytes long; at most " + PATH_MAX);
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
    return t;
  }

  private void checkXattrs(TarArchiveEntry e) throws ImageException {
    for (String key : e.getExtraPaxHeaders().keySet()) {
      String k;
      if (key.startsWith("SCHILY.xattr.")) {
        k = key.substring("SCHILY.xattr.".length());
      } else if (key.startsWith("LIBARCHIVE.xattr.")) {
        // libarchive URL-encodes the name: security%2Ecapability is security.capability.
        try {
          k =
              URLDecoder.decode(
                  key.substring("LIBARCHIVE.xattr.".length()).replace("+", "%2B"),
                  StandardCharsets.UTF_8);
        } catch (IllegalArgumentException bad) {
          throw refuse(e, "it carries the xattr key '" + key + "', which is not URL-encoded");
        }
      } else {
        continue;
      }
      if (k.startsWith("trusted.") || k.startsWith("security.")) {
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
    int len = name.getBytes(StandardCharsets.UTF_8).length;
    if (len > PATH_MAX) {
      throw refuse(e, "its " + what + " is " + len + " bytes long; at most " + PATH_MAX);
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
      int clen = c.getBytes(StandardCharsets.UTF_8).length;
      if (clen > NAME_MAX) {
        throw refuse(
            e, "its " + what + " has a component of " + clen + " bytes; at most " + NAME_MAX);
      }
      parts.add(c);
    }
    return parts;
  }

  private ImageException refuse(TarArchiveEntry e, String reason) {
    return new ImageException(
        "image '" + image + "': entry '" + clip(e.getName()) + "' refused: " + reason);
  }

  /** A name short enough for a message. */
  private static String clip(String name) {
    return name.length() > 200 ? name.substring(0, 200) + "…" : name;
  }
}
