package org.glasshouse.helper.runtime.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The malicious-image corpus: each test is one tarball an attacker could hand the helper. Every one
 * must be refused (or, where noted, extracted harmlessly) while the file outside the image root
 * keeps its content and its link count, nothing appears next to it, and nothing of the refused
 * image stays in the store. {@link ImageCorpusRootTest} runs the link attacks against a root-only
 * host file.
 */
class ImageCorpusTest {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  @TempDir Path tmp;
  Path images;
  Path state;
  Path outside;
  Path victim;
  ImageStore store;

  @BeforeEach
  void setUp() throws IOException {
    images = Files.createDirectory(tmp.resolve("images"));
    state = Files.createDirectory(tmp.resolve("state"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    victim = Files.writeString(outside.resolve("victim"), "untouched");
    store = new ImageStore(images, state);
  }

  @AfterEach
  void outsideIsUntouched() throws IOException {
    assertEquals("untouched", Files.readString(victim), "the victim's content");
    assertEquals(1, Files.getAttribute(victim, "unix:nlink"), "the victim's link count");
    try (Stream<Path> s = Files.list(outside)) {
      assertEquals(List.of(victim), s.toList(), "nothing new outside the image root");
    }
  }

  private Tars tar(String name) throws IOException {
    return new Tars(images.resolve(name + ".tar"), TestSupport.uid(), TestSupport.gid());
  }

  /**
   * {@code outside} as a path relative to {@code /}, to append to a link that reaches {@code /}.
   */
  private String outsideFromSlash() {
    return outside.toAbsolutePath().toString().substring(1);
  }

  private ImageException refused(String image, String... fragments) {
    ImageException e = assertThrows(ImageException.class, () -> store.rootfs(image));
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
    }
    assertFalse(Files.exists(state.resolve("images/" + image), NOFOLLOW), "nothing left behind");
    return e;
  }

  @Test
  void hardlinkThroughAnAbsoluteSymlink() throws IOException {
    try (Tars t = tar("abslink")) {
      t.symlink("a", outside.toString()).hardlink("stolen", "a/victim");
    }
    refused("abslink", "entry 'stolen' refused", "'a/victim'", "symbolic link");
  }

  @Test
  void hardlinkThroughAChainOfRelativeSymlinksThatTextuallyStaysInside() throws IOException {
    // p -> . ; q -> p/p/…/p/../../…/.. : read as text q never leaves the root (every '..' undoes
    // a 'p'), but the kernel resolves each p to the root itself, so the '..'s climb to the host's
    // /.
    // 30 p's stay under the kernel's 40-links-per-lookup limit and climb above any temp dir.
    String chain = "p/".repeat(30) + "../".repeat(30);
    try (Tars t = tar("chain")) {
      t.symlink("p", ".")
          .symlink("q", chain.substring(0, chain.length() - 1))
          .hardlink("stolen", "q/" + outsideFromSlash() + "/victim");
    }
    refused("chain", "entry 'stolen' refused", "symbolic link");
  }

  @Test
  void hardlinkToATargetOutsideThroughDotDot() throws IOException {
    try (Tars t = tar("dotdot")) {
      t.dir("a/", 0755).hardlink("stolen", "a/../../../outside/victim");
    }
    refused("dotdot", "entry 'stolen' refused", "'..'");
  }

  @Test
  void hardlinkWithAnAbsoluteTarget() throws IOException {
    try (Tars t = tar("absolute")) {
      t.hardlink("stolen", victim.toString());
    }
    refused("absolute", "entry 'stolen' refused", "is absolute");
  }

  @Test
  void hardlinkToASymlinkPointingOutside() throws IOException {
    try (Tars t = tar("tolink")) {
      t.symlink("s", victim.toString()).hardlink("stolen", "s");
    }
    refused("tolink", "entry 'stolen' refused", "not a regular file");
  }

  @Test
  void hardlinkCreatedThroughASymlinkedParent() throws IOException {
    // The link's own place, not its target, goes through the link: it would appear outside.
    try (Tars t = tar("linkdest")) {
      t.file("f", 0644, "mine").symlink("d", outside.toString()).hardlink("d/planted", "f");
    }
    refused("linkdest", "entry 'd/planted' refused", "symbolic link");
  }

  @Test
  void hardlinkToAFileLaterReplacedByASymlink() throws IOException {
    try (Tars t = tar("replaced")) {
      t.file("f", 0644, "mine").symlink("f", victim.toString()).hardlink("stolen", "f");
    }
    refused("replaced", "entry 'stolen' refused", "not a regular file");
  }

  @Test
  void regularFileWrittenWhereASymlinkWasReplacesTheLink() throws IOException {
    try (Tars t = tar("overwrite")) {
      t.symlink("f", victim.toString()).file("f", 0600, "mine");
    }
    Path root = store.rootfs("overwrite");
    assertTrue(Files.isRegularFile(root.resolve("f"), NOFOLLOW), "the link was replaced");
    assertEquals("mine", Files.readString(root.resolve("f")));
  }

  @Test
  void regularFileBelowASymlinkedDirectory() throws IOException {
    try (Tars t = tar("below")) {
      t.symlink("d", outside.toString()).file("d/victim", 0644, "owned");
    }
    refused("below", "entry 'd/victim' refused", "symbolic link");
  }

  @Test
  void directoryThenASymlinkOfTheSameNameThenAFileBelowIt() throws IOException {
    try (Tars t = tar("dirlink")) {
      t.dir("d/", 0755).symlink("d", outside.toString()).file("d/victim", 0644, "owned");
    }
    refused("dirlink", "entry 'd' refused", "a directory of that name");
  }

  @Test
  void symlinkThenADirectoryOfTheSameNameThenAFileBelowIt() throws IOException {
    try (Tars t = tar("linkdir")) {
      t.symlink("d", outside.toString()).dir("d/", 0755).file("d/victim", 0644, "owned");
    }
    refused("linkdir", "entry 'd/' refused", "a non-directory of that name");
  }

  @Test
  void directoryEntriesThroughAChainOfLinks() throws IOException {
    // x -> p/.. with p -> . is x -> the root's parent; a directory made below x would be outside.
    try (Tars t = tar("dirchain")) {
      t.symlink("p", ".").symlink("x", "p/..").dir("x/outside/new/", 0755);
    }
    refused("dirchain", "entry 'x/outside/new/' refused", "symbolic link");
  }

  @Test
  void absoluteNames() throws IOException {
    try (Tars t = tar("absname")) {
      t.file(victim.toString(), 0644, "owned");
    }
    refused("absname", "is absolute");
  }

  @Test
  void devicesFifosAndWhiteouts() throws IOException {
    try (Tars t = tar("chr")) {
      t.special("dev/mem", TarConstants.LF_CHR);
    }
    refused("chr", "entry 'dev/mem' refused", "device node");
    try (Tars t = tar("blk")) {
      t.special("dev/sda", TarConstants.LF_BLK);
    }
    refused("blk", "device node");
    try (Tars t = tar("fifo")) {
      t.special("p", TarConstants.LF_FIFO);
    }
    refused("fifo", "fifo");
  }

  @Test
  void trustedAndSecurityXattrsAlsoWhenUrlEncoded() throws IOException {
    // libarchive writes LIBARCHIVE.xattr.<url-encoded name>: %2E is '.'.
    try (Tars t = tar("encoded")) {
      t.file(
          "bin/ping",
          0755,
          "x",
          e -> e.addPaxHeader("LIBARCHIVE.xattr.security%2Ecapability", "AQAAAg=="));
    }
    refused("encoded", "entry 'bin/ping' refused", "security.capability");
  }

  @Test
  void setuidSetgidAndStickyBitsAreKeptAsTheImageSaysAndOwnedByTheTarOwner() throws IOException {
    try (Tars t = tar("modes")) {
      t.file("bin/su", 04755, "su").file("bin/wall", 02755, "wall").dir("tmp/", 01777);
    }
    Path root = store.rootfs("modes");
    assertEquals(04755, mode(root.resolve("bin/su")));
    assertEquals(02755, mode(root.resolve("bin/wall")));
    assertEquals(01777, mode(root.resolve("tmp")));
    assertEquals(0700, mode(state.resolve("images")), "no host user reaches them");
  }

  @Test
  void aNameLongerThanPathMax() throws IOException {
    Tars.special(
        images.resolve("longname.tar"), 'x', Tars.paxRecord("path", "d/".repeat(2100) + "f"));
    refused("longname", "is 4201 bytes long", "at most 4095");
  }

  @Test
  void aComponentLongerThanNameMax() throws IOException {
    try (Tars t = tar("longpart")) {
      t.file("a".repeat(300) + "/f", 0644, "x");
    }
    refused("longpart", "a component of 300 bytes", "at most 255");
  }

  @Test
  void aGnuLongNameRecordOfAMegabyteIsRefusedBeforeItIsRead() throws IOException {
    byte[] name = "n".repeat(1 << 20).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Tars.special(images.resolve("gnulong.tar"), 'L', name);
    refused("gnulong", "header records", "more than");
  }

  @Test
  void paxHeadersOfAMegabyteAreRefusedBeforeTheyAreRead() throws IOException {
    Tars.special(images.resolve("paxbig.tar"), 'x', Tars.paxRecord("comment", "c".repeat(1 << 20)));
    refused("paxbig", "header records", "more than");
  }

  @Test
  void moreEntriesThanTheLimit() throws IOException {
    store = new ImageStore(images, state, new TarExtractor.Limits(100, 64 << 10));
    try (Tars t = tar("many")) {
      for (int i = 0; i < 101; i++) {
        t.file("f" + i, 0644, "");
      }
    }
    refused("many", "more than 100 entries");
    try (Tars t = tar("enough")) {
      for (int i = 0; i < 100; i++) {
        t.file("f" + i, 0644, "");
      }
    }
    assertTrue(Files.isRegularFile(store.rootfs("enough").resolve("f99")));
  }

  @Test
  void theDefaultLimitsLeaveRoomForAFullDistribution() {
    assertTrue(TarExtractor.Limits.DEFAULT.maxEntries() >= 500_000);
    assertTrue(TarExtractor.Limits.DEFAULT.headerBytes() >= 64 << 10, "a 4 KiB name and its PAX");
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 07777;
  }
}
