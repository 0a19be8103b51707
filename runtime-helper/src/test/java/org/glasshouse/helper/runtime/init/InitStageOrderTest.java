package org.glasshouse.helper.runtime.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.helper.linux.Capability;
import org.glasshouse.helper.linux.Errno;
import org.glasshouse.helper.linux.RecordingSyscalls;
import org.glasshouse.helper.runtime.InitPlan;
import org.glasshouse.helper.runtime.StepLog.StepException;
import org.glasshouse.helper.runtime.seccomp.Arch;
import org.glasshouse.helper.runtime.seccomp.DefaultProfile;
import org.glasshouse.helper.runtime.seccomp.FilterPlan;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The init stage's step order per level, against the recording fake: no root needed. */
class InitStageOrderTest {
  @TempDir Path root;
  private final RecordingSyscalls sys = new RecordingSyscalls();
  private final List<StepEntry> entries = new ArrayList<>();

  @BeforeEach
  void image() throws IOException {
    for (String d : List.of("proc", "sys", "dev", "bin")) {
      Files.createDirectories(root.resolve(d));
    }
    // What a mounted /proc shows, so the masked paths find something to mask.
    Files.createFile(root.resolve("proc/kcore"));
  }

  private final InitLink link =
      new InitLink() {
        @Override
        public void step(StepEntry entry) {
          entries.add(entry);
        }

        @Override
        public void ready(long pid) {
          sys.mark("ready");
        }

        @Override
        public void awaitRoots() {
          sys.mark("roots");
        }

        @Override
        public void awaitGo() {
          sys.mark("go");
        }

        @Override
        public void aboutToExec(StepEntry pending) {
          sys.mark("exec");
        }
      };

  private InitPlan plan(Set<Feature> f, String rootfs, String user, String tty) {
    RunSpec spec =
        new RunSpec(
            "busybox",
            List.of("/bin/sh", "-c", "true"),
            Map.of("PATH", "/bin"),
            null,
            tty != null,
            null,
            null,
            null,
            f,
            null,
            user,
            null,
            null,
            false,
            null,
            null);
    int[] ids = user == null ? null : new int[] {1000, 1000};
    return new InitPlan(
        "0123456789ab",
        spec,
        f,
        rootfs,
        f.contains(Feature.OVERLAY) ? "/img" : null,
        f.contains(Feature.OVERLAY) ? "/c/upper" : null,
        f.contains(Feature.OVERLAY) ? "/c/work" : null,
        tty,
        "0123456789ab",
        ids == null ? null : ids[0],
        ids == null ? null : ids[1],
        Capability.dockerDefault().stream().map(Capability::capName).toList(),
        40,
        "/",
        false,
        0);
  }

  private List<String> names() {
    List<String> n = new ArrayList<>();
    for (String c : sys.calls()) {
      n.add(c.startsWith("--") ? c : c.substring(0, c.indexOf('(')));
    }
    return n;
  }

  private void run(InitPlan p) throws Exception {
    new InitStage(sys, p, link).run();
  }

  @Test
  void level00OnlyExecs() throws Exception {
    run(plan(EnumSet.noneOf(Feature.class), null, null, null));
    assertEquals(
        List.of("-- ready", "-- go", "chdir", "close_range", "-- exec", "execve"), names());
    assertEquals(
        "execve(\"/bin/sh\", [\"/bin/sh\", \"-c\", \"true\"], [/* 1 vars */])", sys.calls().get(5));
  }

  @Test
  void level01MountsPseudoFilesystemsThenChrootsAndChdirs() throws Exception {
    run(plan(Feature.upTo(1), root.toString(), null, null));
    assertEquals(
        List.of(
            "prctl",
            "mount",
            "mount",
            "mount",
            "chroot",
            "chdir",
            "-- ready",
            "-- go",
            "chdir",
            "close_range",
            "-- exec",
            "execve"),
        names());
    assertEquals("prctl(PR_SET_DUMPABLE, 0)", sys.calls().get(0));
    assertEquals(
        "mount(\"proc\", \"" + root + "/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)",
        sys.calls().get(1));
    assertEquals("chroot(\"" + root + "\")", sys.calls().get(4));
    assertEquals("chdir(\"/\")", sys.calls().get(5));
  }

  @Test
  void level02MakesRootPrivateBeforeAnyMountAndCreatesDeviceNodes() throws Exception {
    run(plan(Feature.upTo(2), root.toString(), null, null));
    List<String> calls = sys.calls();
    assertEquals("mount(NULL, \"/\", NULL, MS_PRIVATE|MS_REC, NULL)", calls.get(1));
    assertTrue(calls.contains("mknod(\"" + root + "/dev/null\", S_IFCHR|0666, makedev(1, 3))"));
    assertTrue(
        calls.indexOf("symlink(\"/proc/self/fd\", \"" + root + "/dev/fd\")")
            < calls.indexOf("chroot(\"" + root + "\")"));
  }

  @Test
  void level03BindsTheRootPivotsAndDetachesTheOldRoot() throws Exception {
    run(plan(Feature.upTo(3), root.toString(), null, null));
    List<String> calls = sys.calls();
    int bind =
        calls.indexOf("mount(\"" + root + "\", \"" + root + "\", NULL, MS_BIND|MS_REC, NULL)");
    int pivot = calls.indexOf("pivot_root(\".\", \".\")");
    assertTrue(bind > 1 && pivot > bind, calls.toString());
    assertEquals("chdir(\"" + root + "\")", calls.get(pivot - 1));
    assertEquals("umount2(\".\", MNT_DETACH)", calls.get(pivot + 1));
    assertEquals("chdir(\"/\")", calls.get(pivot + 2));
    assertFalse(calls.stream().anyMatch(c -> c.startsWith("chroot")));
  }

  @Test
  void level04MountsOverlayInsteadOfTheBind() throws Exception {
    run(plan(Feature.upTo(4), root.toString(), null, null));
    assertTrue(
        sys.calls()
            .contains(
                "mount(\"overlay\", \""
                    + root
                    + "\", \"overlay\", 0,"
                    + " \"lowerdir=/img,upperdir=/c/upper,workdir=/c/work\")"),
        sys.calls().toString());
    assertFalse(sys.calls().stream().anyMatch(c -> c.contains("MS_BIND|MS_REC")));
  }

  @Test
  void level12FullOrderEndsWithCredentialsCapabilitiesAndExec() throws Exception {
    run(plan(Feature.upTo(12), root.toString(), "1000:1000", null));
    List<String> n = names();
    List<String> calls = sys.calls();
    int go = n.indexOf("-- go");
    assertTrue(n.indexOf("sethostname") < n.indexOf("-- ready"), n.toString());
    // The cgroup namespace is made before ready: the helper moves the init into the container's
    // cgroups only after it, so the namespace root stays the hierarchy root.
    int cgroupNs = calls.indexOf("unshare(CLONE_NEWCGROUP)");
    assertTrue(cgroupNs >= 0 && cgroupNs < calls.indexOf("-- ready"), calls.toString());
    // ... and only once the helper has moved the init into the hierarchy roots (its "roots").
    assertEquals(cgroupNs - 1, calls.indexOf("-- roots"), calls.toString());
    int firstDrop = calls.indexOf("prctl(PR_CAPBSET_DROP, CAP_DAC_READ_SEARCH)");
    int keep = calls.indexOf("prctl(PR_SET_KEEPCAPS, 1)");
    int setuid = calls.indexOf("setresuid(1000, 1000, 1000)");
    int capset = n.indexOf("capset");
    int nnp = calls.indexOf("prctl(PR_SET_NO_NEW_PRIVS, 1)");
    assertTrue(
        go < firstDrop
            && firstDrop < keep
            && keep < setuid
            && setuid < capset
            && capset < nnp
            && nnp < n.indexOf("execve"),
        calls.toString());
    assertTrue(calls.indexOf("setgroups(0, [])") < calls.indexOf("setresgid(1000, 1000, 1000)"));
    assertFalse(calls.contains("prctl(PR_CAPBSET_DROP, CAP_CHOWN)"));
    // Masked paths come before the root changes (the host's /dev/null is the bind source).
    int mask =
        calls.indexOf("mount(\"/dev/null\", \"" + root + "/proc/kcore\", NULL, MS_BIND, NULL)");
    assertTrue(mask > 0 && mask < calls.indexOf("pivot_root(\".\", \".\")"), calls.toString());
    assertTrue(calls.contains("prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN)"));
  }

  /** {@code p} with a seccomp filter, as Plans makes it for level 13. */
  private static InitPlan withFilter(InitPlan p, FilterPlan f) {
    return new InitPlan(
        p.containerId(),
        p.spec(),
        p.features(),
        p.rootfs(),
        p.overlayLower(),
        p.overlayUpper(),
        p.overlayWork(),
        p.ptySlave(),
        p.hostname(),
        p.uid(),
        p.gid(),
        p.capabilities(),
        p.capLastCap(),
        p.workdir(),
        p.execMode(),
        p.targetPid(),
        f);
  }

  @Test
  void level13LoadsTheFilterLastAfterNoNewPrivsJustBeforeExec() throws Exception {
    FilterPlan filter = FilterPlan.of(DefaultProfile.program(Arch.X86_64));
    run(withFilter(plan(Feature.upTo(13), root.toString(), "1000:1000", null), filter));
    List<String> n = names();
    List<String> calls = sys.calls();
    int nnp = calls.indexOf("prctl(PR_SET_NO_NEW_PRIVS, 1)");
    int seccomp = n.indexOf("seccomp");
    assertTrue(nnp > 0 && nnp < n.indexOf("close_range"), calls.toString());
    assertEquals(
        List.of("chdir", "close_range", "seccomp", "-- exec", "execve"),
        n.subList(seccomp - 2, n.size()));
    assertEquals(
        "seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=" + filter.program().length + ", filter=…})",
        calls.get(seccomp));
    assertEquals(1, n.stream().filter("seccomp"::equals).count());
    // The step log says what was loaded: the profile, its rules, its default, its size.
    StepEntry entry =
        entries.stream().filter(e -> e.step().equals("seccomp")).findFirst().orElseThrow();
    assertEquals("seccomp", entry.call());
    assertTrue(entry.ok());
    assertTrue(entry.args().contains("/* glasshouse-default (x86_64): "), entry.args());
    assertTrue(entry.args().contains("default ERRNO(EPERM)"), entry.args());
    assertTrue(entry.args().contains(filter.program().length + " instructions */"), entry.args());
  }

  @Test
  void level12LoadsNoFilter() throws Exception {
    run(plan(Feature.upTo(12), root.toString(), null, null));
    assertFalse(names().contains("seccomp"), sys.calls().toString());
  }

  @Test
  void seccompWithoutAFilterInThePlanIsRefusedBeforeExec() {
    StepException e =
        assertThrows(
            StepException.class, () -> run(plan(Feature.upTo(13), root.toString(), null, null)));
    assertEquals("seccomp", e.entry().step());
    assertTrue(e.entry().explanation().contains("no filter"), e.entry().explanation());
    assertFalse(names().contains("execve"));
  }

  @Test
  void aFilterTheKernelRefusesStopsTheStartWithItsErrno() {
    sys.failWhen(c -> c.startsWith("seccomp"), 13); // EACCES: neither NNP nor CAP_SYS_ADMIN
    FilterPlan filter = FilterPlan.of(DefaultProfile.program(Arch.X86_64));
    StepException e =
        assertThrows(
            StepException.class,
            () -> run(withFilter(plan(Feature.upTo(13), root.toString(), null, null), filter)));
    assertEquals("EACCES", e.entry().errno());
    assertTrue(e.entry().explanation().contains("no_new_privs"), e.entry().explanation());
    assertFalse(names().contains("execve"));
  }

  @Test
  void aTtyIsOpenedBeforeTheRootChangesAndBecomesStdioAfterGo() throws Exception {
    run(plan(Feature.upTo(6), root.toString(), null, "/dev/pts/7"));
    List<String> calls = sys.calls();
    int open = calls.indexOf("open(\"/dev/pts/7\")");
    assertTrue(open >= 0 && open < calls.indexOf("pivot_root(\".\", \".\")"));
    int go = calls.indexOf("-- go");
    assertTrue(
        go < calls.indexOf("setsid()")
            && calls.indexOf("setsid()") < calls.indexOf("ioctl(10, TIOCSCTTY, 0)"));
    assertTrue(calls.contains("dup2(10, 2)"));
  }

  @Test
  void pivotRootWithoutAMountNamespaceIsRefusedBeforeTheKernelIsAsked() {
    EnumSet<Feature> f = EnumSet.of(Feature.CHROOT, Feature.BIND_ROOT, Feature.PIVOT_ROOT);
    StepException e =
        assertThrows(StepException.class, () -> run(plan(f, root.toString(), null, null)));
    assertEquals("pivot_root", e.entry().call());
    assertTrue(e.entry().explanation().contains("mount namespace"));
    assertFalse(sys.calls().stream().anyMatch(c -> c.startsWith("pivot_root")));
  }

  @Test
  void aFailingStepStopsTheStageWithTheRealErrnoAndItsExplanation() {
    sys.failWhen(c -> c.startsWith("pivot_root"), Errno.EINVAL);
    EnumSet<Feature> f = EnumSet.copyOf(Feature.upTo(3));
    f.remove(Feature.BIND_ROOT);
    StepException e =
        assertThrows(StepException.class, () -> run(plan(f, root.toString(), null, null)));
    assertEquals("EINVAL", e.entry().errno());
    assertTrue(e.entry().explanation().contains("mount point"));
    assertFalse(sys.calls().stream().anyMatch(c -> c.startsWith("execve")));
    assertFalse(entries.get(entries.size() - 1).ok());
  }

  @Test
  void aSymlinkAtTheImagesProcIsRefused() throws IOException {
    Files.delete(root.resolve("proc/kcore"));
    Files.delete(root.resolve("proc"));
    Files.createSymbolicLink(root.resolve("proc"), Path.of("/etc"));
    StepException e =
        assertThrows(
            StepException.class, () -> run(plan(Feature.upTo(1), root.toString(), null, null)));
    assertEquals("lstat", e.entry().call());
    assertFalse(sys.calls().stream().anyMatch(c -> c.startsWith("mount")));
    Files.delete(root.resolve("proc"));
  }
}
