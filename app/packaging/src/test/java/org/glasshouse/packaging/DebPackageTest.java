package org.glasshouse.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.glasshouse.app.core.HelperLocator;
import org.glasshouse.testsupport.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the .deb holds, read with dpkg-deb and from its extracted files; no root needed. */
class DebPackageTest {

  private static final String LIB = "./usr/lib/glasshouse/";
  private static final String UNITS = "./lib/systemd/system/";

  /** Sandboxing directives glasshouse.service must not set; its comment says why for each. */
  private static final List<String> REJECTED =
      List.of(
          "ProtectHome",
          "PrivateTmp",
          "ProtectSystem",
          "PrivateDevices",
          "ProtectKernelTunables",
          "ProtectKernelModules",
          "ProtectKernelLogs",
          "ProtectControlGroups",
          "ProtectProc",
          "ProtectHostname",
          "PrivateNetwork",
          "PrivateUsers",
          "PrivateMounts",
          "NoNewPrivileges",
          "SystemCallFilter",
          "LockPersonality",
          "RestrictNamespaces",
          "MemoryDenyWriteExecute",
          "CapabilityBoundingSet",
          "IPAddressDeny",
          "DevicePolicy");

  private static Deb deb;

  @BeforeAll
  static void build() throws Exception {
    deb = Deb.get();
  }

  @Test
  void itHoldsTheAppTheHelperTheRuntimeTheUnitsAndTheImage() {
    for (String path :
        List.of(
            LIB + "bin/glasshouse",
            LIB + "bin/glasshouse-ps",
            LIB + "bin/glasshouse-run",
            LIB + "runtime/bin/java",
            LIB + "runtime/lib/modules",
            LIB + "runtime/lib/server/classes.jsa",
            LIB + "helper/runtime-helper.jar",
            LIB + "app/glasshouse-app.jar",
            LIB + "helper.args",
            UNITS + "glasshouse.socket",
            UNITS + "glasshouse.service",
            "./usr/lib/tmpfiles.d/glasshouse.conf",
            "./usr/share/applications/glasshouse.desktop",
            "./usr/share/icons/hicolor/scalable/apps/glasshouse.svg",
            "./usr/share/icons/hicolor/48x48/apps/glasshouse.png",
            "./usr/share/icons/hicolor/256x256/apps/glasshouse.png",
            "./usr/share/man/man1/glasshouse.1.gz",
            "./usr/share/bash-completion/completions/glasshouse",
            "./usr/share/doc/glasshouse/copyright",
            "./usr/share/glasshouse/images/busybox.tar")) {
      assertNotNull(deb.entry(path), path + " is not in the package");
    }
    String bin = deb.entry("./usr/bin/glasshouse");
    assertNotNull(bin);
    assertTrue(bin.startsWith("l") && bin.endsWith("-> ../lib/glasshouse/bin/glasshouse"), bin);
    assertTrue(deb.entry(LIB + "bin/glasshouse").startsWith("-rwxr-xr-x"));
    assertTrue(deb.entry(LIB + "bin/glasshouse-ps").startsWith("-rwxr-xr-x"));
    assertTrue(deb.entry(LIB + "bin/glasshouse-run").startsWith("-rwxr-xr-x"));
    for (String line : deb.listing) {
      assertTrue(line.split("\\s+")[1].equals("root/root"), "not root-owned: " + line);
    }
  }

  @Test
  void theClassPathsAreWhatTheBuildPutInTargetLib() throws IOException {
    // Whatever the modules' builds copied there (the protocol split will change the app's): no
    // list of jar names anywhere in the packaging.
    assertEquals(
        jars(Deb.REPO.resolve("runtime-helper/target/lib"), "runtime-helper.jar"),
        jars(deb.root.resolve("usr/lib/glasshouse/helper"), null));
    assertEquals(
        jars(Deb.REPO.resolve("app/target/lib"), "glasshouse-app.jar"),
        jars(deb.root.resolve("usr/lib/glasshouse/app"), null));
  }

  @Test
  void theNativeInitStageIsBesideTheHelpersJar() throws Exception {
    // The helper's default init stage (issue 16): NativeInit looks for it next to the jar, and
    // nowhere else; without it the installed helper refuses to start (--init native).
    String entry = deb.entry(LIB + "helper/glasshouse-init");
    assertNotNull(entry, "glasshouse-init is not in the package");
    assertTrue(entry.startsWith("-rwxr-xr-x"), entry);
    assertArrayEquals(
        Files.readAllBytes(Deb.REPO.resolve("runtime-helper/target/glasshouse-init")),
        Files.readAllBytes(deb.root.resolve("usr/lib/glasshouse/helper/glasshouse-init")));
    // Static: it runs in the container's root, where no host library is reachable.
    String dynamic =
        Tool.run(
                List.of(
                    "readelf",
                    "-d",
                    deb.root.resolve("usr/lib/glasshouse/helper/glasshouse-init").toString()))
            .output();
    assertTrue(!dynamic.contains("NEEDED"), "glasshouse-init links shared libraries: " + dynamic);
  }

  @Test
  void theHelpersJvmOptionsAreTheCheckoutsFile() throws IOException {
    assertArrayEquals(
        Files.readAllBytes(Deb.REPO.resolve("runtime-helper/src/main/jvm/helper.args")),
        Files.readAllBytes(deb.root.resolve("usr/lib/glasshouse/helper.args")));
    String launcher = Files.readString(deb.root.resolve("usr/lib/glasshouse/bin/glasshouse"));
    assertTrue(launcher.contains("@\"$lib/helper.args\""), "the installed launcher reads it");
  }

  @Test
  void theControlFileNamesTheLibrariesTheNativeCodeNeeds() {
    assertEquals("glasshouse", deb.control.get("Package"));
    Set<String> depends = new TreeSet<>();
    for (String d : deb.control.get("Depends").split(",")) {
      depends.add(d.strip());
    }
    // libc6 for the JVM, libgtk-3-0 for JavaFX's glass, passwd for groupadd in postinst.
    assertTrue(depends.containsAll(List.of("libc6", "zlib1g", "passwd")), depends.toString());
    assertTrue(depends.stream().anyMatch(d -> d.startsWith("libgtk-3-0")), depends.toString());
    assertTrue(Long.parseLong(deb.control.get("Installed-Size")) > 10_000);
  }

  @Test
  void theMaintainerScriptsParse() throws Exception {
    Path work = Deb.OUT.resolve("control");
    Tool.run(List.of("rm", "-rf", work.toString()));
    Tool.Result e = Tool.run(List.of("dpkg-deb", "-e", deb.file.toString(), work.toString()));
    assertTrue(e.ok(), e.why());
    for (String s : List.of("postinst", "prerm", "postrm")) {
      Path script = work.resolve(s);
      assertTrue(Files.isExecutable(script), s);
      Tool.Result n = Tool.run(List.of("sh", "-n", script.toString()));
      assertTrue(n.ok(), n.why());
    }
    String postinst = Files.readString(work.resolve("postinst"));
    assertTrue(postinst.contains("groupadd --system glasshouse"));
    assertTrue(postinst.contains("equivalent to root"), "the post-install message says so");
    String postrm = Files.readString(work.resolve("postrm"));
    assertTrue(postrm.contains("groupdel glasshouse") && postrm.contains("/var/lib/glasshouse"));
  }

  @Test
  void theSocketUnitListensWhereTheAppLooks() throws IOException {
    Map<String, String> socket =
        Units.read(deb.root.resolve("lib/systemd/system/glasshouse.socket"));
    assertEquals(HelperLocator.DEFAULT_SOCKET, socket.get("Socket.ListenStream"));
    assertEquals("0660", socket.get("Socket.SocketMode"));
    assertEquals("root", socket.get("Socket.SocketUser"));
    assertEquals(HelperLocator.GROUP, socket.get("Socket.SocketGroup"));
    assertEquals("no", socket.get("Socket.Accept"));
    assertEquals("sockets.target", socket.get("Install.WantedBy"));
    assertEquals(
        "d /run/glasshouse 0750 root glasshouse -",
        Files.readString(deb.root.resolve("usr/lib/tmpfiles.d/glasshouse.conf"))
            .lines()
            .filter(l -> !l.startsWith("#"))
            .findFirst()
            .orElse(""));
  }

  @Test
  void theServiceRunsTheBundledLauncherAndSaysWhyItIsNotSandboxed() throws IOException {
    Path unit = deb.root.resolve("lib/systemd/system/glasshouse.service");
    Map<String, String> service = Units.read(unit);
    String[] exec = service.get("Service.ExecStart").split(" ");
    assertTrue(Files.isExecutable(deb.root.resolve(exec[0].substring(1))), exec[0]);
    assertEquals("helper", exec[1]);
    String args = String.join(" ", exec);
    assertTrue(args.contains("--socket " + HelperLocator.DEFAULT_SOCKET), args);
    assertTrue(args.contains("--group " + HelperLocator.GROUP), args);
    assertTrue(args.contains("--state-dir /var/lib/glasshouse"), args);
    assertEquals("mixed", service.get("Service.KillMode"));
    assertEquals("glasshouse.socket", service.get("Unit.Requires"));
    String comments = Files.readString(unit);
    for (String d : REJECTED) {
      assertFalse(service.containsKey("Service." + d), d + " would break the lab; see the unit");
      assertTrue(comments.contains(d), "the unit's comment does not say why " + d + " is not set");
    }
  }

  @Test
  void systemdAnalyzeVerifiesBothUnits(@TempDir Path tmp) throws Exception {
    Prerequisites.require(Tool.onPath("systemd-analyze"), "no systemd-analyze (package systemd)");
    Path targets = Path.of("/lib/systemd/system");
    Prerequisites.require(
        Files.isRegularFile(targets.resolve("sockets.target")),
        "no systemd target units in " + targets + " to verify against");
    // systemd need not run: verify loads the units offline, from a root holding the package's
    // files and the standard targets they hang from. Say which case this is.
    boolean running = Files.isDirectory(Path.of("/run/systemd/system"));
    System.out.println(
        "packaging: systemd "
            + (running ? "runs here" : "does not run here (PID 1 is " + pid1() + ")")
            + "; systemd-analyze verify checks the units offline");
    Path root = tmp.resolve("root");
    Tool.Result x = Tool.run(List.of("dpkg-deb", "-x", deb.file.toString(), root.toString()));
    assertTrue(x.ok(), x.why());
    Path units = root.resolve("usr/lib/systemd/system");
    Files.createDirectories(units);
    try (Stream<Path> s = Files.list(targets)) {
      for (Path t : s.filter(p -> p.toString().endsWith(".target")).toList()) {
        Files.copy(t, units.resolve(t.getFileName()));
      }
    }
    Tool.Result v =
        Tool.run(
            List.of(
                "systemd-analyze",
                "verify",
                "--root=" + root,
                "--man=no",
                "/lib/systemd/system/glasshouse.socket",
                "/lib/systemd/system/glasshouse.service"));
    // Unknown keys are only warnings (status 0): any output at all fails the test.
    assertTrue(v.ok() && v.output().isBlank(), v.why());
  }

  @Test
  void theDesktopEntryOpensTheAppWithItsIcon() throws Exception {
    Map<String, String> entry =
        Units.read(deb.root.resolve("usr/share/applications/glasshouse.desktop"));
    assertEquals("Application", entry.get("Desktop Entry.Type"));
    assertEquals("glasshouse", entry.get("Desktop Entry.Exec"));
    assertEquals("glasshouse", entry.get("Desktop Entry.Icon"));
    assertEquals("false", entry.get("Desktop Entry.Terminal"));
    assertTrue(entry.get("Desktop Entry.Categories").contains("Education;"));
    for (int n : new int[] {16, 32, 48, 64, 128, 256}) {
      Path png =
          deb.root.resolve("usr/share/icons/hicolor/" + n + "x" + n + "/apps/glasshouse.png");
      assertArrayEquals(
          Files.readAllBytes(Deb.REPO.resolve("assets/icons/glasshouse-" + n + ".png")),
          Files.readAllBytes(png));
    }
    if (Tool.onPath("desktop-file-validate")) {
      Tool.Result v =
          Tool.run(
              List.of(
                  "desktop-file-validate",
                  deb.root.resolve("usr/share/applications/glasshouse.desktop").toString()));
      assertTrue(v.ok() && v.output().isBlank(), v.why());
    } else {
      System.out.println("packaging: no desktop-file-validate here; the entry's keys were checked");
    }
  }

  /**
   * The completion file bash-completion loads on the first Tab after {@code glasshouse}: picocli's
   * script, generated at build time by the bundled runtime; sourced in a bash it registers the
   * completion, and {@code glasshouse ru<Tab>} offers {@code run}.
   */
  @Test
  void theBashCompletionRegistersAndCompletesACommand() throws Exception {
    Path comp = deb.root.resolve("usr/share/bash-completion/completions/glasshouse");
    assertTrue(
        deb.entry("./usr/share/bash-completion/completions/glasshouse").startsWith("-rw-r--r--"));
    Tool.Result registered =
        Tool.run(
            List.of("bash", "-c", ". \"$1\" && complete -p glasshouse", "_", comp.toString()),
            Map.of("PATH", "/usr/bin:/bin"),
            Path.of("."),
            60);
    assertTrue(
        registered.ok() && registered.output().contains("-F _complete_glasshouse glasshouse"),
        registered.why());
    Tool.Result tab =
        Tool.run(
            List.of(
                "bash",
                "-c",
                ". \"$1\" && f=$(complete -p glasshouse | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p')"
                    + " && COMP_WORDS=(glasshouse ru) COMP_CWORD=1 COMP_LINE='glasshouse ru'"
                    + " COMP_POINT=13 && \"$f\" glasshouse ru glasshouse"
                    + " && echo \"[${COMPREPLY[*]}]\"",
                "_",
                comp.toString()),
            Map.of("PATH", "/usr/bin:/bin"),
            Path.of("."),
            60);
    assertTrue(tab.ok() && tab.output().contains("[run]"), tab.why());
  }

  @Test
  void theManPageRendersWithoutWarnings() throws Exception {
    Prerequisites.require(Tool.onPath("man"), "no man (package man-db)");
    Tool.Result m =
        Tool.run(
            List.of(
                "sh",
                "-c",
                "man --warnings -l \"$0\" 2>&1 >/dev/null",
                deb.root.resolve("usr/share/man/man1/glasshouse.1.gz").toString()),
            Map.of("MANWIDTH", "80"),
            Path.of("."),
            60);
    assertTrue(m.ok() && m.output().isBlank(), m.why());
  }

  @Test
  void theBundledRuntimeRunsTheCliAndLoadsTheAppWithNoJdkOnThePath(@TempDir Path bin)
      throws Exception {
    // A PATH with the few tools the launcher uses and no java: the package needs no JDK.
    for (String tool : List.of("bash", "readlink", "dirname", "id")) {
      Path real = Path.of("/usr/bin", tool);
      Files.createSymbolicLink(
          bin.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
    }
    Map<String, String> env = Map.of("PATH", bin.toString(), "JAVA_HOME", "/nonexistent");
    Path launcher = deb.root.resolve("usr/lib/glasshouse/bin/glasshouse");
    Tool.Result help = Tool.run(List.of(launcher.toString(), "--help"), env, Path.of("."), 120);
    assertTrue(help.ok() && help.output().contains("Usage: glasshouse"), help.why());
    assertTrue(help.output().contains("glasshouse group"), help.why());
    Path java = deb.root.resolve("usr/lib/glasshouse/runtime/bin/java");
    // As the launcher runs it: JavaFX on the module path (resolved here against the bundled
    // runtime's modules), the rest on the class path.
    Path appDir = deb.root.resolve("usr/lib/glasshouse/app");
    List<String> fx = new java.util.ArrayList<>();
    List<String> rest = new java.util.ArrayList<>();
    for (String jar : jars(appDir, null)) {
      (jar.startsWith("javafx-") ? fx : rest).add(appDir.resolve(jar).toString());
    }
    Tool.Result app =
        Tool.run(
            List.of(
                java.toString(),
                "--dry-run",
                "--module-path",
                String.join(":", fx),
                "--add-modules",
                "javafx.controls",
                "-cp",
                String.join(":", rest),
                "org.glasshouse.app.Launcher"),
            env,
            Path.of("."),
            120);
    assertTrue(app.ok(), app.why());
    Tool.Result modules =
        Tool.run(List.of(java.toString(), "--list-modules"), env, Path.of("."), 60);
    for (String m : List.of("jdk.net", "jdk.security.auth", "java.desktop", "jdk.unsupported")) {
      assertTrue(modules.output().contains(m + "@"), m + " missing: " + modules.output());
    }
  }

  private static Set<String> jars(Path dir, String plus) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).forEach(names::add);
    }
    if (plus != null) {
      names.add(plus);
    }
    return names;
  }

  private static String pid1() {
    try {
      return Files.readString(Path.of("/proc/1/comm")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
