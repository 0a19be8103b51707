package org.glasshouse.helper.runtime.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The image corpus's link attacks aimed at a root-only host file (0600 root in a 0700 root dir, as
 * {@code /etc/shadow} or {@code /root/.ssh/id_ed25519} are), extracted by the helper running as
 * root: the file must keep its content and its link count, and nothing of the image may stay.
 */
@Tag("root")
class ImageCorpusRootTest {

  Path images;
  Path state;
  Path secretDir;
  Path secret;
  ImageStore store;

  @BeforeEach
  void setUp() throws IOException {
    TestSupport.requireRoot("the tests of a root-only host file");
    images = Files.createTempDirectory("glasshouse-test-images-");
    state = Files.createTempDirectory("glasshouse-test-state-");
    // Not under the temp dirs above: a host path the image has no business knowing.
    secretDir =
        Files.createTempDirectory(
            Path.of("/var/tmp"),
            "glasshouse-test-secret-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    secret = secretDir.resolve("secret");
    Files.writeString(secret, "host secret\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    store = new ImageStore(images, state);
  }

  @AfterEach
  void tearDown() throws IOException {
    if (secretDir == null) {
      return;
    }
    try {
      assertEquals("host secret\n", Files.readString(secret), "the secret's content");
      assertEquals(1, Files.getAttribute(secret, "unix:nlink"), "the secret's link count");
      try (Stream<Path> s = Files.list(secretDir)) {
        assertEquals(List.of(secret), s.toList(), "nothing new next to the secret");
      }
    } finally {
      SafeDelete.deleteTree(secretDir);
      SafeDelete.deleteTree(state);
      SafeDelete.deleteTree(images);
    }
  }

  private Tars tar(String name) throws IOException {
    return new Tars(images.resolve(name + ".tar"), 0, 0);
  }

  private void refused(String image, String... fragments) {
    ImageException e = assertThrows(ImageException.class, () -> store.rootfs(image));
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
    }
    assertFalse(
        Files.exists(state.resolve("images/" + image), LinkOption.NOFOLLOW_LINKS),
        "nothing of the refused image stays in the store");
  }

  @Test
  void hardlinkThroughAnAbsoluteSymlinkToARootOnlyFile() throws IOException {
    try (Tars t = tar("shadow")) {
      t.dir("etc/", 0755).symlink("a", secretDir.toString()).hardlink("etc/stolen", "a/secret");
    }
    refused("shadow", "entry 'etc/stolen' refused", "symbolic link");
  }

  @Test
  void hardlinkThroughARelativeChainToARootOnlyFile() throws IOException {
    String chain = "p/".repeat(30) + "../".repeat(30);
    try (Tars t = tar("chain")) {
      t.symlink("p", ".")
          .symlink("q", chain.substring(0, chain.length() - 1))
          .hardlink("stolen", "q" + secret);
    }
    refused("chain", "entry 'stolen' refused", "symbolic link");
  }

  @Test
  void fileWrittenThroughASymlinkOntoARootOnlyFile() throws IOException {
    try (Tars t = tar("write")) {
      t.symlink("s", secretDir.toString()).file("s/secret", 0644, "owned\n");
    }
    refused("write", "entry 's/secret' refused", "symbolic link");
  }

  @Test
  void directoryChmodThroughASymlinkToTheSecretDir() throws IOException {
    // A directory entry for an existing path applies its mode at the end: never through a link.
    try (Tars t = tar("chmod")) {
      t.symlink("s", secretDir.toString()).dir("s/", 0777);
    }
    refused("chmod", "entry 's/' refused");
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(secretDir)),
        "the secret dir's mode");
  }
}
