package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glasshouse.helper.server.UserDb;
import org.junit.jupiter.api.Test;

class HelperCommandTest {

  private static final UserDb USERS =
      new UserDb() {
        @Override
        public Optional<Integer> primaryGid(int uid) {
          return uid == 1000 ? Optional.of(1000) : Optional.empty();
        }

        @Override
        public Optional<Integer> gid(String group) {
          return group.equals("lab") ? Optional.of(1500) : Optional.empty();
        }
      };

  @Test
  void theInvokingUserComesFromSudoOrPkexec() {
    assertEquals(1000, HelperCommand.invokingUid(Map.of("SUDO_UID", "1000")));
    assertEquals(1001, HelperCommand.invokingUid(Map.of("PKEXEC_UID", "1001")));
    assertNull(HelperCommand.invokingUid(Map.of()));
    assertNull(HelperCommand.invokingUid(Map.of("SUDO_UID", "-1")));
  }

  @Test
  void theSocketGroupIsTheFlagElseTheInvokersElseRoot() throws UsageException {
    assertEquals(1500, HelperCommand.group("lab", Map.of("SUDO_GID", "1000"), 1000, USERS));
    assertEquals(1000, HelperCommand.group(null, Map.of("SUDO_GID", "1000"), 1000, USERS));
    assertEquals(1000, HelperCommand.group(null, Map.of(), 1000, USERS));
    assertEquals(0, HelperCommand.group(null, Map.of(), null, USERS));
  }

  @Test
  void aLogLineQuotingWhatAContainerChoseCannotForgeALineNorDriveTheTerminal() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    HelperCommand.log(new PrintStream(b, true, StandardCharsets.UTF_8))
        .accept("cannot remove /c/rootfs/\u001b]0;owned\u0007\nhelper: all is well");
    String text = b.toString(StandardCharsets.UTF_8);
    assertEquals(1, text.chars().filter(c -> c == '\n').count(), "one line: " + text);
    assertTrue(text.chars().noneMatch(c -> c == 0x1b || c == 7), text);
    assertTrue(text.contains("\\e]0;owned"), "the sequence is shown, not sent: " + text);
  }

  @Test
  void aCgroupParentIsOneNameNeverAPath() throws UsageException {
    assertEquals("glasshouse-test-1a2b", HelperCommand.cgroupParent("glasshouse-test-1a2b"));
    for (String bad : List.of("../glasshouse", "a/b", "", ".hidden", "/sys")) {
      UsageException e =
          assertThrows(UsageException.class, () -> HelperCommand.cgroupParent(bad), bad);
      assertTrue(e.getMessage().startsWith("--cgroup-parent: bad cgroup parent name"), bad);
    }
  }
}
