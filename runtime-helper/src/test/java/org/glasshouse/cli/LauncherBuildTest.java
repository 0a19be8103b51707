package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's rebuild of a stale jar ({@code build} in {@code ./glasshouse}), its functions
 * taken from the script and run against a checkout of its own whose {@code ./mvnw} only records
 * that it ran: never under a JVM that runs from this checkout's jars (a helper died with
 * NoClassDefFoundError when another command rebuilt them under it), and once when two launchers
 * find the jar stale at the same time.
 */
class LauncherBuildTest {

  @TempDir Path dir;

  private Path repo;
  private Path jar;
  private Path calls;
  private Path nativePs;
  private Path nativeRun;
  private Process helper;

  @BeforeEach
  void checkout() throws Exception {
    repo = Files.createDirectories(dir.resolve("checkout")).toRealPath();
    for (String pom :
        List.of("pom.xml", "runtime-helper/pom.xml", "runtime-helper/protocol/pom.xml")) {
      Files.createDirectories(repo.resolve(pom).getParent());
      Files.writeString(repo.resolve(pom), "<project/>");
    }
    Files.createDirectories(repo.resolve("runtime-helper/protocol/src/main"));
    Files.createDirectories(repo.resolve("runtime-helper/src/main/java"));
    Path target = Files.createDirectories(repo.resolve("runtime-helper/target"));
    jar = Files.writeString(target.resolve("runtime-helper.jar"), "jar");
    Path init = Files.writeString(target.resolve("glasshouse-init"), "");
    assertTrue(init.toFile().setExecutable(true));
    nativePs = Files.writeString(target.resolve("glasshouse-ps"), "");
    assertTrue(nativePs.toFile().setExecutable(true));
    nativeRun = Files.writeString(target.resolve("glasshouse-run"), "");
    assertTrue(nativeRun.toFile().setExecutable(true));
    calls = repo.resolve("mvn-calls");
    Path mvnw =
        Files.writeString(
            repo.resolve("mvnw"),
            "#!/bin/bash\n"
                + "echo \"$*\" >>mvn-calls\n"
                + "sleep \"${FAKE_MAVEN_SECONDS:-0}\"\n"
                + "touch runtime-helper/target/runtime-helper.jar\n");
    assertTrue(mvnw.toFile().setExecutable(true));
    // Built an hour after its sources: fresh.
    long now = System.currentTimeMillis();
    try (var all = Files.walk(repo)) {
      for (Path p : all.toList()) {
        Files.setLastModifiedTime(p, FileTime.fromMillis(now - 7_200_000));
      }
    }
    Files.setLastModifiedTime(jar, FileTime.fromMillis(now - 3_600_000));
  }

  @AfterEach
  void stopHelper() throws Exception {
    if (helper != null) {
      helper.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStaleJarIsNotRebuiltUnderAHelperOfThisCheckout() throws Exception {
    staleSource();
    helper = startHelper(repo);

    Run refused = build(0);
    assertEquals(1, refused.status(), refused.toString());
    assertTrue(
        refused.err().contains(helper.pid() + ": helper --socket /tmp/gh-test/helper.sock"),
        "names the helper: " + refused);
    assertTrue(refused.err().contains("Stop them first"), refused.toString());
    assertFalse(Files.exists(calls), "Maven ran under the helper");

    helper.getOutputStream().close(); // the helper ends
    assertTrue(helper.waitFor(30, TimeUnit.SECONDS));
    Run built = build(0);
    assertEquals(0, built.status(), built.toString());
    assertEquals(
        List.of("-B -q -DskipTests -pl runtime-helper -am package"), Files.readAllLines(calls));
  }

  /**
   * Issue #14's class walk: the app's build ({@code -pl app -am}) also packages the helper's module
   * when its sources changed, and a helper of this checkout running from that jar died with
   * NoClassDefFoundError at the first bridge. The app's build is refused then too; with the
   * helper's module fresh, a running helper does not stop it.
   */
  @Test
  void theAppIsNotBuiltUnderAHelperWhoseJarItWouldRewrite() throws Exception {
    staleSource();
    helper = startHelper(repo);

    Run refused = build(0, "app glasshouse-app");
    assertEquals(1, refused.status(), refused.toString());
    assertTrue(
        refused.err().contains(helper.pid() + ": helper --socket /tmp/gh-test/helper.sock"),
        "names the helper: " + refused);
    assertFalse(Files.exists(calls), "Maven ran under the helper");

    // The helper's jar built since (the helper restarted from it): only the app is stale.
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    Files.createDirectories(repo.resolve("app/target")); // where Maven would put the app's jar
    Run built = build(0, "app glasshouse-app");
    assertEquals(0, built.status(), built.toString());
    assertEquals(List.of("-B -q -DskipTests -pl app -am package"), Files.readAllLines(calls));
  }

  @Test
  void aHelperOfAnotherCheckoutDoesNotStopTheBuild() throws Exception {
    staleSource();
    helper = startHelper(dir.resolve("elsewhere"));

    Run built = build(0);
    assertEquals(0, built.status(), built.toString());
    assertEquals(1, Files.readAllLines(calls).size());
  }

  @Test
  void aFreshJarRunsUnderARunningHelperWithoutAWord() throws Exception {
    helper = startHelper(repo);

    Run run = build(0);
    assertEquals(0, run.status(), run.toString());
    assertEquals("", run.err());
    assertFalse(Files.exists(calls));
  }

  @Test
  void aMissingNativePsClientIsBuilt() throws Exception {
    Files.delete(nativePs);

    Run built = build(0);
    assertEquals(0, built.status(), built.toString());
    assertEquals(
        List.of("-B -q -DskipTests -pl runtime-helper -am package"), Files.readAllLines(calls));
  }

  @Test
  void aMissingNativeRunClientIsBuilt() throws Exception {
    Files.delete(nativeRun);

    Run built = build(0);
    assertEquals(0, built.status(), built.toString());
    assertEquals(
        List.of("-B -q -DskipTests -pl runtime-helper -am package"), Files.readAllLines(calls));
  }

  /** The clients' shared JSON reader is one of their sources: a change to it rebuilds. */
  @Test
  void aChangedSharedJsonReaderRebuilds() throws Exception {
    Path c = Files.createDirectories(repo.resolve("runtime-helper/src/main/c"));
    Path header = Files.writeString(c.resolve("glasshouse-json.h"), "/* newer */");
    Files.setLastModifiedTime(header, FileTime.fromMillis(System.currentTimeMillis()));

    Run built = build(0);
    assertEquals(0, built.status(), built.toString());
    assertEquals(
        List.of("-B -q -DskipTests -pl runtime-helper -am package"), Files.readAllLines(calls));
  }

  @Test
  void twoLaunchersThatFindTheJarStaleBuildItOnce() throws Exception {
    staleSource();
    Process first = start(2);
    Process second = start(2);
    assertTrue(first.waitFor(60, TimeUnit.SECONDS) && second.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, first.exitValue());
    assertEquals(0, second.exitValue());
    assertEquals(1, Files.readAllLines(calls).size(), "Maven ran twice");
  }

  // ---- the checkout, its helper and the launcher's functions ----------------------------------

  record Run(int status, String err) {}

  private void staleSource() throws Exception {
    Files.writeString(repo.resolve("runtime-helper/src/main/java/A.java"), "class A {}");
  }

  /**
   * A JVM as the launcher starts the helper (this checkout's home, the CLI's main class, {@code
   * helper}); it lives until its stdin closes.
   */
  private Process startHelper(Path home) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/org/glasshouse/cli"));
    Files.writeString(
        src.resolve("Main.java"),
        "package org.glasshouse.cli; public class Main { public static void main(String[] a)"
            + " throws Exception { while (System.in.read() >= 0) {} } }");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), src.resolve("Main.java").toString());
    assertEquals(0, rc, "javac");
    return new ProcessBuilder(
            "java",
            "-Dglasshouse.home=" + home,
            "-cp",
            classes.toString(),
            "org.glasshouse.cli.Main",
            "helper",
            "--socket",
            "/tmp/gh-test/helper.sock")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** Runs {@code build runtime-helper runtime-helper} from the launcher in the checkout. */
  private Run build(int mavenSeconds) throws Exception {
    return build(mavenSeconds, "runtime-helper runtime-helper");
  }

  /** Runs {@code build ARGS} (a module and its jar's name) from the launcher in the checkout. */
  private Run build(int mavenSeconds, String args) throws Exception {
    Process p = start(mavenSeconds, args);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher hangs");
    return new Run(p.exitValue(), Files.readString(dir.resolve("err-" + p.pid())));
  }

  private Process start(int mavenSeconds) throws Exception {
    return start(mavenSeconds, "runtime-helper runtime-helper");
  }

  private Process start(int mavenSeconds, String args) throws Exception {
    String launcher = Files.readString(Path.of("../glasshouse"));
    int die = launcher.indexOf("\ndie() {");
    int dieEnd = launcher.indexOf('\n', die + 1);
    int from = launcher.indexOf("\nstale() {\n");
    int to = launcher.indexOf("\n# Class-data sharing");
    assertTrue(die >= 0 && from > die && to > from, "no die, stale or build in the launcher");
    String script =
        "set -euo pipefail\n"
            + "repo=$1\n"
            + launcher.substring(die + 1, dieEnd + 1)
            + launcher.substring(from + 1, to + 1)
            + "build "
            + args
            + "\n";
    Path file = dir.resolve("build.sh");
    Files.writeString(file, script);
    Path err = Files.createTempFile(dir, "err", "");
    ProcessBuilder pb =
        new ProcessBuilder("bash", file.toString(), repo.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile());
    pb.environment().put("FAKE_MAVEN_SECONDS", Integer.toString(mavenSeconds));
    Process p = pb.start();
    Files.move(err, dir.resolve("err-" + p.pid()));
    return p;
  }
}
