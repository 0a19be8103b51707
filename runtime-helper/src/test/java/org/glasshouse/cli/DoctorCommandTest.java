package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {

  @TempDir Path home;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private static Path fixture(String host) throws Exception {
    return Path.of(DoctorCommandTest.class.getResource("/hosts/" + host).toURI());
  }

  private int doctor(Path root, Map<String, String> env, Runtime.Version java) throws Exception {
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Map<String, String> e = new java.util.HashMap<>(env);
    // No helper unless a test starts one: the machine's default socket must not decide a test.
    e.putIfAbsent("GLASSHOUSE_SOCKET", home.resolve("no-helper.sock").toString());
    return new DoctorCommand(root, e, home, java, out).call();
  }

  private static Runtime.Version v(String version) {
    return Runtime.Version.parse(version);
  }

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The line for {@code fact}, with the marker and name columns squeezed to one space. */
  private String line(String fact) {
    return output()
        .lines()
        .map(l -> l.replaceAll(" {2,}", " "))
        .filter(l -> l.matches("\\S+ " + fact + " .*"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + fact + " in:\n" + output()));
  }

  private void builtApp(String javafxVersion) throws Exception {
    appIn("app/target/lib", javafxVersion);
  }

  /** The app's jars in {@code dir} under home: a checkout's build, or the package's layout. */
  private void appIn(String dir, String javafxVersion) throws Exception {
    Path lib = Files.createDirectories(home.resolve(dir));
    // An empty jar, as an interrupted build leaves, sorts first and must be passed over.
    Files.writeString(lib.resolve("javafx-base-0-truncated.jar"), "");
    try (ZipOutputStream zip =
        new ZipOutputStream(Files.newOutputStream(lib.resolve("javafx-base-21-linux.jar")))) {
      zip.putNextEntry(new ZipEntry("javafx.properties"));
      zip.write(("javafx.version=" + javafxVersion + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** An executable glasshouse-init at {@code place} under home (a checkout's, or the package's). */
  private Path builtInit(String place) throws Exception {
    Path exe = home.resolve(place);
    Files.createDirectories(exe.getParent());
    Files.writeString(exe, "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        exe, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return exe;
  }

  @Test
  void hybridRootHostWithEverythingBuiltIsOk() throws Exception {
    builtApp("21.0.11");
    Path init = builtInit("runtime-helper/target/glasshouse-init");
    Path images = Files.createDirectories(home.resolve("build/images"));
    Files.write(images.resolve("busybox.tar"), new byte[4096]);

    int status = doctor(fixture("hybrid"), Map.of("DISPLAY", ":0"), v("17.0.15"));

    assertEquals(0, status, output());
    assertEquals("ok kernel 6.18.44-fc-v857", line("kernel"));
    assertEquals("ok root yes", line("root"));
    for (String ns : List.of("mnt", "uts", "ipc", "pid", "net", "cgroup", "user", "time")) {
      assertEquals("ok namespace " + ns + " available", line("namespace " + ns));
    }
    assertEquals("ok overlayfs available", line("overlayfs"));
    assertTrue(line("cgroups").startsWith("ok cgroups hybrid:"), line("cgroups"));
    assertTrue(line("cgroups").contains("cgroup2 at /sys/fs/cgroup/unified"), line("cgroups"));
    assertEquals("ok cgroup cpu v1 at /sys/fs/cgroup/cpu", line("cgroup cpu"));
    assertEquals("ok cgroup memory v1 at /sys/fs/cgroup/memory", line("cgroup memory"));
    assertEquals("ok cgroup pids v1 at /sys/fs/cgroup/pids", line("cgroup pids"));
    assertEquals("ok cgroup cpuset v1 at /sys/fs/cgroup/cpuset", line("cgroup cpuset"));
    assertEquals("ok pivot_root possible (/ is ext4)", line("pivot_root"));
    assertTrue(line("busybox image").startsWith("ok busybox image " + images), output());
    assertEquals("ok java 17.0.15", line("java"));
    assertEquals("ok javafx 21.0.11", line("javafx"));
    assertEquals(
        "ok init stage native, " + init + " (glasshouse helper --init jvm: a JVM)",
        line("init stage"));
    assertEquals("ok display DISPLAY=:0", line("display"));
    // The one warning: no helper on the test's socket.
    assertTrue(output().endsWith("verdict: the lab can run here (1 warning)\n"), output());
  }

  @Test
  void theInstalledPackagesJavaFxIsFoundInItsAppDir(@TempDir Path images) throws Exception {
    // The package's launcher passes -Dglasshouse.home=/usr/lib/glasshouse, jars in app/.
    appIn("app", "21.0.11");
    doctor(fixture("v2"), Map.of("GLASSHOUSE_IMAGES", images.toString()), v("17.0.15"));
    assertEquals("ok javafx 21.0.11", line("javafx"));
  }

  @Test
  void theInstalledPackagesNativeInitIsFoundBesideTheHelpersJar() throws Exception {
    Path init = builtInit("helper/glasshouse-init");
    doctor(fixture("hybrid"), Map.of(), v("17"));
    assertTrue(line("init stage").startsWith("ok init stage native, " + init), output());
  }

  @Test
  void aMissingNativeInitFailsAndSaysTheTwoWaysOn() throws Exception {
    // Not executable: as good as missing, the helper would not run it.
    Path exe = home.resolve("runtime-helper/target/glasshouse-init");
    Files.createDirectories(exe.getParent());
    Files.writeString(exe, "");
    int status = doctor(fixture("hybrid"), Map.of(), v("17"));
    assertEquals(1, status, output());
    assertTrue(
        line("init stage").startsWith("FAIL init stage native (the default), but"), output());
    assertTrue(line("init stage").contains("./mvnw -B package (needs gcc"), output());
    assertTrue(line("init stage").endsWith("or start the helper with --init jvm"), output());
    assertTrue(output().contains("the lab cannot run here: init stage: native"), output());
  }

  @Test
  void v2DesktopUserGetsWarningsOnlyAndImagesDirFromTheEnvironment(@TempDir Path images)
      throws Exception {
    builtInit("helper/glasshouse-init");
    int status =
        doctor(
            fixture("v2"),
            Map.of("WAYLAND_DISPLAY", "wayland-0", "GLASSHOUSE_IMAGES", images.toString()),
            v("21.0.2"));

    assertEquals(0, status, output());
    assertTrue(line("root").startsWith("warn root no (uid 1000)"), line("root"));
    assertTrue(line("cgroups").startsWith("ok cgroups v2: cgroup2 at /sys/fs/cgroup"), output());
    assertEquals("ok cgroup memory v2 at /sys/fs/cgroup", line("cgroup memory"));
    assertTrue(line("pivot_root").startsWith("warn pivot_root only root can tell"), output());
    assertTrue(line("busybox image").contains(images.resolve("busybox.tar").toString()), output());
    assertTrue(line("busybox image").startsWith("warn busybox image missing"), output());
    assertEquals("warn javafx not built (./mvnw -B package)", line("javafx"));
    assertEquals("ok display WAYLAND_DISPLAY=wayland-0", line("display"));
    assertTrue(output().endsWith("verdict: the lab can run here (5 warnings)\n"), output());
  }

  @Test
  void oldV1HostWarnsAboutMissingNamespaces() throws Exception {
    builtInit("runtime-helper/target/glasshouse-init");
    int status = doctor(fixture("v1"), Map.of(), v("17"));

    assertEquals(0, status, output());
    assertTrue(line("namespace cgroup").startsWith("warn namespace cgroup missing"), output());
    assertTrue(line("namespace time").startsWith("warn namespace time missing"), output());
    assertEquals("ok cgroup cpu v1 at /sys/fs/cgroup/cpu,cpuacct", line("cgroup cpu"));
    assertTrue(line("cgroups").startsWith("ok cgroups v1: hierarchies ["), output());
    assertTrue(line("display").startsWith("warn display none"), output());
  }

  @Test
  void hostWithoutCgroupsOrNamespacesCannotRunTheLab(@TempDir Path root) throws Exception {
    int status = doctor(root, Map.of(), v("17.0.1"));

    assertEquals(1, status, output());
    assertTrue(line("namespace pid").startsWith("FAIL namespace pid missing"), output());
    assertTrue(line("cgroups").startsWith("FAIL cgroups no cgroup filesystem"), output());
    assertTrue(line("cgroup memory").startsWith("warn cgroup memory not mounted"), output());
    String verdict = output().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(
        verdict.startsWith("verdict: the lab cannot run here: namespace mnt: missing"), verdict);
    assertTrue(verdict.contains("cgroups: no cgroup filesystem mounted"), verdict);
  }

  @Test
  void initramfsRootFailsOnPivotRoot(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("proc/self/ns"));
    for (String ns : List.of("mnt", "uts", "ipc", "pid", "net")) {
      Files.writeString(root.resolve("proc/self/ns/" + ns), "");
    }
    Files.writeString(root.resolve("proc/self/status"), "Uid:\t0\t0\t0\t0\n");
    Files.writeString(
        root.resolve("proc/self/mountinfo"),
        "1 1 0:2 / / rw - rootfs rootfs rw\n2 1 0:3 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");

    assertEquals(1, doctor(root, Map.of(), v("17")), output());
    assertTrue(line("pivot_root").startsWith("FAIL pivot_root impossible: / is the initramfs"));
  }

  @Test
  void javaOlderThan17Fails() throws Exception {
    assertEquals(1, doctor(fixture("hybrid"), Map.of(), v("11.0.2")), output());
    assertEquals("FAIL java 11.0.2 is too old: Java 17 or newer is required", line("java"));
  }

  @Test
  void argumentsAreAUsageError() {
    CliHelpTest.Result r = CliHelpTest.cli("doctor", "--verbose");
    assertEquals(2, r.status(), r.toString());
    assertEquals(
        "glasshouse doctor: Unknown option: '--verbose' (see glasshouse doctor --help)\n", r.err());
  }

  @Test
  void noHelperIsAWarningThatSaysHowToStartOne() throws Exception {
    doctor(fixture("hybrid"), Map.of(), v("17"));
    assertTrue(
        line("helper").startsWith("warn helper none at " + home.resolve("no-helper.sock")),
        output());
  }

  @Test
  void aRunningHelperIsReachedAndWhoMayConnectIsSaid() throws Exception {
    try (org.glasshouse.helper.server.TestHelpers.Running h =
        org.glasshouse.helper.server.TestHelpers.start()) {
      doctor(fixture("hybrid"), Map.of("GLASSHOUSE_SOCKET", h.socket().toString()), v("17"));
      assertTrue(line("helper").startsWith("ok helper glasshouse-helper/"), output());
      assertTrue(line("helper").contains("protocol 1"), output());
      assertTrue(line("who may connect").startsWith("ok who may connect root"), output());
      assertTrue(line("who may connect").contains("mode 0660"), output());
    }
  }

  @Test
  void aSocketAnyoneMayWriteToFails() throws Exception {
    try (org.glasshouse.helper.server.TestHelpers.Running h =
        org.glasshouse.helper.server.TestHelpers.start()) {
      Files.setPosixFilePermissions(
          h.socket(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
      int status =
          doctor(fixture("hybrid"), Map.of("GLASSHOUSE_SOCKET", h.socket().toString()), v("17"));
      assertEquals(1, status, output());
      assertTrue(
          line("who may connect").startsWith("FAIL who may connect anyone on this machine"),
          output());
    }
  }

  /** Doctor and the README say the same about where each cgroup version has been proven. */
  @Test
  void theCgroupVersionsProvenAreStatedAsInTheReadme() throws Exception {
    doctor(fixture("v2"), Map.of(), v("17"));
    assertEquals(
        "ok cgroups proven "
            + DoctorCommand.CGROUPS_SUPPORTED
            + ": "
            + DoctorCommand.CGROUPS_PROVEN,
        line("cgroups proven"));
    Path readme =
        Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolveSibling("README.md");
    String text = Files.readString(readme).replaceAll("\\s+", " ");
    assertTrue(
        text.contains(", " + DoctorCommand.CGROUPS_SUPPORTED + ". Proven on: "),
        "the README's requirements: " + DoctorCommand.CGROUPS_SUPPORTED);
    assertTrue(
        text.contains("Proven on: " + DoctorCommand.CGROUPS_PROVEN + "."),
        "the README says what doctor says: " + DoctorCommand.CGROUPS_PROVEN);
  }

  /** The real machine, as {@code ./glasshouse doctor} sees it. */
  @Test
  void thisHost() throws Exception {
    CgroupLayout layout = CgroupLayout.detect(Path.of("/"));
    // This build's native init (the compile phase made it), where a checkout's helper finds it.
    Files.createDirectories(home.resolve("runtime-helper/target"));
    Files.createSymbolicLink(
        home.resolve("runtime-helper/target/glasshouse-init"),
        Path.of("target/glasshouse-init").toAbsolutePath());
    int status = doctor(Path.of("/"), System.getenv(), Runtime.version());
    System.out.print(output());

    assertEquals(0, status, output());
    assertTrue(line("init stage").startsWith("ok init stage native, "), output());
    TestSupport.onlyOn(
        layout.mode() == CgroupLayout.Mode.HYBRID,
        "DoctorCommandTest.thisHost checks a hybrid host's lines; this one is "
            + layout.mode().wireName());
    assertTrue(line("cgroups").startsWith("ok cgroups hybrid:"), output());
    for (String c : List.of("cpu", "memory", "pids")) {
      assertTrue(line("cgroup " + c).startsWith("ok cgroup " + c + " v1 at "), output());
    }
  }
}
