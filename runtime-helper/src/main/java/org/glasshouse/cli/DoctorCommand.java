package org.glasshouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.inspect.HostFacts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code glasshouse doctor}: one line per fact the lab depends on, marked {@code ok}, {@code warn}
 * or {@code FAIL}, then a verdict. Exits 0 when the lab can run here, 1 with the reasons when not.
 * Facts only root can see are warnings for other users: the helper, not the caller, runs as root.
 */
@Command(
    name = "doctor",
    description = {
      "Check that this machine can run the lab: kernel, namespaces, overlayfs, the cgroup mode,"
          + " the busybox image, Java, JavaFX, the display, and the helper's socket (reachable,"
          + " its version, who may connect). One line each, then a verdict; 1 when the lab cannot"
          + " run here."
    })
public final class DoctorCommand implements Callable<Integer> {

  /** How a fact bears on the lab: {@code FAIL} means it cannot run. */
  enum Status {
    OK("ok"),
    WARN("warn"),
    FAIL("FAIL");

    final String marker;

    Status(String marker) {
      this.marker = marker;
    }
  }

  /** One line of the report. */
  record Check(Status status, String name, String detail) {}

  /**
   * Where each cgroup version has been proven, and how: the README's requirements say the same
   * words (DoctorCommandTest checks it).
   */
  static final String CGROUPS_PROVEN =
      "v1 controllers and hybrid on the CI machine's own kernel (./glasshouse test), v2 in a"
          + " pure-v2 QEMU guest with Debian's 6.1 kernel (./glasshouse test-v2, which CI runs"
          + " after the suite)";

  /** The cgroup versions Glasshouse runs on, as doctor and the README's requirements say it. */
  static final String CGROUPS_SUPPORTED =
      "cgroup v1, hybrid and v2 (v2 verified in a virtual machine in CI)";

  /** Namespaces without which the levels cannot be built; the others only warn. */
  private static final List<String> REQUIRED_NAMESPACES =
      List.of("mnt", "uts", "ipc", "pid", "net");

  /** The controllers doctor reports, with the level that needs each (cpuset: informational). */
  private static final Map<String, String> CONTROLLERS =
      Map.of("cpu", "level 08", "memory", "level 09", "pids", "level 12", "cpuset", "");

  private final Path root;
  private final Map<String, String> env;
  private final Path home;
  private final Runtime.Version java;
  private final PrintStream out;

  /** Doctor of this machine, as the current user. */
  public DoctorCommand() {
    this(Path.of("/"), System.getenv(), Installation.home(), Runtime.version(), System.out);
  }

  DoctorCommand(
      Path root, Map<String, String> env, Path home, Runtime.Version java, PrintStream out) {
    this.root = root;
    this.env = env;
    this.home = home;
    this.java = java;
    this.out = out;
  }

  @Mixin GlasshouseCommand.HelpOption help;

  @Override
  public Integer call() {
    List<Check> checks = checks();
    List<String> failures = new ArrayList<>();
    int warnings = 0;
    for (Check c : checks) {
      out.printf("%-4s  %-16s  %s%n", c.status().marker, c.name(), c.detail());
      if (c.status() == Status.FAIL) {
        failures.add(c.name() + ": " + c.detail());
      } else if (c.status() == Status.WARN) {
        warnings++;
      }
    }
    if (failures.isEmpty()) {
      out.println(
          "verdict: the lab can run here"
              + (warnings == 0
                  ? ""
                  : " (" + warnings + " warning" + (warnings > 1 ? "s" : "") + ")"));
      return Exit.OK;
    }
    out.println("verdict: the lab cannot run here: " + String.join("; ", failures));
    return Exit.FAILED;
  }

  /** Every fact in report order. */
  List<Check> checks() {
    HostFacts host = HostFacts.read(root);
    List<Check> c = new ArrayList<>();
    c.add(
        host.kernel().isEmpty()
            ? new Check(Status.WARN, "kernel", "unknown (no /proc/sys/kernel/osrelease)")
            : new Check(Status.OK, "kernel", host.kernel()));
    c.add(
        host.isRoot()
            ? new Check(Status.OK, "root", "yes")
            : new Check(
                Status.WARN,
                "root",
                "no (uid "
                    + (host.effectiveUid().isPresent() ? host.effectiveUid().getAsInt() : "unknown")
                    + "): the helper must run as root (sudo ./glasshouse helper)"));
    for (String ns : HostFacts.NAMESPACE_TYPES) {
      boolean required = REQUIRED_NAMESPACES.contains(ns);
      c.add(
          host.namespaces().contains(ns)
              ? new Check(Status.OK, "namespace " + ns, "available")
              : new Check(
                  required ? Status.FAIL : Status.WARN,
                  "namespace " + ns,
                  "missing from /proc/self/ns (kernel built without it?)"));
    }
    c.add(
        host.overlayfs()
            ? new Check(Status.OK, "overlayfs", "available")
            : new Check(
                Status.WARN,
                "overlayfs",
                "not in /proc/filesystems (modprobe overlay): level 04 needs it"));
    c.addAll(cgroupChecks(host.cgroups()));
    c.add(pivotRoot(host));
    c.add(busyboxImage());
    c.add(
        java.feature() >= 17
            ? new Check(Status.OK, "java", java.toString())
            : new Check(Status.FAIL, "java", java + " is too old: Java 17 or newer is required"));
    c.add(
        javafxVersion()
            .map(v -> new Check(Status.OK, "javafx", v))
            .orElse(new Check(Status.WARN, "javafx", "not built (./mvnw -B package)")));
    c.add(initStage());
    c.add(display());
    c.addAll(HelperSocketCheck.checks(socket()));
    return c;
  }

  /** The socket the commands would use: {@code GLASSHOUSE_SOCKET}, else the default. */
  private Path socket() {
    String s = env.get("GLASSHOUSE_SOCKET");
    return Path.of(s == null || s.isBlank() ? "/run/glasshouse/helper.sock" : s);
  }

  private static List<Check> cgroupChecks(CgroupLayout layout) {
    List<Check> c = new ArrayList<>();
    String unified = layout.unifiedMount().map(Path::toString).orElse("");
    List<String> onV2 =
        layout.controllers().values().stream()
            .filter(h -> h.version() == 2)
            .map(CgroupLayout.Hierarchy::controller)
            .toList();
    String v2 = onV2.isEmpty() ? "no controllers" : "controllers " + String.join(" ", onV2);
    switch (layout.mode()) {
      case NONE ->
          c.add(
              new Check(
                  Status.FAIL,
                  "cgroups",
                  "no cgroup filesystem mounted (see /proc/self/mountinfo)"));
      case V1 -> c.add(new Check(Status.OK, "cgroups", "v1: hierarchies " + layout.v1Mounts()));
      case HYBRID ->
          c.add(
              new Check(
                  Status.OK,
                  "cgroups",
                  "hybrid: v1 hierarchies, cgroup2 at " + unified + " with " + v2));
      case V2 ->
          c.add(new Check(Status.OK, "cgroups", "v2: cgroup2 at " + unified + " with " + v2));
    }
    c.add(new Check(Status.OK, "cgroups proven", CGROUPS_SUPPORTED + ": " + CGROUPS_PROVEN));
    for (String name : List.of("cpu", "memory", "pids", "cpuset")) {
      String level = CONTROLLERS.get(name);
      c.add(
          layout
              .controller(name)
              .map(
                  h ->
                      new Check(
                          Status.OK, "cgroup " + name, "v" + h.version() + " at " + h.mountPoint()))
              .orElse(
                  new Check(
                      Status.WARN,
                      "cgroup " + name,
                      "not mounted or disabled"
                          + (level.isEmpty() ? "" : ": " + level + " needs it"))));
    }
    return c;
  }

  private static Check pivotRoot(HostFacts host) {
    Optional<Boolean> possible = host.pivotRootPossible();
    if (possible.isEmpty()) {
      return new Check(Status.WARN, "pivot_root", "only root can tell (the helper runs as root)");
    }
    if (possible.get()) {
      return new Check(Status.OK, "pivot_root", "possible (/ is " + host.rootFsType() + ")");
    }
    return new Check(
        Status.FAIL,
        "pivot_root",
        host.rootFsType().equals("rootfs")
            ? "impossible: / is the initramfs rootfs, which pivot_root refuses (EINVAL)"
            : "impossible: no mount namespaces");
  }

  private Check busyboxImage() {
    Path tar = Installation.imagesDir(env, home).resolve("busybox.tar");
    try {
      return new Check(Status.OK, "busybox image", tar + " (" + Units.bytes(Files.size(tar)) + ")");
    } catch (IOException e) {
      return new Check(
          Status.WARN, "busybox image", "missing: ./glasshouse images build busybox makes " + tar);
    }
  }

  /**
   * {@code javafx.version} from the javafx-base jar the app build copied to app/target/lib (a
   * checkout), or the package installed in {@code <home>/app} (home is /usr/lib/glasshouse).
   */
  Optional<String> javafxVersion() {
    TreeSet<Path> jars = new TreeSet<>();
    for (String lib : List.of("app/target/lib", "app")) {
      try (DirectoryStream<Path> dir =
          Files.newDirectoryStream(home.resolve(lib), "javafx-base-*.jar")) {
        dir.forEach(jars::add);
      } catch (IOException e) {
        // Not this layout: the other one, else "not built".
      }
    }
    for (Path jar : jars) {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        ZipEntry entry = zip.getEntry("javafx.properties");
        if (entry != null) {
          try (InputStream in = zip.getInputStream(entry)) {
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("javafx.version");
            if (v != null) {
              return Optional.of(v);
            }
          }
        }
      } catch (IOException e) {
        // A truncated jar from an interrupted build: try the next one, else "not built".
      }
    }
    return Optional.empty();
  }

  /**
   * The helper's default init stage, the native {@code glasshouse-init} (issue 16), where the
   * helper looks for it: beside the helper's jar, {@code runtime-helper/target/} in a checkout,
   * {@code <home>/helper/} in the package. Without it the helper refuses to start unless told
   * {@code --init jvm}: a failure here, never a silent fall back.
   */
  Check initStage() {
    for (String place :
        List.of("runtime-helper/target/glasshouse-init", "helper/glasshouse-init")) {
      Path exe = home.resolve(place);
      if (Files.isRegularFile(exe) && Files.isExecutable(exe)) {
        return new Check(
            Status.OK, "init stage", "native, " + exe + " (glasshouse helper --init jvm: a JVM)");
      }
    }
    return new Check(
        Status.FAIL,
        "init stage",
        "native (the default), but glasshouse-init is not built in "
            + home.resolve("runtime-helper/target")
            + " or "
            + home.resolve("helper")
            + ": ./mvnw -B package (needs gcc and a static libc), or start the helper with --init"
            + " jvm");
  }

  private Check display() {
    for (String var : List.of("WAYLAND_DISPLAY", "DISPLAY")) {
      String v = env.get(var);
      if (v != null && !v.isBlank()) {
        return new Check(Status.OK, "display", var + "=" + v);
      }
    }
    return new Check(
        Status.WARN,
        "display",
        "none (no DISPLAY or WAYLAND_DISPLAY): the lab's window needs one, the CLI and tests do not");
  }
}
