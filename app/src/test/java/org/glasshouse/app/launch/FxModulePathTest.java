package org.glasshouse.app.launch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * JavaFX started from the class path prints "WARNING: Unsupported JavaFX configuration: classes
 * were loaded from 'unnamed module…'" on every start. The launchers put JavaFX on the module path
 * and the rest on the class path; this starts the platform both ways (headless, Monocle patched
 * into javafx.graphics) and shows the warning is gone the launchers' way, and only that way.
 */
class FxModulePathTest {
  private static final String WARNING = "Unsupported JavaFX configuration";

  private record Jvm(String output, int exit) {}

  @Test
  void theLaunchersWayStartsJavaFxWithoutTheWarning() throws Exception {
    List<String> fx = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    String monocle = null;
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(e).getFileName().toString();
      if (name.startsWith("javafx-")) {
        fx.add(e);
      } else if (name.startsWith("openjfx-monocle")) {
        monocle = e;
      } else {
        rest.add(e);
      }
    }
    assertTrue(monocle != null && !fx.isEmpty(), "JavaFX and Monocle on the test class path");
    List<String> headless =
        List.of("-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw");

    List<String> modulePath = new ArrayList<>(headless);
    modulePath.addAll(
        List.of(
            "--module-path",
            String.join(File.pathSeparator, fx),
            "--add-modules",
            "javafx.controls",
            "--patch-module",
            "javafx.graphics=" + monocle,
            "-cp",
            String.join(File.pathSeparator, rest)));
    Jvm launcher = run(modulePath);
    assertTrue(launcher.output().contains("javafx.graphics named: true"), launcher.output());
    assertFalse(launcher.output().contains(WARNING), launcher.output());

    // The old way, everything on the class path: the probe sees the warning (so it can fail).
    List<String> classPath = new ArrayList<>(headless);
    List<String> all = new ArrayList<>(fx);
    all.add(monocle);
    all.addAll(rest);
    classPath.addAll(List.of("-cp", String.join(File.pathSeparator, all)));
    Jvm old = run(classPath);
    assertTrue(old.output().contains(WARNING), old.output());

    // Both launchers start the app that way.
    Path repo = repo();
    for (Path launcher1 :
        List.of(repo.resolve("glasshouse"), repo.resolve("app/packaging/deb/glasshouse"))) {
      String script = Files.readString(launcher1, StandardCharsets.UTF_8);
      assertTrue(
          script.contains("--module-path") && script.contains("--add-modules javafx.controls"),
          launcher1 + " starts the app with JavaFX on the module path");
    }
  }

  private static Jvm run(List<String> jvmArgs) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add(FxStartProbe.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM ended");
    return new Jvm(new String(out, StandardCharsets.UTF_8), p.exitValue());
  }

  private static Path repo() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("glasshouse")) && Files.isDirectory(d.resolve("app"))) {
        return d;
      }
    }
    throw new IllegalStateException("no repository above " + Path.of("").toAbsolutePath());
  }
}
