package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The helper the app starts on a socket of its own (GLASSHOUSE_SOCKET) keeps its state and cgroups
 * apart from the default helper's: it never shares /var/lib/glasshouse or the glasshouse cgroup.
 */
class HelperStarterTest {

  @Test
  void aHelperOnItsOwnSocketGetsItsOwnStateDirAndCgroupParent() {
    List<String> cmd = new HelperStarter(Path.of("/tmp/gh-lab/helper.sock")).command();
    int socket = cmd.indexOf("--socket");
    assertEquals("/tmp/gh-lab/helper.sock", cmd.get(socket + 1), cmd.toString());
    int state = cmd.indexOf("--state-dir");
    assertTrue(state > 0, cmd.toString());
    assertEquals("/tmp/gh-lab/state", cmd.get(state + 1), cmd.toString());
    int parent = cmd.indexOf("--cgroup-parent");
    assertTrue(parent > 0, cmd.toString());
    String name = cmd.get(parent + 1);
    assertTrue(name.matches("glasshouse-gh-lab-[0-9a-f]{8}"), name);
    assertFalse(cmd.contains("/var/lib/glasshouse"), cmd.toString());
  }

  @Test
  void theDefaultSocketKeepsTheDefaults() {
    List<String> cmd = new HelperStarter(Path.of(HelperLocator.DEFAULT_SOCKET)).command();
    assertFalse(cmd.contains("--state-dir"), cmd.toString());
    assertFalse(cmd.contains("--cgroup-parent"), cmd.toString());
  }

  @Test
  void twoSocketsInDirsOfOneNameGetTwoCgroupParents() {
    String a = HelperStarter.cgroupParent(Path.of("/tmp/a/lab/helper.sock"));
    String b = HelperStarter.cgroupParent(Path.of("/tmp/b/lab/helper.sock"));
    assertNotEquals(a, b);
    assertTrue(a.startsWith("glasshouse-lab-"), a);
  }

  @Test
  void aDirNameOutsideTheCgroupAlphabetIsMadeValid() {
    String name = HelperStarter.cgroupParent(Path.of("/tmp/my lab: ü/helper.sock"));
    assertTrue(name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}"), name);
    assertTrue(name.startsWith("glasshouse-my_lab___-"), name);
    String root = HelperStarter.cgroupParent(Path.of("/helper.sock"));
    assertTrue(root.matches("glasshouse-[0-9a-f]{8}"), root);
  }
}
