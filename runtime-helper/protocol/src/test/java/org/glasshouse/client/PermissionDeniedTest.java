package org.glasshouse.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import org.glasshouse.testsupport.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user outside the socket's group is told which group, and what the admin runs. */
class PermissionDeniedTest {
  @TempDir Path tmp;

  @Test
  void namesTheGroupOfTheSocketsDirectoryAndTheCommand() throws Exception {
    GroupPrincipal daemon;
    try {
      daemon =
          tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("daemon");
      Files.getFileAttributeView(tmp, PosixFileAttributeView.class).setGroup(daemon);
    } catch (Exception e) {
      // Root gives any group; elsewhere the runner needs to be in "daemon": skipped on a
      // developer's machine, a failure under CI=true.
      Prerequisites.require(false, "cannot give a directory the group daemon here: " + e);
      return;
    }
    // The socket itself does not exist (as for a user who may not look into /run/glasshouse).
    String m = HelperClient.permissionDenied(tmp.resolve("helper.sock"), "alice");
    assertEquals(
        "not allowed to connect to the Glasshouse helper at "
            + tmp.resolve("helper.sock")
            + " (permission denied): only root and members of the daemon group may use it"
            + " (membership is root-equivalent); an admin adds you with: sudo adduser alice daemon"
            + " (then log out and back in)",
        m);
  }

  @Test
  void aRootGroupOrNothingVisibleGivesTheGeneralAdvice() {
    String m = HelperClient.permissionDenied(Path.of("/nonexistent-glasshouse/x/helper.sock"), "a");
    assertTrue(m.endsWith("run as root or as a member of the helper's group"), m);
  }
}
