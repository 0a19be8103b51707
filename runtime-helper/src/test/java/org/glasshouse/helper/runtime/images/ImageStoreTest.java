package org.glasshouse.helper.runtime.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  @TempDir Path tmp;
  Path images;
  Path state;
  Path outside;
  ImageStore store;
  int uid;
  int gid;

  @BeforeEach
  void setUp() throws IOException {
    images = Files.createDirectory(tmp.resolve("images"));
    state = Files.createDirectory(tmp.resolve("state"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("victim"), "untouched");
    store = new ImageStore(images, state);
    uid = TestSupport.uid();
    gid = TestSupport.gid();
  }

  private Tars tar(String name) throws IOException {
    return new Tars(images.resolve(name + ".tar"), uid, gid);
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 07777;
  }

  @Test
  void goodImageExtractsWithModesLinksAndTimes() throws IOException {
    try (Tars t = tar("good")) {
      t.dir("./", 0755)
          .dir("bin/", 0755)
          .file("bin/busybox", 0755, "#!busybox")
          .file("bin/su", 04755, "setuid kept")
          .symlink("bin/sh", "/bin/busybox")
          .symlink("bin/ls", "../bin/busybox")
          .hardlink("bin/busybox2", "bin/busybox")
          .file("etc/passwd", 0640, "root:x:0:0") // parent dir implied, made 0755
          .dir("ro/", 0555)
          .file("ro/inside", 0444, "x")
          .dir("tmp", 01777);
    }
    Path root = store.rootfs("good");
    assertEquals(state.resolve("images/good/rootfs"), root);
    assertEquals("#!busybox", Files.readString(root.resolve("bin/busybox")));
    assertEquals(0755, mode(root.resolve("bin/busybox")));
    assertEquals(04755, mode(root.resolve("bin/su")), "setuid is kept as in the tar");
    assertEquals(0640, mode(root.resolve("etc/passwd")));
    assertEquals(0755, mode(root.resolve("etc")));
    assertEquals(0555, mode(root.resolve("ro")));
    assertEquals(01777, mode(root.resolve("tmp")));
    assertEquals(Path.of("/bin/busybox"), Files.readSymbolicLink(root.resolve("bin/sh")));
    assertEquals(Path.of("../bin/busybox"), Files.readSymbolicLink(root.resolve("bin/ls")));
    assertEquals(
        Files.getAttribute(root.resolve("bin/busybox"), "unix:ino"),
        Files.getAttribute(root.resolve("bin/busybox2"), "unix:ino"));
    assertEquals(uid, Files.getAttribute(root.resolve("bin/sh"), "unix:uid", NOFOLLOW));
    assertEquals(gid, Files.getAttribute(root.resolve("etc/passwd"), "unix:gid", NOFOLLOW));
    assertEquals(Tars.MTIME, Files.getLastModifiedTime(root.resolve("bin/busybox")));
    assertEquals(Tars.MTIME, Files.getLastModifiedTime(root.resolve("bin"), NOFOLLOW));
    assertEquals(0700, mode(state.resolve("images")));
    assertEquals(
        List.of(new ImageInfo("good", Files.size(images.resolve("good.tar")), true)), store.list());
  }

  @Test
  void ownersComeFromTheTarWhenRoot() throws IOException {
    TestSupport.requireRoot("chown tests");
    try (Tars t = new Tars(images.resolve("owned.tar"), 1000, 1001)) {
      t.dir("home/", 0755).symlink("home/link", "/x").file("home/f", 02750, "x");
    }
    Path root = store.rootfs("owned");
    assertEquals(1000, Files.getAttribute(root.resolve("home/link"), "unix:uid", NOFOLLOW));
    assertEquals(1001, Files.getAttribute(root.resolve("home/f"), "unix:gid", NOFOLLOW));
    assertEquals(02750, mode(root.resolve("home/f")), "chown before chmod keeps setgid");
    assertEquals(1000, Files.getAttribute(root.resolve("home"), "unix:uid", NOFOLLOW));
  }

  private void assertRefused(String image, String... fragments) {
    ImageException e = assertThrows(ImageException.class, () -> store.rootfs(image));
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
    }
    assertFalse(Files.exists(state.resolve("images/" + image), NOFOLLOW), "nothing left behind");
  }

  @Test
  void refusesDotDot() throws IOException {
    try (Tars t = tar("dotdot")) {
      t.file("ok", 0644, "x").file("a/../../outside/victim", 0644, "owned");
    }
    assertRefused("dotdot", "'a/../../outside/victim'", "'..'");
    assertEquals("untouched", Files.readString(outside.resolve("victim")));
  }

  @Test
  void refusesAbsoluteNames() throws IOException {
    try (Tars t = tar("abs")) {
      t.file(outside.resolve("victim").toString(), 0644, "owned");
    }
    assertRefused("abs", "is absolute");
    assertEquals("untouched", Files.readString(outside.resolve("victim")));
  }

  @Test
  void refusesRelativeSymlinkClimbingOut() throws IOException {
    try (Tars t = tar("climb")) {
      t.dir("a/", 0755).symlink("a/esc", "../../etc/passwd");
    }
    assertRefused("climb", "'a/esc'", "leaves the image root");
  }

  @Test
  void refusesAbsoluteSymlinkClimbingAboveRoot() throws IOException {
    try (Tars t = tar("absclimb")) {
      t.symlink("esc", "/../etc");
    }
    assertRefused("absclimb", "leaves the image root");
  }

  @Test
  void refusesWritingThroughASymlinkedParent() throws IOException {
    try (Tars t = tar("through")) {
      t.symlink("d", outside.toString()).file("d/victim", 0644, "owned");
    }
    assertRefused("through", "'d/victim'", "symbolic link");
    assertEquals("untouched", Files.readString(outside.resolve("victim")));
  }

  @Test
  void replacesAnEarlierSymlinkInsteadOfWritingThroughIt() throws IOException {
    try (Tars t = tar("replace")) {
      t.symlink("f", outside.resolve("victim").toString()).file("f", 0600, "mine");
    }
    Path root = store.rootfs("replace");
    assertEquals("untouched", Files.readString(outside.resolve("victim")));
    assertTrue(Files.isRegularFile(root.resolve("f"), NOFOLLOW));
    assertEquals("mine", Files.readString(root.resolve("f")));
  }

  @Test
  void refusesHardlinkOutsideOrToNonFiles() throws IOException {
    try (Tars t = tar("hl1")) {
      t.hardlink("h", "../outside/victim");
    }
    assertRefused("hl1", "'h'", "'..'");
    try (Tars t = tar("hl2")) {
      t.hardlink("h", outside.resolve("victim").toString());
    }
    assertRefused("hl2", "is absolute");
    try (Tars t = tar("hl3")) {
      t.symlink("s", "/etc/shadow").hardlink("h", "s");
    }
    assertRefused("hl3", "'h'", "not a regular file");
    try (Tars t = tar("hl4")) {
      t.dir("d/", 0755).hardlink("h", "d");
    }
    assertRefused("hl4", "not a regular file");
    try (Tars t = tar("hl5")) {
      t.hardlink("h", "later").file("later", 0644, "x");
    }
    assertRefused("hl5", "extracted before");
  }

  @Test
  void refusesDevicesAndFifos() throws IOException {
    try (Tars t = tar("chr")) {
      t.special("dev/null", TarConstants.LF_CHR);
    }
    assertRefused("chr", "'dev/null'", "device node");
    try (Tars t = tar("blk")) {
      t.special("dev/sda", TarConstants.LF_BLK);
    }
    assertRefused("blk", "device node");
    try (Tars t = tar("fifo")) {
      t.special("p", TarConstants.LF_FIFO);
    }
    assertRefused("fifo", "'p'", "fifo");
  }

  @Test
  void refusesSparseFiles() throws Exception {
    // GNU tar writes the sparse member exactly as a hostile image would carry it.
    Path src = Files.createDirectory(tmp.resolve("sparse-src"));
    try (var f =
        java.nio.channels.FileChannel.open(
            src.resolve("disk.img"),
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      f.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 64L << 20);
    }
    Process tar =
        new ProcessBuilder(
                "tar",
                "--sparse",
                "--format=posix",
                "-C",
                src.toString(),
                "-cf",
                images.resolve("sparse.tar").toString(),
                "disk.img")
            .redirectErrorStream(true)
            .start();
    TestSupport.require(tar.waitFor() == 0, "GNU tar could not write a sparse archive");
    assertTrue(Files.size(images.resolve("sparse.tar")) < (1 << 20), "the tarball is small");
    assertRefused("sparse", "'", "sparse");
  }

  @Test
  void refusesTrustedAndSecurityXattrs() throws IOException {
    try (Tars t = tar("cap")) {
      t.file(
          "bin/ping", 0755, "x", e -> e.addPaxHeader("SCHILY.xattr.security.capability", "\u0001"));
    }
    assertRefused("cap", "'bin/ping'", "security.capability");
    try (Tars t = tar("opaque")) {
      t.file("d/f", 0644, "x", e -> e.addPaxHeader("SCHILY.xattr.trusted.overlay.opaque", "y"));
    }
    assertRefused("opaque", "trusted.overlay.opaque");
    try (Tars t = tar("userattr")) {
      t.file("f", 0644, "x", e -> e.addPaxHeader("SCHILY.xattr.user.note", "fine"));
    }
    assertTrue(Files.isRegularFile(store.rootfs("userattr").resolve("f")));
  }

  @Test
  void refusesTruncatedTarballAndBadNamesAndMissingImages() throws IOException {
    try (Tars t = tar("whole")) {
      t.file("big", 0644, "x".repeat(5000));
    }
    byte[] all = Files.readAllBytes(images.resolve("whole.tar"));
    Files.write(images.resolve("cut.tar"), java.util.Arrays.copyOf(all, 1024));
    ImageException e = assertThrows(ImageException.class, () -> store.rootfs("cut"));
    assertTrue(e.getMessage().startsWith("image 'cut'"), e.getMessage());
    assertFalse(Files.exists(state.resolve("images/cut")));
    assertTrue(
        assertThrows(ImageException.class, () -> store.rootfs("../etc"))
            .getMessage()
            .contains("bad image name '../etc'"));
    assertThrows(ImageException.class, () -> store.rootfs("Busybox"));
    assertTrue(
        assertThrows(ImageException.class, () -> store.rootfs("nope"))
            .getMessage()
            .contains("nope.tar does not exist"));
  }

  /**
   * Issue #14, class walk: Image "nosuchimage" at level 03 said "build it with ./glasshouse images
   * build nosuchimage", a recipe that does not exist (the launcher answers that with its usage
   * error). A name without a recipe is told the images there are and the recipes; a name with one
   * is told to build it.
   */
  @Test
  void aMissingImageIsToldWhatThereIsAndARecipeOnlyWhenOneExists() throws IOException {
    try (Tars t = tar("busybox")) {
      t.file("bin/sh", 0755, "x");
    }
    try (Tars t = tar("alpine")) {
      t.file("bin/sh", 0755, "x");
    }
    String unknown =
        assertThrows(ImageException.class, () -> store.rootfs("nosuchimage")).getMessage();
    assertTrue(unknown.startsWith("no image 'nosuchimage': "), unknown);
    assertTrue(unknown.contains("nosuchimage.tar does not exist"), unknown);
    assertTrue(unknown.contains("the images here: alpine, busybox"), unknown);
    assertFalse(unknown.contains("images build nosuchimage"), unknown);
    assertTrue(unknown.contains("./glasshouse images build busybox|debian"), unknown);
    String recipe = assertThrows(ImageException.class, () -> store.rootfs("debian")).getMessage();
    assertTrue(recipe.endsWith("(build it with ./glasshouse images build debian)"), recipe);
    Files.delete(images.resolve("busybox.tar"));
    Files.delete(images.resolve("alpine.tar"));
    String none = assertThrows(ImageException.class, () -> store.rootfs("nope")).getMessage();
    assertTrue(none.contains("there is no image yet"), none);
  }

  /** The recipes the message names are the repository's: a folder under images/ each. */
  @Test
  void theRecipesAreTheRepositorysImageFolders() throws IOException {
    Path repo = Path.of("").toAbsolutePath().getParent().resolve("images");
    List<String> folders;
    try (var d = Files.list(repo)) {
      folders = d.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(folders, ImageStore.RECIPES.stream().sorted().toList());
  }

  @Test
  void concurrentCallersShareOneExtraction() throws Exception {
    try (Tars t = tar("shared")) {
      for (int i = 0; i < 200; i++) {
        t.file("f" + i, 0644, "content " + i);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Path>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                return store.rootfs("shared");
              }));
    }
    go.countDown();
    Object ino = null;
    for (Future<Path> f : results) {
      Path p = f.get();
      Object i = Files.getAttribute(p, "unix:ino");
      assertTrue(ino == null || ino.equals(i), "every caller got the same extraction");
      ino = i;
    }
    pool.shutdown();
    try (var ls = Files.list(state.resolve("images/shared"))) {
      assertEquals(
          List.of("rootfs", "rootfs.source"),
          ls.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void changedTarballIsReextractedOnlyWhenNotLeased() throws IOException {
    try (Tars t = tar("img")) {
      t.file("v1", 0644, "1");
    }
    ImageStore.Lease lease = store.acquire("img");
    assertTrue(Files.exists(lease.rootfs().resolve("v1")));
    try (Tars t = tar("img")) {
      t.file("v2", 0644, "2");
    }
    Files.setLastModifiedTime(images.resolve("img.tar"), FileTime.fromMillis(1234));
    assertFalse(store.list().get(0).ready(), "the changed tarball is not what is extracted");
    Path same = store.rootfs("img");
    assertTrue(Files.exists(same.resolve("v1")), "leased: the old extraction stays");
    lease.close();
    lease.close();
    Path fresh = store.rootfs("img");
    assertTrue(Files.exists(fresh.resolve("v2")));
    assertFalse(Files.exists(fresh.resolve("v1")));
    assertTrue(store.list().get(0).ready());
    assertNotEquals(null, fresh);
  }

  private List<String> spareDirs(String image) throws IOException {
    try (var ls = Files.list(state.resolve("images").resolve(image))) {
      return ls.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(".spare-"))
          .sorted()
          .toList();
    }
  }

  @Test
  void sparesAreCopiesMadeAheadAndRenamedIntoPlace() throws IOException {
    try (Tars t = tar("img")) {
      t.dir("bin/", 0755).file("bin/sh", 04755, "#!sh").symlink("bin/ls", "sh");
    }
    List<String> told = new ArrayList<>();
    store.onSpareTaken(told::add);
    for (int i = 0; i < ImageStore.SPARES; i++) {
      assertTrue(store.makeSpare("img"), "spare " + (i + 1) + " of " + ImageStore.SPARES);
    }
    assertFalse(store.makeSpare("img"), "no more than SPARES are kept");
    assertEquals(ImageStore.SPARES, spareDirs("img").size());
    Path target = Files.createDirectory(tmp.resolve("container")).resolve("rootfs");
    try (ImageStore.Lease lease = store.acquire("img")) {
      Path spare = store.takeSpare(lease);
      assertEquals(List.of("img"), told, "the store says a spare was taken");
      assertEquals(target, ImageStore.adoptSpare(spare, target));
      assertFalse(Files.exists(spare.getParent()), "the spare's own dir is removed");
      assertEquals("#!sh", Files.readString(target.resolve("bin/sh")));
      assertEquals(04755, mode(target.resolve("bin/sh")));
      assertEquals(Path.of("sh"), Files.readSymbolicLink(target.resolve("bin/ls")));
      assertNotEquals(
          Files.getAttribute(lease.rootfs().resolve("bin/sh"), "unix:ino"),
          Files.getAttribute(target.resolve("bin/sh"), "unix:ino"),
          "a copy, not the image's own file");
      Files.writeString(target.resolve("bin/sh"), "changed");
      assertEquals("#!sh", Files.readString(lease.rootfs().resolve("bin/sh")));
    }
    assertEquals(ImageStore.SPARES - 1, spareDirs("img").size());
    assertTrue(store.makeSpare("img"), "the taken one is made again");
  }

  @Test
  void aReextractionDropsTheSparesOfTheOldOne() throws IOException {
    try (Tars t = tar("img")) {
      t.file("v1", 0644, "1");
    }
    assertTrue(store.makeSpare("img"));
    try (Tars t = tar("img")) {
      t.file("v2", 0644, "2");
    }
    Files.setLastModifiedTime(images.resolve("img.tar"), FileTime.fromMillis(1234));
    store.rootfs("img");
    assertEquals(List.of(), spareDirs("img"));
    try (ImageStore.Lease lease = store.acquire("img")) {
      assertEquals(null, store.takeSpare(lease), "none of the new extraction yet");
    }
    assertTrue(store.makeSpare("img"));
    try (ImageStore.Lease lease = store.acquire("img")) {
      Path spare = store.takeSpare(lease);
      assertTrue(Files.exists(spare.resolve("v2")));
      assertFalse(Files.exists(spare.resolve("v1")));
    }
  }

  @Test
  void aNewHelpersFirstSpareRemovesWhatAnEarlierOneLeft() throws IOException {
    try (Tars t = tar("img")) {
      t.file("f", 0644, "x");
    }
    assertTrue(store.makeSpare("img"));
    assertEquals(1, spareDirs("img").size());
    List<String> earlier = spareDirs("img");
    ImageStore next = new ImageStore(images, state);
    try (ImageStore.Lease lease = next.acquire("img")) {
      assertEquals(null, next.takeSpare(lease), "an earlier helper's spare is not trusted");
    }
    assertTrue(next.makeSpare("img"));
    List<String> now = spareDirs("img");
    assertEquals(1, now.size());
    assertFalse(now.contains(earlier.get(0)), "the earlier one is gone");
  }
}
