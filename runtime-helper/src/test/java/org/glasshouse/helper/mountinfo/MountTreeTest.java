package org.glasshouse.helper.mountinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.inspect.FindmntRenderer;
import org.glasshouse.helper.inspect.MountDiff;
import org.junit.jupiter.api.Test;

class MountTreeTest {

  private static final String TABLE =
      String.join(
          "\n",
          "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
          "22 27 0:21 / /proc rw,relatime - proc proc rw",
          "64 22 0:40 / /proc rw,nosuid - proc proc rw",
          "30 27 0:27 / /tmp rw - tmpfs tmpfs rw,size=1k",
          "31 27 0:28 / /tmp rw - tmpfs tmpfs rw,size=2k",
          "32 31 0:29 / /tmp/a\\040b rw master:1 - tmpfs t2 rw");

  private static List<MountEntry> entries(String t) {
    return MountInfoParser.parse(t);
  }

  @Test
  void buildsTheTreeInMountOrder() {
    MountTree tree = MountTree.of(entries(TABLE));
    assertEquals(1, tree.roots().size());
    MountEntry root = tree.roots().get(0);
    assertEquals("/", root.mountPoint());
    assertEquals(List.of(22, 30, 31), tree.children(root).stream().map(MountEntry::id).toList());
    List<String> walked = new ArrayList<>();
    tree.walk((e, depth) -> walked.add(depth + e.mountPoint()));
    assertEquals(List.of("0/", "1/proc", "2/proc", "1/tmp", "1/tmp", "2/tmp/a b"), walked);
  }

  @Test
  void flagsOvermountedEntriesBothWays() {
    MountTree tree = MountTree.of(entries(TABLE));
    MountEntry[] byId = new MountEntry[100];
    tree.entries().forEach(e -> byId[e.id()] = e);
    assertTrue(tree.isOvermounted(byId[22]), "proc mounted on proc hides the first");
    assertFalse(tree.isOvermounted(byId[64]));
    assertTrue(tree.isOvermounted(byId[30]), "later tmpfs on /tmp under the same parent");
    assertFalse(tree.isOvermounted(byId[31]));
    assertFalse(tree.isOvermounted(byId[27]));
  }

  @Test
  void rendersLikeFindmnt() {
    String text = FindmntRenderer.render(MountTree.of(entries(TABLE)));
    String[] lines = text.split("\n");
    assertTrue(lines[0].startsWith("TARGET"), lines[0]);
    assertTrue(lines[0].trim().endsWith("PROPAGATION"));
    assertTrue(lines[1].startsWith("/ "), lines[1]);
    assertTrue(lines[1].trim().endsWith("shared"), lines[1]);
    assertTrue(lines[2].startsWith("├─/proc"), lines[2]);
    assertTrue(lines[2].contains("private,overmounted"), lines[2]);
    assertTrue(lines[3].startsWith("│ └─/proc"), lines[3]);
    assertTrue(lines[6].startsWith("  └─/tmp/a b"), lines[6]);
    assertTrue(lines[6].contains("slave"), lines[6]);
  }

  @Test
  void aTableWithNoRootInsideStillRendersEveryMount() {
    MountTree tree =
        MountTree.of(entries("40 39 0:1 / /a rw - tmpfs x rw\n41 38 0:2 / /b rw - tmpfs y rw"));
    assertEquals(2, tree.roots().size());
    assertEquals(3, FindmntRenderer.render(tree).split("\n").length);
  }

  @Test
  void diffKeysOnMountPointSourceAndType() {
    List<MountEntry> host = entries(TABLE);
    List<MountEntry> container =
        entries(
            String.join(
                "\n",
                // Same mounts under other ids (another namespace): not a change.
                "127 101 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
                "122 127 0:21 / /proc rw,relatime - proc proc rw",
                "164 122 0:40 / /proc rw,nosuid - proc proc rw",
                "130 127 0:27 / /tmp ro - tmpfs tmpfs rw,size=1k",
                "131 127 0:28 / /tmp rw - tmpfs tmpfs rw,size=2k",
                "140 127 0:50 / /dev rw - devtmpfs udev rw"));
    MountDiff d = MountDiff.between(host, container);
    assertEquals(List.of("/dev"), d.added().stream().map(MountEntry::mountPoint).toList());
    assertEquals(List.of("/tmp/a b"), d.removed().stream().map(MountEntry::mountPoint).toList());
    assertEquals(1, d.changed().size());
    assertEquals(List.of("options"), d.changed().get(0).fields());
    assertEquals(30, d.changed().get(0).before().id());
    assertTrue(MountDiff.between(host, host).isEmpty());
  }
}
