package org.glasshouse.helper.runtime.rootfs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One container's directory {@code <stateDir>/containers/<id>/}: a private rootfs copy for levels
 * without overlay ({@code rootfs}), or overlay's {@code upper}, {@code work} and {@code merged}.
 *
 * <p>{@code <stateDir>/containers} and each container dir are 0700: a rootfs copy may hold setuid
 * files that no host user may reach (the container reaches them through its own root, whose
 * ancestors it never traverses).
 */
public final class ContainerDirs {

  private static final Pattern ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}");
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final Path dir;
  private final Path mountinfo;

  private ContainerDirs(Path dir, Path mountinfo) {
    this.dir = dir;
    this.mountinfo = mountinfo;
  }

  /**
   * Creates {@code <stateDir>/containers/<id>/} (0700).
   *
   * @throws IOException if the id is malformed or the dir already exists
   */
  public static ContainerDirs create(Path stateDir, String id) throws IOException {
    ContainerDirs d = of(stateDir, id);
    Path parent = d.dir.getParent();
    if (!Files.isDirectory(parent, NOFOLLOW)) {
      Files.createDirectories(parent);
      Files.setAttribute(parent, "unix:mode", 0700, NOFOLLOW);
    }
    try {
      Files.createDirectory(
          d.dir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new IOException("container dir " + d.dir + " already exists", e);
    }
    return d;
  }

  /** The dirs of an existing (or already removed) container, without touching the disk. */
  public static ContainerDirs of(Path stateDir, String id) throws IOException {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IOException("bad container id '" + id + "'");
    }
    return new ContainerDirs(stateDir.resolve("containers").resolve(id), SafeDelete.SELF_MOUNTINFO);
  }

  /** The same dirs checked against another mount table (tests). */
  public ContainerDirs withMountInfo(Path mountinfo) {
    return new ContainerDirs(dir, mountinfo);
  }

  /** {@code <stateDir>/containers/<id>}. */
  public Path dir() {
    return dir;
  }

  /** The private rootfs copy ({@link #copyRootfs}). */
  public Path rootfs() {
    return dir.resolve("rootfs");
  }

  /** Overlay's upper dir: the container's writes. */
  public Path upper() {
    return dir.resolve("upper");
  }

  /** Overlay's work dir (same filesystem as upper, kernel's scratch space). */
  public Path work() {
    return dir.resolve("work");
  }

  /** Where the overlay is mounted: the container's root. */
  public Path merged() {
    return dir.resolve("merged");
  }

  /**
   * Copies an image's rootfs to {@link #rootfs()} so containers without overlay never share one:
   * links are copied as links (never followed), modes incl. setuid, owners and mtimes preserved;
   * hardlinks become separate files. Anything but files, dirs and links is refused (an extracted
   * image has nothing else).
   *
   * @return the copy
   */
  public Path copyRootfs(Path imageRootfs) throws IOException {
    try {
      return copy(imageRootfs.toRealPath(), rootfs());
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot copy the image into " + rootfs() + ": it exists already", e);
    } catch (FileSystemException e) {
      throw new IOException(
          "cannot copy the image "
              + imageRootfs
              + " into "
              + rootfs()
              + ": "
              + e.getFile()
              + ": "
              + e.getReason(),
          e);
    }
  }

  /**
   * Copies a tree as {@link #copyRootfs} does, into {@code target} (which must not exist): an
   * image's spare copy ({@code ImageStore#makeSpare}).
   *
   * @return {@code target}
   */
  public static Path copyTree(Path src, Path target) throws IOException {
    return copy(src.toRealPath(), target);
  }

  private static Path copy(Path src, Path target) throws IOException {
    List<Path[]> dirs = new ArrayList<>();
    Files.walkFileTree(
        src,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            Path t = target.resolve(src.relativize(d).toString());
            Files.createDirectory(t);
            dirs.add(new Path[] {d, t});
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            Path t = target.resolve(src.relativize(f).toString());
            if (!a.isRegularFile() && !a.isSymbolicLink()) {
              throw new IOException(
                  "cannot copy " + f + " into " + t + ": only files, dirs and links are copied");
            }
            // COPY_ATTRIBUTES: owner first, then the full mode (setuid kept), then times.
            Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
            return FileVisitResult.CONTINUE;
          }
        });
    // Directory attributes last, so creating their entries does not change the copied mtime.
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Path s = dirs.get(i)[0];
      Path t = dirs.get(i)[1];
      Map<String, Object> a = Files.readAttributes(s, "unix:uid,gid,mode", NOFOLLOW);
      Files.setAttribute(t, "unix:uid", a.get("uid"), NOFOLLOW);
      Files.setAttribute(t, "unix:gid", a.get("gid"), NOFOLLOW);
      Files.setAttribute(t, "unix:mode", (Integer) a.get("mode") & 07777, NOFOLLOW);
      BasicFileAttributes b = Files.readAttributes(s, BasicFileAttributes.class, NOFOLLOW);
      Files.getFileAttributeView(t, BasicFileAttributeView.class, NOFOLLOW)
          .setTimes(b.lastModifiedTime(), b.lastAccessTime(), null);
    }
    return target;
  }

  /** Creates {@code upper}, {@code work} and {@code merged} for an overlay mount. */
  public ContainerDirs overlay() throws IOException {
    for (Path p : List.of(upper(), work(), merged())) {
      try {
        Files.createDirectory(p);
      } catch (FileAlreadyExistsException e) {
        throw new IOException("cannot make the overlay dir " + p + ": it exists already", e);
      }
      // The upper dir becomes the container's root dir: 0755 as any root dir, not 0700.
      Files.setAttribute(p, "unix:mode", 0755, NOFOLLOW);
    }
    return this;
  }

  /**
   * overlay's mount data: {@code lowerdir=<lower>,upperdir=<upper>,workdir=<work>}.
   *
   * @throws IOException if a path holds {@code ,} or {@code :}, which would split the options
   */
  public String overlayOptions(Path lower) throws IOException {
    return "lowerdir="
        + checked(lower)
        + ",upperdir="
        + checked(upper())
        + ",workdir="
        + checked(work());
  }

  private static String checked(Path p) throws IOException {
    String s = p.toAbsolutePath().toString();
    if (s.indexOf(',') >= 0 || s.indexOf(':') >= 0) {
      throw new IOException(
          "overlay path " + s + " holds ',' or ':', which overlay's option string cannot carry");
    }
    return s;
  }

  /**
   * Deletes the container dir ({@link SafeDelete}): never follows links, never crosses a mount
   * point — mounts still under it are an error naming them; the runtime unmounts first. Idempotent.
   */
  public void delete() throws IOException {
    SafeDelete.deleteTree(dir, mountinfo);
  }
}
