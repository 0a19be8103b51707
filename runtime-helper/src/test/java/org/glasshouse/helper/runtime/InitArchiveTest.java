package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init's class-data archive: none for a class path with a directory, a real one (built by a
 * real training run of the init) for a class path of jars, reused while the jars stay the same.
 */
class InitArchiveTest {

  @TempDir Path tmp;

  private static RuntimeConfig config(Path state, String classPath) {
    RuntimeConfig c = RuntimeConfig.of(state, state);
    return new RuntimeConfig(
        c.stateDir(),
        c.imagesDir(),
        c.cgroupParent(),
        c.javaCommand(),
        classPath,
        c.jvmOptions(),
        c.warmPool(),
        c.initTimeout());
  }

  @Test
  void aClassPathWithADirectoryGetsNoArchive() {
    Path archives = tmp.resolve("cds");
    List<String> options =
        InitArchive.options(config(tmp, tmp.toString()), archives, Runtime.version().feature());
    assertEquals(List.of(), options);
    assertTrue(Files.notExists(archives), "nothing is made for a directory class path");
  }

  @Test
  void theFeatureVersionOfThisJvmAndOfAnother() {
    String own = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    assertEquals(Runtime.version().feature(), InitArchive.feature(own));
    Path temurin25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    if (Files.isExecutable(temurin25)) {
      assertEquals(25, InitArchive.feature(temurin25.toString()));
    }
  }

  /** The class path of this test with its class directories packed into jars. */
  private List<String> jarredClassPath() throws IOException {
    List<String> out = new ArrayList<>();
    int n = 0;
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(e);
      if (Files.isRegularFile(p) && e.endsWith(".jar")) {
        out.add(p.toAbsolutePath().toString());
      } else if (Files.isDirectory(p) && !e.contains("test-classes")) {
        Path jar = tmp.resolve("classes-" + n++ + ".jar");
        pack(p, jar);
        out.add(jar.toString());
      }
    }
    return out;
  }

  private static void pack(Path dir, Path jar) throws IOException {
    try (OutputStream f = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(f);
        Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          j.putNextEntry(new JarEntry(dir.relativize(p).toString()));
          Files.copy(p, j);
          j.closeEntry();
        }
      }
    }
  }

  @Test
  void jarsGetAnArchiveThatTheInitJvmMapsAndThatIsReused() throws Exception {
    String cp = String.join(java.io.File.pathSeparator, jarredClassPath());
    RuntimeConfig config = config(tmp, cp);
    Path archives = tmp.resolve("cds");
    int feature = Runtime.version().feature();
    List<String> options = InitArchive.options(config, archives, feature);
    assertTrue(options.get(0).startsWith("-XX:"), "the archive first: " + options);
    Path archive = Path.of(options.get(0).substring(options.get(0).indexOf('=') + 1));
    assertTrue(Files.size(archive) > 0, "the archive was written: " + archive);
    long made = Files.getLastModifiedTime(archive).toMillis();

    // The init JVM with the archive: the training run again, now mapping it, -Xshare:on so that an
    // archive the JVM cannot use fails here instead of being skipped.
    List<String> cmd = new ArrayList<>();
    cmd.add(config.javaCommand());
    cmd.addAll(config.jvmOptions());
    cmd.add("-Xshare:on");
    cmd.addAll(options);
    cmd.addAll(
        List.of(
            "-cp",
            cp,
            org.glasshouse.helper.runtime.init.InitMain.class.getName(),
            org.glasshouse.helper.runtime.init.InitMain.TRAIN));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), "the init JVM ran with the archive: " + said);

    assertEquals(options, InitArchive.options(config, archives, feature), "the same archive");
    assertEquals(made, Files.getLastModifiedTime(archive).toMillis(), "reused, not rebuilt");
  }
}
