package org.glasshouse.helper.runtime.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.helper.linux.Capability;
import org.glasshouse.helper.linux.Errno;
import org.glasshouse.helper.linux.RecordingSyscalls;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog.StepException;
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
    ImageFixture.create(root);
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

        @Override
        public void spawned(long pid) {
          sys.mark("spawned " + pid);
        }
      };

  private InitPlan plan(Set<Feature> f, String rootfs, String user, String tty) {
    RunSpec spec =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("/bin/sh", "-c", "true"))
            .env(Map.of("PATH", "/bin"))
            .tty(tty != null)
            .features(f)
            .user(user)
            .build();
    int[] ids = user == null ? null : new int[] {1000, 1000};
    return InitPlan.builder()
        .containerId("0123456789ab")
        .spec(spec)
        .features(f)
        .rootfs(rootfs)
        .overlayLower(f.contains(Feature.OVERLAY) ? "/img" : null)
        .overlayUpper(f.contains(Feature.OVERLAY) ? "/c/upper" : null)
        .overlayWork(f.contains(Feature.OVERLAY) ? "/c/work" : null)
        .ptySlave(tty)
        .hostname("0123456789ab")
        .uid(ids == null ? null : ids[0])
        .gid(ids == null ? null : ids[1])
        .capabilities(Capability.containerDefault().stream().map(Capability::capName).toList())
        .capLastCap(40)
        .workdir("/")
        .targetPid(0)
        .build();
  }

  /** An exec into the container whose first process is host pid 42. */
  private InitPlan execPlan(Set<Feature> f, String user) {
    InitPlan p = plan(f, "/proc/42/root", user, null);
    return InitPlan.builder()
        .containerId(p.containerId())
        .spec(p.spec())
        .features(f)
        .rootfs(p.rootfs())
        .uid(p.uid())
        .gid(p.gid())
        .capabilities(p.capabilities())
        .capLastCap(p.capLastCap())
        .workdir("/")
        .execMode(true)
        .targetPid(42)
        .build();
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

  /** {@code openat2(<dir>, "<rel>", …)} as the init opens a directory beneath the root. */
  private static String openDir(int fd, String dirPath, String rel) {
    return "openat2("
        + fd
        + "<"
        + dirPath
        + ">, \""
        + rel
        + "\", {flags=O_RDONLY|O_DIRECTORY|O_CLOEXEC|O_PATH, resolve=RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS},"
        + " 24)";
  }

  /** The {@code "/proc/self/fd/N" /* path *\/} target of a mount through an fd. */
  private static String viaFd(int fd, String path) {
    return "\"/proc/self/fd/" + fd + "\" /* " + path + " */";
  }

  @Test
  void level01MountsPseudoFilesystemsThroughFdsThenChrootsAndChdirs() throws Exception {
    run(plan(Feature.upTo(1), root.toString(), null, null));
    String r = root.toString();
    assertEquals(
        List.of(
            "prctl(PR_SET_DUMPABLE, 0)",
            "open(\"" + r + "\")",
            // All three are opened (a symlink refused) before anything is mounted.
            openDir(10, r, "proc"),
            openDir(10, r, "sys"),
            openDir(10, r, "dev"),
            "mount(\"proc\", "
                + viaFd(11, r + "/proc")
                + ", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)",
            "mount(\"sysfs\", "
                + viaFd(12, r + "/sys")
                + ", \"sysfs\", MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)",
            "mount(\"tmpfs\", "
                + viaFd(13, r + "/dev")
                + ", \"tmpfs\", MS_NOSUID, \"mode=755,size=65536k\")",
            "chroot(\"" + r + "\")",
            "chdir(\"/\")",
            "-- ready",
            "-- go",
            "chdir(\"/\")",
            "close_range(3, ~0U, CLOSE_RANGE_CLOEXEC)",
            "-- exec",
            "execve(\"/bin/sh\", [\"/bin/sh\", \"-c\", \"true\"], [/* 1 vars */])"),
        sys.calls());
  }

  @Test
  void level02MakesRootPrivateBeforeAnyMountAndMakesDeviceNodesBeneathDev() throws Exception {
    run(plan(Feature.upTo(2), root.toString(), null, null));
    List<String> calls = sys.calls();
    String r = root.toString();
    assertEquals("mount(NULL, \"/\", NULL, MS_PRIVATE|MS_REC, NULL)", calls.get(1));
    // /dev is opened again after its tmpfs is mounted (fd 14: the tmpfs's root).
    int tmpfs =
        calls.indexOf(
            "mount(\"tmpfs\", "
                + viaFd(13, r + "/dev")
                + ", \"tmpfs\", MS_NOSUID, \"mode=755,size=65536k\")");
    int dev = tmpfs + 1;
    assertEquals(openDir(10, r, "dev"), calls.get(dev), calls.toString());
    assertEquals(
        List.of(
            "mknodat(14<" + r + "/dev>, \"null\", S_IFCHR|0666, makedev(1, 3))",
            "mknodat(14<" + r + "/dev>, \"zero\", S_IFCHR|0666, makedev(1, 5))",
            "mknodat(14<" + r + "/dev>, \"full\", S_IFCHR|0666, makedev(1, 7))",
            "mknodat(14<" + r + "/dev>, \"random\", S_IFCHR|0666, makedev(1, 8))",
            "mknodat(14<" + r + "/dev>, \"urandom\", S_IFCHR|0666, makedev(1, 9))",
            "mknodat(14<" + r + "/dev>, \"tty\", S_IFCHR|0666, makedev(5, 0))",
            "symlinkat(\"/proc/self/fd\", 14<" + r + "/dev>, \"fd\")",
            "symlinkat(\"/proc/self/fd/0\", 14<" + r + "/dev>, \"stdin\")",
            "symlinkat(\"/proc/self/fd/1\", 14<" + r + "/dev>, \"stdout\")",
            "symlinkat(\"/proc/self/fd/2\", 14<" + r + "/dev>, \"stderr\")",
            "mkdirat(14<" + r + "/dev>, \"pts\", 0755)",
            openDir(14, r + "/dev", "pts"),
            "mount(\"devpts\", "
                + viaFd(15, r + "/dev/pts")
                + ", \"devpts\", MS_NOSUID|MS_NOEXEC, \"newinstance,ptmxmode=0666,mode=0620\")",
            "symlinkat(\"pts/ptmx\", 14<" + r + "/dev>, \"ptmx\")",
            "mkdirat(14<" + r + "/dev>, \"shm\", 01777)",
            openDir(14, r + "/dev", "shm"),
            "mount(\"shm\", "
                + viaFd(16, r + "/dev/shm")
                + ", \"tmpfs\", MS_NOSUID|MS_NODEV|MS_NOEXEC, \"mode=1777,size=65536k\")",
            "chroot(\"" + r + "\")"),
        calls.subList(dev + 1, dev + 19));
  }

  private static int pivotAt(List<String> calls) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).startsWith("pivot_root(")) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void level03BindsTheRootNodevPivotsAndDetachesTheOldRoot() throws Exception {
    run(plan(Feature.upTo(3), root.toString(), null, null));
    List<String> calls = sys.calls();
    String r = root.toString();
    int bind = calls.indexOf("mount(\"" + r + "\", \"" + r + "\", NULL, MS_BIND|MS_REC, NULL)");
    assertEquals(
        "mount(NULL, \"" + r + "\", NULL, MS_NODEV|MS_REMOUNT|MS_BIND, NULL)",
        calls.get(bind + 1),
        "the root is nodev from level 03");
    assertTrue(
        calls.contains(
            "mount(\"tmpfs\", "
                + viaFd(13, r + "/dev")
                + ", \"tmpfs\", MS_NOSUID|MS_NODEV, \"mode=755,size=65536k\")"),
        "/dev is nodev: " + calls);
    // Each standard node: an empty file, the host's node bound on it; no mknod any more.
    int file =
        calls.indexOf(
            "openat2(14<"
                + r
                + "/dev>, \"null\", {flags=O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, mode=0666,"
                + " resolve=RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS}, 24)");
    assertEquals(
        "mount(\"/dev/null\", " + viaFd(15, r + "/dev/null") + ", NULL, MS_BIND, NULL)",
        calls.get(file + 1));
    assertTrue(
        calls.contains(
            "mount(\"/dev/tty\", " + viaFd(20, r + "/dev/tty") + ", NULL, MS_BIND, NULL)"));
    assertFalse(calls.stream().anyMatch(c -> c.startsWith("mknod")), calls.toString());
    // The classic form the level-03 guide teaches: pivot_root(new_root, put_old), then detach
    // and remove put_old.
    int pivot = calls.indexOf("pivot_root(\"" + r + "\", \"" + r + "/.oldroot\")");
    assertTrue(bind > 1 && pivot > bind, calls.toString());
    assertEquals("mkdir(\"" + r + "/.oldroot\", 0700)", calls.get(pivot - 1));
    assertEquals("chdir(\"/\")", calls.get(pivot + 1));
    assertEquals("umount2(\"/.oldroot\", MNT_DETACH)", calls.get(pivot + 2));
    assertEquals("rmdir(\"/.oldroot\")", calls.get(pivot + 3));
    assertFalse(calls.stream().anyMatch(c -> c.startsWith("chroot")));
  }

  @Test
  void level04MountsOverlayNodevInsteadOfTheBind() throws Exception {
    run(plan(Feature.upTo(4), root.toString(), null, null));
    assertTrue(
        sys.calls()
            .contains(
                "mount(\"overlay\", \""
                    + root
                    + "\", \"overlay\", MS_NODEV,"
                    + " \"lowerdir=/img,upperdir=/c/upper,workdir=/c/work\")"),
        sys.calls().toString());
    assertFalse(sys.calls().stream().anyMatch(c -> c.contains("MS_BIND|MS_REC")));
  }

  @Test
  void withoutPseudoFilesystemsTheImagesOwnDevIsOpenedBeneathTheRoot() throws Exception {
    // Free play `--no-pseudo-fs --feature dev-nodes`: the nodes go into the image's /dev, which
    // is opened without following a symlink (a symlinked one is ELOOP: refused).
    sys.failWhen(c -> c.startsWith("openat2") && c.contains("\"dev\""), Errno.ELOOP);
    StepException e =
        assertThrows(
            StepException.class,
            () -> run(plan(EnumSet.of(Feature.DEV_NODES), root.toString(), null, null)));
    assertEquals("openat2", e.entry().call());
    assertEquals("ELOOP", e.entry().errno());
    assertTrue(e.entry().explanation().contains("/dev"), e.entry().explanation());
    assertFalse(sys.calls().stream().anyMatch(c -> c.startsWith("mknod") || c.startsWith("mount")));
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
    // Level 11's default set has no CAP_MKNOD.
    assertTrue(calls.contains("prctl(PR_CAPBSET_DROP, CAP_MKNOD)"), calls.toString());
    // Masked paths come before the root changes (the host's /dev/null is the bind source): /proc
    // and /sys opened again beneath the root (fds 23, 24: the fresh mounts), then one mount per
    // path beneath them.
    String r = root.toString();
    int reopen = calls.lastIndexOf(openDir(10, r, "proc"));
    assertTrue(reopen > calls.indexOf(openDir(10, r, "proc")), calls.toString());
    assertEquals(openDir(10, r, "sys"), calls.get(reopen + 1));
    int kcore =
        calls.indexOf(
            "mount(\"/dev/null\", \"/proc/self/fd/23/kcore\" /* "
                + r
                + "/proc/kcore */, NULL, MS_BIND, NULL)");
    assertTrue(kcore > 0 && kcore < pivotAt(calls), calls.toString());
    assertTrue(
        calls.contains(
            "mount(\"tmpfs\", \"/proc/self/fd/24/firmware\" /* "
                + r
                + "/sys/firmware */, \"tmpfs\", MS_RDONLY, \"size=0\")"),
        calls.toString());
    // /proc/sys read-only: bound onto itself, then the bind remounted read-only.
    String procSys = "\"/proc/self/fd/23/sys\" /* " + r + "/proc/sys */";
    int sysBind =
        calls.indexOf(
            "mount(\"/proc/self/fd/23/sys\", " + procSys + ", NULL, MS_BIND|MS_REC, NULL)");
    assertTrue(sysBind > 0, calls.toString());
    assertEquals(
        "mount(NULL, " + procSys + ", NULL, MS_RDONLY|MS_REMOUNT|MS_BIND, NULL)",
        calls.get(sysBind + 1));
    assertTrue(calls.contains("prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN)"));
  }

  /** {@code p} with a seccomp filter, as Plans makes it for level 13. */
  private static InitPlan withFilter(InitPlan p, FilterPlan f) {
    return p.toBuilder().seccomp(f).build();
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
    assertTrue(open >= 0 && open < pivotAt(calls));
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
  void aSymlinkAtTheImagesProcIsRefusedBeforeAnythingIsMounted() {
    // The kernel says ELOOP for a symlink anywhere on the path (RESOLVE_NO_SYMLINKS).
    sys.failWhen(c -> c.startsWith("openat2") && c.contains("\"proc\""), Errno.ELOOP);
    StepException e =
        assertThrows(
            StepException.class, () -> run(plan(Feature.upTo(12), root.toString(), null, null)));
    assertEquals("openat2", e.entry().call());
    assertTrue(e.entry().explanation().contains("/proc"), e.entry().explanation());
    assertFalse(sys.calls().stream().anyMatch(c -> c.contains("/proc/self/fd/")));
  }

  @Test
  void execWithoutAPidNamespaceJoinsTheMountNamespaceAndRootThenExecs() throws Exception {
    run(execPlan(Feature.upTo(5), null));
    assertEquals(
        List.of(
            "prctl(PR_SET_DUMPABLE, 0)",
            "open(\"/proc/42/root\")",
            "open(\"/proc/42/ns/mnt\")",
            "unshare(CLONE_FS)",
            "setns(/proc/42/ns/mnt, CLONE_NEWNS)",
            "close(11)",
            "fchdir(10)",
            "chroot(\".\")",
            "chdir(\"/\")",
            "close(10)",
            "-- ready",
            "-- go",
            "chdir(\"/\")",
            "close_range(3, ~0U, CLOSE_RANGE_CLOEXEC)",
            "-- exec",
            "execve(\"/bin/sh\", [\"/bin/sh\", \"-c\", \"true\"], [/* 1 vars */])"),
        sys.calls());
  }

  @Test
  void execIntoAPidNamespaceJoinsTheRootFirstThenSpawnsTheCommandIntoIt() throws Exception {
    // Escape 4 of issue 12: this process never enters the container's PID namespace, where the
    // container's root could read its /proc/PID/root and environ; its child is born there,
    // already inside the container's root, with the credentials set on this thread.
    run(execPlan(Feature.upTo(12), "1000:1000"));
    List<String> calls = sys.calls();
    assertEquals(
        List.of(
            "prctl(PR_SET_DUMPABLE, 0)",
            "open(\"/proc/42/ns/pid\")",
            "open(\"/proc/42/root\")",
            "open(\"/proc/42/ns/mnt\")",
            "unshare(CLONE_FS)",
            "setns(/proc/42/ns/mnt, CLONE_NEWNS)",
            "close(12)",
            "fchdir(11)",
            "chroot(\".\")",
            "chdir(\"/\")",
            "close(11)",
            "setns(/proc/42/ns/pid, CLONE_NEWPID)",
            "close(10)",
            "-- ready",
            "-- go"),
        calls.subList(0, 15));
    int capset =
        calls.indexOf(
            "capset({_LINUX_CAPABILITY_VERSION_3, 0}, {effective=0xa00425fb,"
                + " permitted=0xa00425fb, inheritable=0x0})");
    assertTrue(
        capset > 15 && calls.indexOf("setresuid(1000, 1000, 1000)") < capset, calls.toString());
    assertEquals(
        List.of(
            "prctl(PR_SET_NO_NEW_PRIVS, 1)",
            "chdir(\"/\")",
            "close_range(3, ~0U, CLOSE_RANGE_CLOEXEC)",
            "posix_spawn(\"/bin/sh\", [\"/bin/sh\", \"-c\", \"true\"], [/* 1 vars */])",
            "-- spawned 4243",
            "waitpid(4243)",
            "-- end as 0"),
        calls.subList(capset + 1, calls.size()));
    assertFalse(calls.stream().anyMatch(c -> c.startsWith("execve")));
  }

  @Test
  void aMaskedPathThisKernelLacksIsSkipped() throws Exception {
    sys.failWhen(c -> c.contains("/timer_stats\""), Errno.ENOENT);
    run(plan(Feature.upTo(12), root.toString(), null, null));
    assertTrue(sys.calls().stream().anyMatch(c -> c.startsWith("execve")), sys.calls().toString());
    StepEntry skipped =
        entries.stream().filter(e -> e.args().contains("timer_stats")).findFirst().orElseThrow();
    assertTrue(skipped.ok(), skipped.toString());
    assertEquals("-1 ENOENT (not on this kernel: nothing to mask)", skipped.result());
  }
}
