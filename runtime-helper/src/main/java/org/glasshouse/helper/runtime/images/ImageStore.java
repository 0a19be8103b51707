package org.glasshouse.helper.runtime.images;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.glasshouse.helper.linux.FsCalls;
import org.glasshouse.helper.runtime.rootfs.ContainerDirs;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;

/**
 * The helper's images: tarballs {@code <imagesDir>/<name>.tar}, each extracted once into {@code
 * <stateDir>/images/<name>/rootfs} (the shared, read-only lower layer and the source of level-01
 * copies).
 *
 * <p>Extraction goes into a fresh 0700 temp dir next to the rootfs and is renamed into place
 * atomically, so a rootfs is either complete or absent; concurrent callers for the same image wait
 * for one extraction (a lock per name; other images extract in parallel). A refused image leaves
 * nothing behind.
 *
 * <p>Staleness: {@code rootfs.source} next to the rootfs records the tarball's size, mtime and
 * inode at extraction. A tarball whose record differs is re-extracted on the next request — but
 * only when no container holds a {@link Lease} on the image (an overlay's lower layer must not
 * change under it); while leases are held the current extraction keeps being served. A checksum was
 * not chosen: hashing a large image on every start costs more than it protects against on a
 * directory only root writes.
 *
 * <p>Spare copies (issue 16): a container without overlay (levels 01-03) gets a private copy of the
 * rootfs, ~200 ms of the kernel's time for busybox's 18.6 MB on this machine. {@link #makeSpare}
 * makes one such copy ahead, in {@code <stateDir>/images/<name>/.spare-*}, and {@link #takeSpare}
 * hands it to a start, which renames it into place instead of copying. A spare is made under a
 * lease (the rootfs cannot be re-extracted under the copy) and dropped with the extraction it was
 * made from; a helper's first {@code makeSpare} of an image removes what an earlier helper left.
 *
 * <p>{@code <stateDir>/images} is 0700: image trees may hold setuid files (kept as in the tar),
 * which no host user may reach.
 */
public final class ImageStore {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final String MARKER = "rootfs.source";

  private final Path imagesDir;
  private final Path store;
  private final TarExtractor.Limits limits;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();

  /** Told the name of an image whose spare was taken (a new one may be made); none by default. */
  private volatile java.util.function.Consumer<String> spareTaken = name -> {};

  /** Per-image lock and lease count, and its spare copy. */
  private static final class Slot {
    int leases;

    /** Ready private copies of the current extraction's rootfs. */
    final java.util.ArrayDeque<Path> spares = new java.util.ArrayDeque<>();

    /** How many spares are being made. */
    int making;

    /** Whether this helper made a spare of the image before (earlier helpers' are removed). */
    boolean sparesCleared;
  }

  /**
   * @param imagesDir where the tarballs are ({@code <name>.tar})
   * @param stateDir the helper's state dir; images are extracted under {@code images/}
   */
  public ImageStore(Path imagesDir, Path stateDir) {
    this(imagesDir, stateDir, TarExtractor.Limits.DEFAULT);
  }

  /** With other resource bounds for the extraction (tests). */
  ImageStore(Path imagesDir, Path stateDir, TarExtractor.Limits limits) {
    this.imagesDir = imagesDir;
    this.store = stateDir.resolve("images");
    this.limits = limits;
  }

  /**
   * Checks an image name.
   *
   * @throws ImageException when it is not {@code [a-z0-9][a-z0-9._-]{0,63}}
   */
  public static String validateName(String name) throws ImageException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ImageException(
          "bad image name '"
              + name
              + "': use 1-64 of a-z 0-9 . _ - starting with a letter or digit");
    }
    return name;
  }

  /** The tarball an image comes from. */
  public Path tarball(String name) throws ImageException {
    return imagesDir.resolve(validateName(name) + ".tar");
  }

  /**
   * The extracted rootfs of an image, extracting it first if needed (or re-extracting a stale one
   * nobody leases). Does not take a lease: use {@link #acquire} for a rootfs a container keeps
   * using.
   */
  public Path rootfs(String name) throws ImageException {
    Slot slot = slot(name);
    synchronized (slot) {
      return ensure(name, slot);
    }
  }

  /**
   * Like {@link #rootfs} and holds a lease until closed: while any lease is held the image is never
   * re-extracted.
   */
  public Lease acquire(String name) throws ImageException {
    Slot slot = slot(name);
    synchronized (slot) {
      Path p = ensure(name, slot);
      slot.leases++;
      return new Lease(name, p, slot);
    }
  }

  /** The lock of an image that has a tarball: unknown names never grow the map. */
  private Slot slot(String name) throws ImageException {
    Path tar = tarball(name);
    if (!Files.isRegularFile(tar)) {
      throw missing(name, tar);
    }
    return slots.computeIfAbsent(name, n -> new Slot());
  }

  /**
   * The images the launcher has a recipe for ({@code ./glasshouse images build NAME}, the folders
   * of the repository's {@code images/}; ImageStoreTest keeps the two in step).
   */
  static final List<String> RECIPES = List.of("busybox", "debian");

  /**
   * What a student reads when the Image field names no image: the images there are, and a recipe
   * only for a name that has one (told to build "nosuchimage", the launcher answers with a usage
   * error).
   */
  private ImageException missing(String name, Path tar) {
    String text = "no image '" + name + "': " + tar + " does not exist";
    if (RECIPES.contains(name)) {
      return new ImageException(text + " (build it with ./glasshouse images build " + name + ")");
    }
    List<String> here = present();
    return new ImageException(
        text
            + "; "
            + (here.isEmpty()
                ? "there is no image yet"
                : "the images here: " + String.join(", ", here))
            + " (more from a recipe: ./glasshouse images build "
            + String.join("|", RECIPES)
            + ")");
  }

  /** The names of the tarballs in the images directory, sorted; none when it cannot be read. */
  private List<String> present() {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> d = Files.newDirectoryStream(imagesDir, "*.tar")) {
      for (Path p : d) {
        String n = p.getFileName().toString();
        n = n.substring(0, n.length() - ".tar".length());
        if (NAME.matcher(n).matches() && Files.isRegularFile(p)) {
          names.add(n);
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    names.sort(Comparator.naturalOrder());
    return names;
  }

  /** A container's hold on an image's rootfs. Closing twice is harmless. */
  public static final class Lease implements AutoCloseable {
    private final String name;
    private final Path rootfs;
    private final Slot slot;
    private boolean closed;

    private Lease(String name, Path rootfs, Slot slot) {
      this.name = name;
      this.rootfs = rootfs;
      this.slot = slot;
    }

    /** The image name. */
    public String name() {
      return name;
    }

    /** The extracted rootfs. */
    public Path rootfs() {
      return rootfs;
    }

    @Override
    public void close() {
      synchronized (slot) {
        if (!closed) {
          closed = true;
          slot.leases--;
        }
      }
    }
  }

  /** How many spare copies of an image {@link #makeSpare} keeps: one per level that copies. */
  public static final int SPARES = 3;

  /**
   * Makes a spare private copy of the image's rootfs (extracting the image first when needed),
   * unless {@link #SPARES} are ready or being made. Slow (a whole copy): meant for a background
   * thread.
   *
   * @return whether it made one
   */
  public boolean makeSpare(String name) throws ImageException {
    Slot slot = slot(name);
    Path dir = store.resolve(name);
    Lease lease;
    synchronized (slot) {
      if (!slot.sparesCleared) {
        try {
          removeSpares(dir);
        } catch (IOException e) {
          throw new ImageException(
              "image '" + name + "': cannot remove the spare copies left in " + dir + ": " + e, e);
        }
        slot.sparesCleared = true;
      }
      if (slot.spares.size() + slot.making >= SPARES) {
        return false;
      }
      Path p = ensure(name, slot);
      slot.leases++;
      slot.making++;
      lease = new Lease(name, p, slot);
    }
    Path tmp = null;
    try (lease) {
      tmp = Files.createTempDirectory(dir, SPARE, PRIVATE);
      Path copy = ContainerDirs.copyTree(lease.rootfs(), tmp.resolve("rootfs"));
      synchronized (slot) {
        slot.spares.add(copy);
        tmp = null;
      }
      return true;
    } catch (IOException e) {
      throw new ImageException("image '" + name + "': cannot make a spare copy: " + e, e);
    } finally {
      synchronized (slot) {
        slot.making--;
      }
      if (tmp != null) {
        try {
          SafeDelete.deleteTree(tmp);
        } catch (IOException e) {
          // Removed with the next extraction or by the next helper's first spare.
        }
      }
    }
  }

  /**
   * Takes a ready spare copy of {@code lease}'s image ({@link #makeSpare}): from now on the
   * caller's, to rename into place ({@link #adoptSpare}). Null when none is ready.
   */
  public Path takeSpare(Lease lease) {
    Path spare;
    synchronized (lease.slot) {
      spare = lease.slot.spares.poll();
    }
    // Taken or missing, one more is worth making: this image is run without overlay.
    spareTaken.accept(lease.name());
    return spare;
  }

  /**
   * Who is told when a start looks for a spare ({@link #takeSpare}), taking one or finding none:
   * the one that makes the next.
   */
  public void onSpareTaken(java.util.function.Consumer<String> who) {
    this.spareTaken = java.util.Objects.requireNonNull(who);
  }

  /**
   * Renames a spare copy ({@link #takeSpare}) to {@code target} (which must not exist, on the same
   * filesystem) and removes the spare's empty directory.
   *
   * @return {@code target}
   */
  public static Path adoptSpare(Path spare, Path target) throws IOException {
    Files.move(spare, target, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(spare.getParent());
    return target;
  }

  /** Every image with a tarball, by name. A missing images dir is an empty list. */
  public List<ImageInfo> list() throws ImageException {
    List<ImageInfo> out = new ArrayList<>();
    if (!Files.isDirectory(imagesDir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(imagesDir, "*.tar")) {
      for (Path tar : ds) {
        String file = tar.getFileName().toString();
        String name = file.substring(0, file.length() - ".tar".length());
        if (!NAME.matcher(name).matches() || !Files.isRegularFile(tar)) {
          continue;
        }
        Path dir = store.resolve(name);
        boolean ready =
            Files.isDirectory(dir.resolve("rootfs"), LinkOption.NOFOLLOW_LINKS)
                && fingerprint(tar).equals(readMarker(dir));
        out.add(new ImageInfo(name, Files.size(tar), ready));
      }
    } catch (IOException e) {
      throw new ImageException("cannot list the images in " + imagesDir + ": " + e, e);
    }
    out.sort(Comparator.comparing(ImageInfo::name));
    return out;
  }

  private Path ensure(String name, Slot slot) throws ImageException {
    Path tar = tarball(name);
    if (!Files.isRegularFile(tar)) {
      throw missing(name, tar);
    }
    Path dir = store.resolve(name);
    Path rootfs = dir.resolve("rootfs");
    try {
      String fp = fingerprint(tar);
      boolean present = Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS);
      if (present && (fp.equals(readMarker(dir)) || slot.leases > 0)) {
        return rootfs;
      }
      boolean madeDir = !Files.isDirectory(dir);
      createPrivateDir(store);
      createPrivateDir(dir);
      // No lease is held, so no spare is being made: a ready one is of the old extraction.
      slot.spares.clear();
      removeLeftovers(dir);
      Path tmp = Files.createTempDirectory(dir, ".extract-", PRIVATE);
      try {
        new TarExtractor(name, tmp, FsCalls.real(), limits).extract(tar);
      } catch (ImageException e) {
        cleanupAfterFailure(tmp, madeDir ? dir : null, e);
        throw e;
      }
      // The marker goes first, the rootfs last: a crash in between leaves a rootfs without a
      // matching marker, which is re-extracted — never a marker vouching for a half tree.
      Files.deleteIfExists(dir.resolve(MARKER));
      if (present) {
        Path old = Files.createTempDirectory(dir, ".old-", PRIVATE);
        Files.delete(old);
        Files.move(rootfs, old, StandardCopyOption.ATOMIC_MOVE);
        SafeDelete.deleteTree(old);
      }
      Files.move(tmp, rootfs, StandardCopyOption.ATOMIC_MOVE);
      Path m = dir.resolve(MARKER + ".tmp");
      Files.writeString(m, fp);
      Files.move(m, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE);
      return rootfs;
    } catch (ImageException e) {
      throw e;
    } catch (AtomicMoveNotSupportedException e) {
      throw new ImageException("image '" + name + "': cannot rename into place in " + dir, e);
    } catch (IOException e) {
      throw new ImageException("image '" + name + "': cannot extract into " + dir + ": " + e, e);
    }
  }

  private static final String SPARE = ".spare-";

  private static final java.nio.file.attribute.FileAttribute<?> PRIVATE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private static void createPrivateDir(Path d) throws IOException {
    if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(d.getParent());
      Files.createDirectory(d, PRIVATE);
    }
    Files.setAttribute(d, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
  }

  /** Temp trees of an extraction a dead helper did not finish. Called under the image's lock. */
  private static void removeLeftovers(Path dir) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".{extract,old,spare}-*")) {
      for (Path p : ds) {
        SafeDelete.deleteTree(p);
      }
    }
  }

  /** Spare copies an earlier helper left. Called under the image's lock. */
  private static void removeSpares(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, SPARE + "*")) {
      for (Path p : ds) {
        SafeDelete.deleteTree(p);
      }
    }
  }

  private static void cleanupAfterFailure(Path tmp, Path madeDir, ImageException e) {
    try {
      SafeDelete.deleteTree(tmp);
      if (madeDir != null) {
        Files.deleteIfExists(madeDir);
      }
    } catch (IOException ce) {
      e.addSuppressed(ce);
    }
  }

  private static String fingerprint(Path tar) throws IOException {
    Map<String, Object> a = Files.readAttributes(tar, "unix:size,lastModifiedTime,ino");
    return "size="
        + a.get("size")
        + " mtime="
        + a.get("lastModifiedTime")
        + " ino="
        + a.get("ino")
        + "\n";
  }

  private static String readMarker(Path dir) throws IOException {
    try {
      return Files.readString(dir.resolve(MARKER));
    } catch (NoSuchFileException e) {
      return "";
    }
  }
}
