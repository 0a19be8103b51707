package org.glasshouse.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The app started where no window can open (no display; on a machine without GTK 3 the toolkit
 * fails earlier, for that reason): one line that says why and what to do, exit status 1, no stack
 * trace — what a newcomer on a fresh machine or over ssh sees.
 */
class LauncherNoWindowTest {
  @Test
  void withoutADisplayItSaysWhyInOneLine() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Dglass.platform=gtk",
                "-cp",
                System.getProperty("java.class.path"),
                "org.glasshouse.app.Launcher")
            .redirectErrorStream(true);
    pb.environment().remove("DISPLAY");
    pb.environment().remove("WAYLAND_DISPLAY");
    Process p = pb.start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher ends");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, p.exitValue(), out);
    List<String> lines = out.lines().filter(l -> l.startsWith("glasshouse:")).toList();
    assertEquals(1, lines.size(), out);
    assertTrue(lines.get(0).contains("no display") || lines.get(0).contains("GTK 3"), lines.get(0));
    assertFalse(out.contains("\tat "), "no stack trace: " + out);
  }
}
