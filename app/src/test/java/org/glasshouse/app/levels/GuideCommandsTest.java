package org.glasshouse.app.levels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A code run that the guide makes clickable ("put this command into the Command field") is one the
 * container can run as written: its program is in the busybox image, and nothing in it is a
 * placeholder to fill in. The class walk (room12) clicked level 02's device list, {@code null zero
 * full random urandom tty}, and got it as the level's command.
 */
class GuideCommandsTest {

  /** Every code run of every guide that the guide shows as a command, with its level. */
  private static List<String> commands() {
    List<String> out = new ArrayList<>();
    for (Level l : Levels.ALL) {
      Guide g = LevelsViewModel.readGuide(l);
      List<List<Guide.Inline>> runs = new ArrayList<>(g.hints());
      for (Guide.Block b : g.blocks()) {
        if (b instanceof Guide.Paragraph p) {
          runs.add(p.runs());
        } else if (b instanceof Guide.Bullets list) {
          for (Guide.Item i : list.items()) {
            runs.add(i.runs());
            runs.add(i.answer());
          }
        }
      }
      for (List<Guide.Inline> line : runs) {
        for (Guide.Inline r : line) {
          if (r.kind() == Guide.Kind.CODE && GuideView.isCommand(r.text())) {
            out.add(l.code() + ": " + r.text().strip());
          }
        }
      }
    }
    return out;
  }

  @Test
  void aPlaceholderOrTheHostsOwnCommandIsNoCommandToRun() {
    assertFalse(GuideView.isCommand("glasshouse inspect <id>"));
    assertFalse(GuideView.isCommand("ip netns exec <id> ip addr"));
    assertFalse(GuideView.isCommand("glasshouse exec"));
    assertFalse(GuideView.isCommand("sh -c"), "sh -c alone has nothing to run");
    assertFalse(GuideView.isCommand("c 1:3 rwm"), "a devices.allow rule");
    assertFalse(GuideView.isCommand("under_oom 1"), "a line of memory.oom_control");
    assertTrue(GuideView.isCommand("hostname other"));
    assertTrue(GuideView.isCommand("sh -c \"exit 3\""));
    assertTrue(GuideView.isCommand("/bin/sh"));
  }

  @Test
  void everyClickableCommandNamesAProgramOfTheImage() throws Exception {
    Path tar = Path.of(System.getProperty("user.dir")).resolveSibling("build/images/busybox.tar");
    org.glasshouse.testsupport.Prerequisites.require(
        Files.isRegularFile(tar), "no busybox image at " + tar + ": ./glasshouse builds it");
    Set<String> programs = programs(tar);
    assertTrue(programs.contains("sh") && programs.contains("mknod"), programs.toString());
    List<String> wrong = new ArrayList<>();
    for (String c : commands()) {
      String command = c.substring(c.indexOf(": ") + 2);
      String first = command.split("\\s+")[0];
      String name = first.substring(first.lastIndexOf('/') + 1);
      // stress-ng is the debian image's: the guide names it for that image's Try it.
      if (!programs.contains(name) && !name.equals("stress-ng")) {
        wrong.add(c);
      }
    }
    assertTrue(wrong.isEmpty(), "clickable, but not a program of the image:\n" + wrong);
  }

  /** The names under bin/, sbin/, usr/bin/ and usr/sbin/ of the image's tarball. */
  private static Set<String> programs(Path tar) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("tar", "tf", tar.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor() == 0, out);
    return out.lines()
        .map(s -> s.startsWith("./") ? s.substring(2) : s)
        .filter(s -> s.matches("(usr/)?s?bin/[^/]+"))
        .map(s -> s.substring(s.lastIndexOf('/') + 1))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
