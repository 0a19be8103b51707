package org.glasshouse.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.glasshouse.testsupport.Prerequisites;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package on this machine, as an admin would use it: {@code apt-get install
 * ./glasshouse_*.deb}, the helper from the installed files on a test socket (passed by
 * systemd-socket-activate, as glasshouse.socket would), a level-12 container through the installed
 * CLI, a helper killed with -9 while a container runs, then {@code apt-get purge}: no file, unit
 * link, group, process, mount or cgroup of the package may be left.
 *
 * <p>The machine may be shared: the test runs only where no glasshouse package, group or
 * /var/lib/glasshouse exists (it would otherwise take someone else's for its own), one at a time (a
 * lock in /run/lock), never starts anything on the default socket, and purges in any case.
 */
@Tag("root")
class DebInstallTest {

  private static final Path LOCK = Path.of("/run/lock/glasshouse-test-deb-install.lock");
  private static final Path STATE = Path.of("/var/lib/glasshouse");
  private static final Path POLICY = Path.of("/usr/sbin/policy-rc.d");
  private static final String MARK = "4242.5"; // the detached container's sleep, to find it

  @TempDir Path tmp;

  @Test
  void installRunPurgeLeavesNothing() throws Exception {
    Prerequisites.require(Prerequisites.runningAsRoot(), "installing a package needs root");
    Prerequisites.require(Tool.onPath("apt-get"), "no apt-get");
    Deb deb = Deb.get();
    Files.createDirectories(LOCK.getParent());
    try (FileChannel ch =
            FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      Prerequisites.require(
          !installed(), "a glasshouse package is installed here already; not touching it");
      Prerequisites.require(
          !Files.exists(STATE), STATE + " exists and is not this test's to purge");
      Prerequisites.require(
          !group().isPresent(), "a glasshouse group exists and is not this test's");
      boolean systemd = Files.isDirectory(Path.of("/run/systemd/system"));
      // Where systemd runs, the postinst would start glasshouse.socket on the default socket: a
      // policy-rc.d that forbids starts (the Debian way) keeps it from doing so for this install.
      boolean policy = systemd && !Files.exists(POLICY);
      List<Path> parentsBefore = cgroupParents();
      Process helper = null;
      try {
        if (policy) {
          Files.writeString(POLICY, "#!/bin/sh\nexit 101\n");
          POLICY.toFile().setExecutable(true);
        }
        Tool.Result install =
            apt("install", "--no-install-recommends", deb.file.toAbsolutePath().toString());
        assertTrue(install.ok(), install.why());
        System.out.println(
            "packaging: apt-get install ./"
                + deb.file.getFileName()
                + " took "
                + install.millis()
                + " ms");
        checkInstalled(install.output());

        helper = startHelper();
        Path socket = tmp.resolve("h.sock");
        Map<String, String> env = Map.of("GLASSHOUSE_SOCKET", socket.toString());
        Tool.Result run =
            Tool.run(
                List.of(
                    "/usr/bin/glasshouse",
                    "run",
                    "--level",
                    "12",
                    "--memory",
                    "64m",
                    "--pids-max",
                    "32",
                    "--",
                    "/bin/sh",
                    "-c",
                    "echo pid=$$; hostname; grep pids /proc/self/cgroup; exit 7"),
                env,
                tmp,
                180);
        assertEquals(7, run.status(), run.why());
        assertTrue(run.output().contains("pid=1"), "PID 1 of its own namespace: " + run.why());
        assertTrue(
            run.output().contains(":pids:/glasshouse/") || run.output().contains("::/"), run.why());
        checkBundledRuntime(helper.pid());

        Tool.Result detached =
            Tool.run(
                List.of(
                    "/usr/bin/glasshouse", "run", "-d", "--level", "12", "--", "/bin/sleep", MARK),
                env,
                tmp,
                180);
        assertTrue(detached.ok(), detached.why());
        String id = detached.output().strip();
        assertTrue(running(MARK), "the detached container runs");
        // A crash: the purge must still leave nothing of this container behind.
        helper.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        helper = null;

        Tool.Result purge = apt("purge");
        assertTrue(purge.ok(), purge.why());
        System.out.println("packaging: apt-get purge glasshouse took " + purge.millis() + " ms");
        checkNothingLeft(deb, id, parentsBefore);
      } finally {
        if (helper != null) {
          helper.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (installed()) {
          apt("purge");
        }
        if (policy) {
          Files.deleteIfExists(POLICY);
        }
      }
    }
  }

  private void checkInstalled(String output) throws Exception {
    assertTrue(installed());
    assertTrue(group().isPresent(), "the glasshouse group exists");
    assertTrue(output.contains("equivalent to root"), "the post-install message:\n" + output);
    assertTrue(Files.isExecutable(Path.of("/usr/bin/glasshouse")));
    assertTrue(
        Files.isSymbolicLink(Path.of("/etc/systemd/system/sockets.target.wants/glasshouse.socket")),
        "deb-systemd-helper enabled the socket");
    assertFalse(
        Files.exists(Path.of("/run/glasshouse/helper.sock")), "nothing on the default socket");
    assertTrue(helperPids().isEmpty(), "the install started no helper: " + helperPids());
    if (Tool.onPath("systemd-analyze")
        && Files.exists(Path.of("/lib/systemd/system/sockets.target"))) {
      // The installed units, with the installed man page and launcher in place.
      Tool.Result v =
          Tool.run(List.of("systemd-analyze", "verify", "glasshouse.socket", "glasshouse.service"));
      assertTrue(v.ok(), v.why());
    }
  }

  /** The installed helper, on a test socket passed the way glasshouse.socket passes it. */
  private Process startHelper() throws Exception {
    Path socket = tmp.resolve("h.sock");
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/systemd-socket-activate"))) {
      cmd.addAll(List.of("/usr/bin/systemd-socket-activate", "--listen=" + socket));
    }
    cmd.addAll(
        List.of(
            "/usr/bin/glasshouse",
            "helper",
            "--socket",
            socket.toString(),
            "--group",
            "glasshouse"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // No JDK in its way: the launcher must not need one.
    pb.environment().remove("JAVA_HOME");
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("helper.log").toFile());
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(socket) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50); // the socket appears once the activator (or helper) has bound it
    }
    assertTrue(Files.exists(socket), "no socket; " + Files.readString(tmp.resolve("helper.log")));
    return p;
  }

  /**
   * The helper runs on the package's runtime, not a system JDK, and starts containers through the
   * package's native init stage (a static executable beside its jar; no init JVM, so no child of
   * the helper to look at between two starts).
   */
  private void checkBundledRuntime(long helperPid) throws IOException {
    String java = "/usr/lib/glasshouse/runtime/bin/java";
    assertEquals(java, Files.readSymbolicLink(Path.of("/proc/" + helperPid + "/exe")).toString());
    String log = Files.readString(tmp.resolve("helper.log"));
    assertTrue(
        log.contains("init stage native (/usr/lib/glasshouse/helper/glasshouse-init)"),
        "the helper says it starts containers through the package's glasshouse-init: " + log);
  }

  private void checkNothingLeft(Deb deb, String id, List<Path> parentsBefore) throws Exception {
    assertFalse(installed(), "still installed");
    for (String line : deb.listing) {
      String path = line.split("\\s+", 6)[5].replaceFirst(" -> .*", "").substring(1);
      if (path.contains("glasshouse")) {
        assertFalse(Files.exists(Path.of(path)), path + " is left after purge");
      }
    }
    for (String p :
        List.of(
            "/var/lib/glasshouse",
            "/run/glasshouse",
            "/etc/systemd/system/sockets.target.wants/glasshouse.socket",
            "/etc/systemd/system/glasshouse.socket",
            "/var/lib/systemd/deb-systemd-helper-enabled/glasshouse.socket.dsh-also",
            "/var/lib/systemd/deb-systemd-helper-enabled/sockets.target.wants/glasshouse.socket",
            "/var/lib/systemd/deb-systemd-helper-masked/glasshouse.socket")) {
      assertFalse(Files.exists(Path.of(p)), p + " is left after purge");
    }
    assertEquals(Optional.empty(), group(), "the glasshouse group is left");
    assertFalse(running(MARK), "the crashed helper's container still runs");
    assertTrue(helperPids().isEmpty(), "a helper still runs: " + helperPids());
    assertFalse(
        Files.readString(Path.of("/proc/self/mountinfo")).contains("/var/lib/glasshouse"),
        "a mount under /var/lib/glasshouse is left");
    for (Path parent : cgroupParents()) {
      assertFalse(Files.exists(parent.resolve(id)), parent.resolve(id) + " is left");
      assertTrue(parentsBefore.contains(parent), parent + " was made by the test and is left");
    }
  }

  private static Tool.Result apt(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=600"));
    cmd.addAll(List.of(args));
    if (args[0].equals("purge")) {
      cmd.add("glasshouse");
    }
    Map<String, String> env = new HashMap<>();
    env.put("DEBIAN_FRONTEND", "noninteractive");
    return Tool.run(cmd, env, Path.of("/"), 900);
  }

  private static boolean installed() throws Exception {
    Tool.Result r = Tool.run(List.of("dpkg-query", "-W", "-f=${Status}", "glasshouse"));
    return r.ok() && r.output().contains("installed") && !r.output().contains("not-installed");
  }

  private static Optional<String> group() throws Exception {
    Tool.Result r = Tool.run(List.of("getent", "group", "glasshouse"));
    return r.ok() ? Optional.of(r.output().strip()) : Optional.empty();
  }

  /** The cgroup parents named glasshouse, in every hierarchy (v1 controllers, v2, unified). */
  private static List<Path> cgroupParents() throws IOException {
    List<Path> out = new ArrayList<>();
    Path root = Path.of("/sys/fs/cgroup");
    if (Files.isDirectory(root.resolve("glasshouse"))) {
      out.add(root.resolve("glasshouse"));
    }
    try (Stream<Path> s = Files.list(root)) {
      for (Path h : s.filter(Files::isDirectory).toList()) {
        if (!Files.isSymbolicLink(h) && Files.isDirectory(h.resolve("glasshouse"))) {
          out.add(h.resolve("glasshouse"));
        }
      }
    }
    return out;
  }

  private static List<Long> helperPids() {
    return ProcessHandle.allProcesses()
        .filter(
            h -> {
              try {
                return Files.readSymbolicLink(Path.of("/proc/" + h.pid() + "/exe"))
                    .startsWith("/usr/lib/glasshouse/");
              } catch (IOException | UnsupportedOperationException e) {
                return false;
              }
            })
        .map(ProcessHandle::pid)
        .toList();
  }

  /** Whether a {@code sleep MARK} runs: read from /proc (ProcessHandle hides others' commands). */
  private static boolean running(String mark) throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/proc"))) {
      for (Path p : s.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
        try {
          String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
          if (cmd.contains("sleep " + mark)) {
            return true;
          }
        } catch (IOException e) {
          // Gone meanwhile.
        }
      }
    }
    return false;
  }
}
