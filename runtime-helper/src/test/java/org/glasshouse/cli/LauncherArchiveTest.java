package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive for the command line ({@code cds} in {@code ./glasshouse}), the
 * function itself taken from the script and run against a checkout of its own: a clean one gets its
 * archive from its training runs (before JDK 25 a static archive of the classes they loaded), a
 * later run reuses it, a rebuilt jar gets a new one, and a command runs (and says nothing more)
 * when the archive is garbage or cannot be made.
 */
class LauncherArchiveTest {

  @TempDir Path repo;

  private Path jar;
  private Path archive;
  private String path = System.getenv("PATH");

  @BeforeEach
  void checkout() throws Exception {
    Path target = Files.createDirectories(repo.resolve("runtime-helper/target"));
    jar = target.resolve("runtime-helper.jar");
    buildJar("hello");
    archive = target.resolve(feature() >= 25 ? "cli.aot" : "cli.jsa");
  }

  @Test
  void aCleanCheckoutTrainsOnceThenReusesTheArchive() throws Exception {
    Run first = launch();
    assertEquals("hello x\n", first.out(), first.toString());
    assertTrue(Files.size(archive) > 0, "no archive after the first command: " + first);
    assertTrue(first.cli().contains(archive.toString()), "not passed on: " + first.cli());
    FileTime made = Files.getLastModifiedTime(archive);

    Run second = launch();
    assertEquals("hello x\n", second.out(), second.toString());
    assertEquals(made, Files.getLastModifiedTime(archive), "trained again for the same jar");
  }

  @Test
  void aReusedArchiveCostsNoReadlinkOfJava() throws Exception {
    launch();
    // A readlink that logs its calls, first on the PATH: the java it finds is the archive's.
    Path bin = Files.createDirectories(repo.resolve("stub-bin"));
    Path log = repo.resolve("readlink.log");
    String real =
        java.util.Arrays.stream(path.split(":"))
            .map(d -> Path.of(d.isEmpty() ? "." : d, "readlink"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow()
            .toString();
    Path stub = bin.resolve("readlink");
    Files.writeString(stub, "#!/bin/sh\necho \"$@\" >>'" + log + "'\nexec '" + real + "' \"$@\"\n");
    assertTrue(stub.toFile().setExecutable(true));
    path = bin + ":" + path;

    Run run = launch();
    assertEquals("hello x\n", run.out(), run.toString());
    assertTrue(run.cli().contains(archive.toString()), "not passed on: " + run.cli());
    assertFalse(Files.exists(log), () -> "readlink ran: " + read(log));

    // A link to the same java first on the PATH is the same file: still no readlink.
    String java = javaOnPath();
    Files.createSymbolicLink(bin.resolve("java"), Path.of(java));
    assertEquals("hello x\n", launch().out());
    assertFalse(Files.exists(log), () -> "readlink ran for a link to the same java: " + read(log));

    // Another file named java (a wrapper of it): resolved, as any JVM not the archive's.
    Files.delete(bin.resolve("java"));
    Files.writeString(bin.resolve("java"), "#!/bin/sh\nexec '" + java + "' \"$@\"\n");
    assertTrue(bin.resolve("java").toFile().setExecutable(true));
    assertEquals("hello x\n", launch().out());
    assertTrue(Files.exists(log), "another java was not resolved");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private String javaOnPath() {
    return java.util.Arrays.stream(path.split(":"))
        .map(d -> Path.of(d.isEmpty() ? "." : d, "java"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow()
        .toString();
  }

  @Test
  void aRebuiltJarGetsANewArchive() throws Exception {
    launch();
    byte[] old = Files.readAllBytes(archive);
    buildJar("hi");
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() + 5_000));

    Run run = launch();
    assertEquals("hi x\n", run.out(), run.toString());
    assertTrue(Files.size(archive) > 0);
    assertFalse(java.util.Arrays.equals(old, Files.readAllBytes(archive)), "the old archive kept");
  }

  @Test
  void aGarbageArchiveIsIgnoredSilently() throws Exception {
    launch();
    Files.writeString(archive, "not a class-data archive");

    Run run = launch();
    assertEquals(0, run.status(), run.toString());
    assertEquals("hello x\n", run.out(), run.toString());
    assertEquals("", run.err(), "the JVM complained: " + run);
  }

  @Test
  void whenNoArchiveCanBeMadeTheCommandRunsWithout() throws Exception {
    // A JDK whose java fails every training run (as one that crashes or cannot write would).
    Path jdk = Files.createDirectories(repo.resolve("jdk/bin"));
    Files.copy(Path.of(javaHome(), "release"), jdk.resolveSibling("release"));
    Path java = jdk.resolve("java");
    Files.writeString(
        java,
        "#!/bin/bash\n"
            + "case \"$*\" in *DumpLoadedClassList*|*Xshare:dump*|*AOTCacheOutput*) exit 1 ;; esac\n"
            + "exec '"
            + javaHome()
            + "/bin/java' \"$@\"\n");
    java.toFile().setExecutable(true);
    path = jdk + ":" + System.getenv("PATH");

    Run run = launch();
    assertEquals(0, run.status(), run.toString());
    assertEquals("hello x\n", run.out(), run.toString());
    assertFalse(Files.exists(archive), "an archive was made");
    assertFalse(run.cli().contains("SharedArchiveFile") || run.cli().contains("AOTCache"));
    try (var left = Files.list(archive.getParent())) {
      assertEquals(
          List.of("runtime-helper.jar"),
          left.map(p -> p.getFileName().toString()).toList(),
          "the training run's leftovers");
    }
  }

  @Test
  void anArchiveOfAnotherJvmIsNotUsed() throws Exception {
    launch();
    Path javaFile = archive.resolveSibling(archive.getFileName() + ".java");
    Files.writeString(javaFile, "/elsewhere/bin/java\n");
    FileTime made = Files.getLastModifiedTime(archive);
    Thread.sleep(1100); // mtime has a second's resolution on some file systems

    Run run = launch();
    assertEquals("hello x\n", run.out(), run.toString());
    assertNotEquals(made, Files.getLastModifiedTime(archive), "the other JVM's archive kept");
  }

  // ---- the checkout and the launcher's function ---------------------------------------------

  record Run(int status, String out, String err, String cli) {}

  /** Runs {@code cds} from the launcher, then the command the way the launcher runs it. */
  private Run launch() throws Exception {
    String launcher = Files.readString(Path.of("../glasshouse"));
    int from = launcher.indexOf("\ncds() {\n");
    int to = launcher.indexOf("\n}\n", from);
    assertTrue(from >= 0 && to > from, "no cds() in the launcher");
    String cp = jar.toString();
    String script =
        "set -euo pipefail\n"
            + "repo=$1\n"
            + "cli=(-cp '"
            + cp
            + "' Hello)\n"
            + launcher.substring(from + 1, to + 3)
            + "cds\n"
            + "echo \"${cli[*]}\" >\"$repo/cli\"\n"
            + "exec java \"${cli[@]}\" x\n";
    Path file = repo.resolve("run.sh");
    Files.writeString(file, script);
    Process p =
        pb(file)
            .redirectOutput(repo.resolve("out").toFile())
            .redirectError(repo.resolve("err").toFile())
            .start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the launcher hangs");
    return new Run(
        p.exitValue(),
        Files.readString(repo.resolve("out")),
        Files.readString(repo.resolve("err")),
        Files.exists(repo.resolve("cli")) ? Files.readString(repo.resolve("cli")) : "");
  }

  private ProcessBuilder pb(Path script) {
    ProcessBuilder b = new ProcessBuilder("bash", script.toString(), repo.toString());
    b.environment().put("PATH", path);
    return b;
  }

  /** The jar: one class that prints {@code greeting} and its first argument. */
  private void buildJar(String greeting) throws IOException {
    Path src = Files.createDirectories(repo.resolve("src"));
    Files.writeString(
        src.resolve("Hello.java"),
        "public class Hello { public static void main(String[] a) { System.out.println(\""
            + greeting
            + " \" + (a.length > 0 ? a[0] : \"\")); } }");
    Path out = Files.createDirectories(repo.resolve("out-classes"));
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", out.toString(), src.resolve("Hello.java").toString());
    assertEquals(0, rc, "javac");
    try (OutputStream o = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(o)) {
      j.putNextEntry(new JarEntry("Hello.class"));
      j.write(Files.readAllBytes(out.resolve("Hello.class")));
      j.closeEntry();
      j.putNextEntry(new JarEntry("greeting.txt"));
      j.write(greeting.getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
  }

  private static String javaHome() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "bash", "-c", "j=$(readlink -f \"$(command -v java)\"); echo ${j%/bin/java}")
            .start();
    String home = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    return home;
  }

  /** The feature release of the {@code java} on PATH, as the launcher reads it. */
  private static int feature() throws IOException, InterruptedException {
    for (String line : Files.readAllLines(Path.of(javaHome(), "release"))) {
      if (line.startsWith("JAVA_VERSION=\"")) {
        return Integer.parseInt(line.substring(14).split("[.\"]")[0]);
      }
    }
    return 0;
  }
}
