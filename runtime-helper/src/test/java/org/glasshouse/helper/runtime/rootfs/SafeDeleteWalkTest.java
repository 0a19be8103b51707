package org.glasshouse.helper.runtime.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fd walk of {@link SafeDelete}, beside {@link SafeDeleteTest}: links are unlinked and never
 * followed, names need not be UTF-8, unreadable directories go too. No root needed.
 */
class SafeDeleteWalkTest {

  @TempDir Path tmp;

  /** Runs a shell script in {@code dir} (a tree deeper than PATH_MAX can only be made this way). */
  private static void sh(Path dir, String script) throws Exception {
    Process p =
        new ProcessBuilder("sh", "-c", script)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the script did not end");
    assertEquals(0, p.exitValue(), out);
  }

  @Test
  void linksAreUnlinkedNeverFollowed() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "keep");
    Path victim = Files.createDirectories(tmp.resolve("victim"));
    Files.createDirectories(victim.resolve("a/b"));
    Files.createSymbolicLink(victim.resolve("a/b/escape"), outside);
    Files.createSymbolicLink(victim.resolve("a/b/file-link"), outside.resolve("keep"));
    Files.createSymbolicLink(victim.resolve("up"), Path.of(".."));
    SafeDelete.deleteTree(victim);
    assertFalse(Files.exists(victim, LinkOption.NOFOLLOW_LINKS));
    assertEquals("keep", Files.readString(outside.resolve("keep")), "what links pointed to stays");
  }

  @Test
  void namesThatAreNotUtf8AndUnreadableDirectoriesGoToo() throws Exception {
    Path victim = Files.createDirectories(tmp.resolve("victim"));
    sh(
        victim,
        "mkdir -p locked/inner; touch \"$(printf 'bad\\377name')\" \"$(printf 'nl\\nname')\";"
            + " touch locked/inner/f; chmod 000 locked/inner; chmod 500 locked");
    SafeDelete.deleteTree(victim);
    assertFalse(Files.exists(victim, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aMissingTreeIsNotAnErrorAndALinkInItsPlaceIsUnlinked() throws Exception {
    SafeDelete.deleteTree(tmp.resolve("absent"));
    Path target = Files.createDirectories(tmp.resolve("target"));
    Files.writeString(target.resolve("keep"), "keep");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    SafeDelete.deleteTree(link);
    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(target.resolve("keep")));
  }
}
