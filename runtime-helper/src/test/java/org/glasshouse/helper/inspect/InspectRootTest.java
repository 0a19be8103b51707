package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.ProcessInfo;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.glasshouse.protocol.inspect.UpperDirEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Inspection of real processes on the real kernel. Until the runtime lands these make their own
 * isolated processes with util-linux {@code unshare}, and their own cgroups, all named {@code
 * glasshouse-test-<random>} and removed afterwards.
 */
@Tag("root")
@EnabledOnOs(OS.LINUX)
class InspectRootTest {

  private final List<Process> processes = new ArrayList<>();
  private final List<Path> cgroups = new ArrayList<>();
  private final List<Path> mounts = new ArrayList<>();
  private Path tmp;
  private final Inspector inspector = Inspector.real();

  @BeforeEach
  void requireRoot() throws IOException {
    TestSupport.requireRoot("inspection root tests (unshare, cgroups, overlay mounts)");
    tmp = Files.createTempDirectory("glasshouse-test-");
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    for (Path m : mounts) {
      new ProcessBuilder("umount", "-l", m.toString()).inheritIO().start().waitFor();
    }
    for (int i = cgroups.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(cgroups.get(i));
    }
    if (tmp != null) {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** Starts {@code argv}, waits for its first stdout line "ready", returns the started process. */
  private Process startReady(String... argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(p);
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals(
        "ready", r.readLine(), "the probe process did not start: " + String.join(" ", argv));
    return p;
  }

  /**
   * The probe: the child {@code unshare --fork} made, or the process itself. Its pid stays the same
   * across the {@code exec}s that follow "ready", and so do its namespaces and root, which are all
   * in place before "ready" is printed.
   */
  private static long probe(Process p) {
    return p.children().findFirst().map(ProcessHandle::pid).orElse(p.pid());
  }

  @Test
  void aFullyIsolatedProcessDiffersFromTheHostInEveryNamespaceButUserAndTime() throws Exception {
    Process p =
        startReady(
            "unshare",
            "--uts",
            "--ipc",
            "--net",
            "--pid",
            "--mount",
            "--cgroup",
            "--fork",
            "--mount-proc",
            "sh",
            "-c",
            "echo ready; exec sleep 60");
    long pid = probe(p);
    InspectResult r = inspector.inspect("probe", pid);
    assertFalse(r.gone());
    for (String type : Namespaces.TYPES) {
      boolean shared = type.equals("user") || type.startsWith("time");
      assertEquals(
          shared, r.namespaces().get(type).sameAsHost(), type + ": " + r.namespaces().get(type));
    }
    ProcessInfo first = r.processes().get(0);
    assertEquals(pid, first.pid());
    assertEquals(List.of(pid, 1L), first.nsPids(), "PID 1 of its own pid namespace");
    assertFalse(first.cmdline().isEmpty());
    assertEquals(
        List.of("lo"), r.network().interfaces().stream().map(NetworkInfo.Interface::name).toList());
    assertEquals("DOWN", r.network().interfaces().get(0).state());
    MountsResult m = inspector.mounts("probe", pid, "host", Map.of());
    assertTrue(
        m.diff().added().stream()
            .anyMatch(x -> x.mountPoint().equals("/proc") && x.fsType().equals("proc")),
        "its own /proc is not the host's");
  }

  /**
   * Hostname, links and addresses come from inside the process's UTS and network namespaces (read
   * on a thread that entered them, no nsenter): a veth pair with an address made in there, its own
   * hostname; the helper's own thread and namespaces untouched.
   */
  @Test
  void theNetworkAndHostnameAreReadFromInsideTheNamespaces() throws Exception {
    String hostBefore = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    String netBefore = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    Process p =
        startReady(
            "unshare",
            "--uts",
            "--net",
            "sh",
            "-c",
            "hostname inside-probe && ip link set lo up"
                + " && ip link add gh-v0 type veth peer name gh-v1"
                + " && ip addr add 192.0.2.7/24 dev gh-v0"
                + " && ip link set gh-v0 up && ip link set gh-v1 up"
                + " && echo ready && exec sleep 60");
    long pid = probe(p);
    NetworkInfo n = inspector.inspect("probe", pid).network();
    assertNull(n.error(), n.error());
    assertEquals("inside-probe", n.hostname());
    // In the kernel's ifindex order: lo, then the veth's peer, made before the link it was asked
    // for.
    assertEquals(
        List.of("lo", "gh-v1", "gh-v0"),
        n.interfaces().stream().map(NetworkInfo.Interface::name).toList());
    assertTrue(n.interfaces().get(0).addresses().contains("127.0.0.1/8"), n.toString());
    assertTrue(n.interfaces().get(0).flags().contains("LOOPBACK"), n.toString());
    assertTrue(n.interfaces().get(2).addresses().contains("192.0.2.7/24"), n.toString());
    assertEquals(
        List.of(),
        n.interfaces().get(1).addresses().stream().filter(a -> a.contains(".")).toList(),
        "the peer has no IPv4 address");
    assertEquals(hostBefore, Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
    assertEquals(netBefore, Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
    // A second read on a new thread sees the same namespaces (counters and IPv6 link-local
    // addresses move on meanwhile: the veths send their router solicitations).
    NetworkInfo again = inspector.inspect("probe", pid).network();
    assertEquals("inside-probe", again.hostname());
    assertEquals(
        n.interfaces().stream().map(NetworkInfo.Interface::name).toList(),
        again.interfaces().stream().map(NetworkInfo.Interface::name).toList());
  }

  /** The telemetry sampler reads back limits written by hand: v1 hierarchies, or v2's one dir. */
  @Test
  @Tag("cgroup")
  void cgroupLimitsReadBackAsWritten() throws Exception {
    String name = tmp.getFileName().toString();
    Process p = startReady("sh", "-c", "echo ready; exec sleep 60");
    CgroupLayout layout = CgroupLayout.detect(Path.of("/"));
    if (layout.isV1("memory") || layout.isV1("pids") || layout.isV1("cpu")) {
      Map<String, String[]> limits =
          Map.of(
              "memory", new String[] {"memory.limit_in_bytes", "67108864"},
              "pids", new String[] {"pids.max", "42"},
              "cpu", new String[] {"cpu.cfs_quota_us", "50000"});
      for (var e : limits.entrySet()) {
        Path root = Path.of("/sys/fs/cgroup", e.getKey());
        TestSupport.onlyOn(
            Files.isDirectory(root), "no v1 " + e.getKey() + " hierarchy at " + root);
        Path g = Files.createDirectory(root.resolve(name));
        cgroups.add(g);
        Files.writeString(g.resolve(e.getValue()[0]), e.getValue()[1]);
        Files.writeString(g.resolve("cgroup.procs"), Long.toString(p.pid()));
      }
    } else {
      // Pure v2: the controllers must be on in the root's subtree_control before the child has
      // their files.
      Path unified = layout.unifiedMount().orElseThrow();
      Files.writeString(unified.resolve("cgroup.subtree_control"), "+cpu +memory +pids");
      Path g = Files.createDirectory(unified.resolve(name));
      cgroups.add(g);
      Files.writeString(g.resolve("memory.max"), "67108864");
      Files.writeString(g.resolve("pids.max"), "42");
      Files.writeString(g.resolve("cpu.max"), "50000 100000");
      Files.writeString(g.resolve("cgroup.procs"), Long.toString(p.pid()));
    }
    try (TelemetrySampler s = new TelemetrySampler(HostFs.real())) {
      TelemetrySample t = s.sample("probe", p.pid());
      assertEquals(67108864L, t.cgroup().memory().limitBytes());
      assertEquals(42L, t.cgroup().pids().max());
      assertEquals(1L, t.cgroup().pids().current());
      assertEquals(50000L, t.cgroup().cpu().quotaUs());
      assertEquals(100000L, t.cgroup().cpu().periodUs());
    }
    InspectResult r = inspector.inspect("probe", p.pid());
    assertEquals(
        List.of(p.pid()),
        r.processes().stream().map(ProcessInfo::pid).toList(),
        "its cgroup's procs");
    // Leave the cgroups so they can be removed (a cgroup with tasks cannot).
    p.destroyForcibly().waitFor();
  }

  @Test
  void overlayRootedProcessShowsLayersAndTheUpperDirContent() throws Exception {
    Path lower = Files.createDirectories(tmp.resolve("lower"));
    Files.copy(
        Path.of("/bin/busybox"), lower.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(lower.resolve("gone"), "deleted in the container\n");
    Files.createDirectories(lower.resolve("d"));
    Files.writeString(lower.resolve("d/old"), "hidden by an opaque dir\n");
    Path upper = Files.createDirectories(tmp.resolve("upper"));
    Files.createDirectories(tmp.resolve("work"));
    Path merged = Files.createDirectories(tmp.resolve("merged"));
    String opts = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + tmp.resolve("work");
    Process p =
        startReady(
            "unshare",
            "--mount",
            "--fork",
            "sh",
            "-c",
            "mount -t overlay overlay -o "
                + opts
                + " "
                + merged
                + " && echo new > "
                + merged
                + "/new && rm "
                + merged
                + "/gone"
                + " && rm -r "
                + merged
                + "/d && mkdir "
                + merged
                + "/d"
                + " && exec chroot "
                + merged
                + " /busybox sh -c 'echo ready; exec /busybox sleep 60'");
    long pid = probe(p);
    InspectResult r = inspector.inspect("probe", pid);
    assertNotNull(r.overlay(), "root is the overlay: " + r.mounts());
    assertEquals(List.of(lower.toString()), r.overlay().lower());
    assertEquals(upper.toString(), r.overlay().upper());
    assertEquals("overlay", r.mounts().rootFsType());
    List<UpperDirEntry> entries = UpperDirScanner.scan(upper, 100);
    Map<String, String> kinds = new java.util.HashMap<>();
    entries.forEach(e -> kinds.put(e.path(), e.kind()));
    assertEquals("file", kinds.get("new"));
    assertEquals("whiteout", kinds.get("gone"), "rm of a lower file leaves a 0/0 char device");
    assertEquals("dir", kinds.get("d"));
    UpperDirEntry d = entries.stream().filter(e -> e.path().equals("d")).findFirst().orElseThrow();
    assertEquals(true, d.opaque(), "rm -r + mkdir makes an opaque dir (trusted.overlay.opaque)");
    assertFalse(kinds.containsKey("d/old"));
  }

  @Test
  void aMountUnderAChrootedProcessRootLeaksIntoTheHostTableAndVanishesWhenUndone()
      throws Exception {
    Path root = Files.createDirectories(tmp.resolve("rootfs"));
    Files.copy(
        Path.of("/bin/busybox"), root.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    Path proc = Files.createDirectories(root.resolve("proc"));
    // Level 01: chroot without a mount namespace, /proc mounted inside the rootfs on the host.
    assertEquals(
        0,
        new ProcessBuilder("mount", "-t", "proc", "proc", proc.toString())
            .inheritIO()
            .start()
            .waitFor());
    mounts.add(proc);
    Process p =
        startReady(
            "sh",
            "-c",
            "exec chroot " + root + " /busybox sh -c 'echo ready; exec /busybox sleep 60'");
    long pid = probe(p);
    String id = "glasshouse01";
    MountsResult host = inspector.mounts("host", inspector.hostPid(), null, Map.of(id, pid));
    assertTrue(
        host.entries().stream()
            .anyMatch(m -> m.mountPoint().equals(proc.toString()) && id.equals(m.leakedFrom())),
        "the rootfs' /proc is on the host, flagged as leaked");
    assertEquals(0, new ProcessBuilder("umount", proc.toString()).inheritIO().start().waitFor());
    mounts.remove(proc);
    MountsResult after = inspector.mounts("host", inspector.hostPid(), null, Map.of(id, pid));
    assertTrue(after.entries().stream().noneMatch(m -> m.mountPoint().equals(proc.toString())));
  }

  @Test
  void aProcessThatExitedIsGone() throws Exception {
    Process p = new ProcessBuilder("true").start();
    long pid = p.pid();
    p.waitFor();
    assertTrue(inspector.inspect("probe", pid).gone());
    assertTrue(inspector.mounts("probe", pid, "host", Map.of()).gone());
    try (TelemetrySampler s = new TelemetrySampler(HostFs.real())) {
      assertTrue(s.sample("probe", pid).gone());
    }
  }
}
