package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;
import org.glasshouse.protocol.Findmnt;
import org.glasshouse.protocol.inspect.MountsResult;
import org.junit.jupiter.api.Test;

/** The shared findmnt-style renderer, and the mountinfo line it gives back for a mount. */
class FindmntTest {

  @Test
  void everyMountGivesBackTheMountinfoLineItWasParsedFrom() throws Exception {
    for (String host : List.of("hybrid", "v1", "v2")) {
      String text =
          Files.readString(Path.of("src/test/resources/hosts/" + host + "/proc/self/mountinfo"));
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          MountsResult.Mount m = MountInfoParser.parseLine(line).toWire(null, null);
          assertEquals(line, Findmnt.mountinfoLine(m), host);
        }
      }
    }
    String spaced =
        "700 22 8:17 / /media/student/USB\\040STICK rw,nosuid shared:7 - vfat /dev/sdb1 rw";
    assertEquals(
        spaced, Findmnt.mountinfoLine(MountInfoParser.parseLine(spaced).toWire(null, null)));
  }

  @Test
  void aViewersTreeIsDrawnWithItsNotes() {
    List<MountEntry> table =
        MountInfoParser.parse(
            "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
                + "22 27 0:21 / /proc rw - proc proc rw\n"
                + "261 27 0:55 / /s/rootfs/proc rw - proc proc rw\n");
    List<MountsResult.Mount> wire = table.stream().map(e -> e.toWire(null, null)).toList();
    List<Findmnt.Node> roots = Findmnt.tree(wire);
    assertEquals(1, roots.size());
    Findmnt.Node root = roots.get(0);
    Findmnt.Node leak = root.children().get(1);
    String text =
        Findmnt.renderTrees(
            List.of(
                new Findmnt.Node(
                    root.mount(),
                    List.of(new Findmnt.Node(leak.mount(), List.of(), "leaked into the host")),
                    null)));
    List<String> lines = text.lines().toList();
    assertEquals(
        List.of(
            "TARGET           SOURCE   FSTYPE OPTIONS PROPAGATION NOTE",
            "/                /dev/vda ext4   rw      private",
            "└─/s/rootfs/proc proc     proc   rw      private     leaked into the host"),
        lines);
    assertTrue(Findmnt.render(wire).startsWith("TARGET"), "without notes, no NOTE column");
    assertTrue(!Findmnt.render(wire).contains("NOTE"));
  }
}
