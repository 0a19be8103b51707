package org.glasshouse.helper.runtime.init;

import static org.glasshouse.protocol.Feature.BIND_ROOT;
import static org.glasshouse.protocol.Feature.CAPABILITIES;
import static org.glasshouse.protocol.Feature.CGROUP_NS;
import static org.glasshouse.protocol.Feature.CHROOT;
import static org.glasshouse.protocol.Feature.DEV_NODES;
import static org.glasshouse.protocol.Feature.MOUNT_NS;
import static org.glasshouse.protocol.Feature.NODEV;
import static org.glasshouse.protocol.Feature.OVERLAY;
import static org.glasshouse.protocol.Feature.PID_NS;
import static org.glasshouse.protocol.Feature.PIVOT_ROOT;
import static org.glasshouse.protocol.Feature.PSEUDO_FS;
import static org.glasshouse.protocol.Feature.SECCOMP;
import static org.glasshouse.protocol.Feature.SETUID;
import static org.glasshouse.protocol.Feature.UTS_NS;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.Capability;
import org.glasshouse.helper.linux.Fd;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.helper.runtime.seccomp.FilterPlan;
import org.glasshouse.protocol.StepEntry;

/**
 * The init stage's ordered steps, after runc's and crun's init: everything that must happen inside
 * the new namespaces, in the one order that works. Runs on the init process's main thread; every
 * call goes through {@link Syscalls}, so tests check the order without root.
 *
 * <p>Order: non-dumpable → {@code /} private → root filesystem (overlay / bind-root, nodev) → /proc
 * /sys /dev → device nodes → masked paths → pivot_root (or chroot) → hostname → [helper: cgroups] →
 * cgroup namespace → terminal → bounding set → user → capabilities → no_new_privs → workdir →
 * close_range → seccomp → execve. Every path inside the image is opened by the kernel beneath the
 * root without following symlinks ({@link RootPaths}) and mounted on through its fd.
 *
 * <p>exec: non-dumpable → join the container's mount namespace and root → [with a PID namespace:
 * join it for this thread's children] → [helper: cgroups] → terminal → credentials → close_range →
 * seccomp → execve, or, with a PID namespace, spawn the command into it (it inherits the filter)
 * and end as it ends ({@link #spawnsCommand}).
 */
public final class InitStage {

  /** Where pivot_root puts the old root, under the new one, until it is detached and removed. */
  static final String OLD_ROOT = ".oldroot";

  /** Default PATH when the spec's env has none (docker's). */
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Syscalls sys;
  private final InitPlan plan;
  private final InitLink link;
  private final StepRunner steps;
  private final java.util.function.BinaryOperator<String> resolver;
  private int ttyFd = -1;

  /**
   * @param sys the syscall seam
   * @param plan what to do
   * @param link the channel to the helper
   */
  public InitStage(Syscalls sys, InitPlan plan, InitLink link) {
    this(sys, plan, link, null, InitStage::resolve);
  }

  /**
   * The steps as the op recorder runs them at plan time: observed, and with the command looked up
   * in PATH by whoever runs the ops ({@code resolver}), inside the root they made.
   */
  InitStage(
      Syscalls sys,
      InitPlan plan,
      InitLink link,
      StepRunner.Observer observer,
      java.util.function.BinaryOperator<String> resolver) {
    this.sys = sys;
    this.plan = plan;
    this.link = link;
    this.steps = new StepRunner(new StepLog(link::step), observer);
    this.resolver = resolver;
  }

  /**
   * Runs every step and execve()s the user's command. Returns only when a step failed (the failing
   * step has been recorded and sent).
   */
  public void run() throws StepException, IOException {
    if (!plan.features().isEmpty()) {
      // Non-dumpable first: container processes must not reopen /proc/<init>/exe, its memory or
      // its fds while we are still privileged (runc: CVE-2019-5736). execve resets it.
      steps.step("init", Call.setDumpable(false), null, () -> sys.setDumpable(false));
    }
    if (plan.ptySlave() != null) {
      // Opened now, while the host's /dev/pts is still reachable; it becomes 0 1 2 later.
      int flags = Syscalls.O_RDWR | Syscalls.O_NOCTTY;
      ttyFd =
          steps.value(
              "tty",
              Call.open(plan.ptySlave(), flags),
              null,
              () -> sys.open(plan.ptySlave(), flags));
    }
    if (plan.execMode()) {
      joinRoot();
    } else {
      setUpRoot();
      changeRoot();
    }
    if (plan.has(UTS_NS) && !plan.execMode()) {
      sethostname();
    }
    if (plan.has(CGROUP_NS) && !plan.execMode()) {
      link.awaitRoots();
      // The new namespace's root is the cgroup we are in at unshare time. The helper puts us into
      // each hierarchy's root cgroup while we make the root ("roots"), and moves us into the
      // container's cgroups after "ready": so /proc/self/cgroup inside names the container's real
      // cgroup (/glasshouse/<id>), while the namespace itself is our own.
      steps.step(
          "cgroup-ns",
          Call.unshare(Flags.CLONE_NEWCGROUP),
          null,
          () -> sys.unshare(Flags.CLONE_NEWCGROUP));
    }
    link.ready(sys.getpid());
    link.awaitGo();
    finishAndExec();
  }

  /**
   * exec mode: the helper's spawning thread joined the container's UTS, IPC, net and cgroup
   * namespaces; the mount namespace cannot be joined there (the init's own executable would not be
   * found in it), so this process joins it and the container's root itself.
   */
  private void joinRoot() throws StepException {
    long pid = plan.targetPid();
    // With a PID namespace this process never enters it (see spawnsCommand): its namespace is
    // opened now, while the host's /proc still shows the container's process, and joined for the
    // children of this thread once the root is the container's.
    int pidNs = -1;
    String pidNsPath = "/proc/" + pid + "/ns/pid";
    if (spawnsCommand()) {
      int nsFlags = Syscalls.O_RDONLY | Syscalls.O_CLOEXEC;
      pidNs =
          steps.value(
              "exec-root",
              Call.open(pidNsPath, nsFlags),
              "the container's first process must still be running",
              () -> sys.open(pidNsPath, nsFlags));
    }
    // The root is opened first, while the host's /proc still shows the container's process.
    String rootPath = "/proc/" + pid + "/root";
    int flags = Syscalls.O_RDONLY | Syscalls.O_DIRECTORY | Syscalls.O_CLOEXEC;
    int root =
        steps.value(
            "exec-root",
            Call.open(rootPath, flags),
            "the container's first process must still be running",
            () -> sys.open(rootPath, flags));
    if (plan.has(MOUNT_NS)) {
      String nsPath = "/proc/" + pid + "/ns/mnt";
      int nsFlags = Syscalls.O_RDONLY | Syscalls.O_CLOEXEC;
      int ns =
          steps.value(
              "exec-root", Call.open(nsPath, nsFlags), null, () -> sys.open(nsPath, nsFlags));
      // setns into a mount namespace needs a thread that shares its filesystem info with no one;
      // JVM threads share it, so this thread takes a private copy first (the native init has one
      // thread: there the copy costs nothing, and both inits run the same steps).
      steps.step(
          "exec-root", Call.unshare(Flags.CLONE_FS), null, () -> sys.unshare(Flags.CLONE_FS));
      steps.step(
          "exec-root",
          Call.setns(ns, Flags.CLONE_NEWNS, nsPath),
          null,
          () -> sys.setns(ns, Flags.CLONE_NEWNS, nsPath));
      steps.step("exec-root", Call.close(ns), null, () -> sys.close(ns));
    }
    steps.step("exec-root", Call.fchdir(root), null, () -> sys.fchdir(root));
    steps.step("exec-root", Call.chroot("."), null, () -> sys.chroot("."));
    steps.step("exec-root", Call.chdir("/"), null, () -> sys.chdir("/"));
    steps.step("exec-root", Call.close(root), null, () -> sys.close(root));
    if (pidNs >= 0) {
      // Only this thread's future children go into the namespace: the command, spawned below.
      int ns = pidNs;
      steps.step(
          "exec-root",
          Call.setns(ns, Flags.CLONE_NEWPID, pidNsPath),
          null,
          () -> sys.setns(ns, Flags.CLONE_NEWPID, pidNsPath));
      steps.step("exec-root", Call.close(ns), null, () -> sys.close(ns));
    }
  }

  /**
   * Whether this init spawns the command instead of becoming it: an exec into a container with its
   * own PID namespace. A process that is born into that namespace is visible to the container's
   * root from birth, and at levels 06–10 that root holds CAP_SYS_PTRACE, which reads /proc/PID/root
   * and /proc/PID/environ of any process it can see, dumpable or not (runc's CVE-2016-9962 is the
   * milder form of this). So the init stays in the host's PID namespace, where the container cannot
   * see it, joins the container's mount namespace and root, and only then spawns the command into
   * the PID namespace: the first process the container can see is already inside its root, with the
   * command's environment.
   */
  private boolean spawnsCommand() {
    return plan.execMode() && plan.has(PID_NS);
  }

  private void setUpRoot() throws StepException {
    if (plan.has(MOUNT_NS)) {
      // Before anything else: the new mount namespace starts as a copy whose mounts are still
      // peers of the host's (systemd makes / shared); every mount we make would propagate back.
      long flags = Flags.MS_REC | Flags.MS_PRIVATE;
      steps.step(
          "mount-ns",
          Call.mount(null, "/", null, flags, null),
          null,
          () -> sys.mount(null, "/", null, flags, null));
    }
    String root = plan.rootfs();
    if (root == null) {
      return;
    }
    // From level 03 the root is nodev: a device node the container makes there (or an image
    // brings) cannot be opened.
    long nodev = plan.has(NODEV) ? Flags.MS_NODEV : 0;
    if (plan.has(OVERLAY)) {
      String data =
          "lowerdir="
              + plan.overlayLower()
              + ",upperdir="
              + plan.overlayUpper()
              + ",workdir="
              + plan.overlayWork();
      steps.step(
          "overlay",
          Call.mount("overlay", root, "overlay", nodev, data),
          "overlayfs needs an existing lower, upper and work dir, upper and work on one filesystem",
          () -> sys.mount("overlay", root, "overlay", nodev, data));
    } else if (plan.has(BIND_ROOT)) {
      // pivot_root needs the new root to be a mount point: bind the rootfs onto itself.
      long flags = Flags.MS_BIND | Flags.MS_REC;
      steps.step(
          "bind-root",
          Call.mount(root, root, null, flags, null),
          null,
          () -> sys.mount(root, root, null, flags, null));
      if (nodev != 0) {
        // A bind mount takes its flags only on a remount of it.
        long remount = Flags.MS_BIND | Flags.MS_REMOUNT | nodev;
        steps.step(
            "nodev",
            Call.mount(null, root, null, remount, null),
            null,
            () -> sys.mount(null, root, null, remount, null));
      }
    }
    if (!plan.has(PSEUDO_FS) && !plan.has(DEV_NODES)) {
      return;
    }
    // Everything below happens inside the image, which is hostile: each path is resolved by the
    // kernel beneath this fd without following symlinks, and mounted on through its own fd.
    RootPaths paths = new RootPaths(sys, steps);
    Fd rootFd = paths.root(plan.has(PSEUDO_FS) ? "pseudo-fs" : "dev-nodes", root);
    if (plan.has(PSEUDO_FS)) {
      mountPseudoFilesystems(paths, rootFd);
    }
    if (plan.has(DEV_NODES)) {
      new DevNodes(sys, steps, rootFd, plan.ptySlave(), plan.has(NODEV)).create();
    }
    if (plan.has(CAPABILITIES) && plan.has(PSEUDO_FS)) {
      MaskedPaths.apply(sys, steps, rootFd);
    }
  }

  private void mountPseudoFilesystems(RootPaths paths, Fd root) throws StepException {
    // The image's /proc, /sys and /dev are not trusted: a symlink there would make us mount onto
    // a path of the image's choosing (e.g. the host's /etc). All three are opened (and refused)
    // before anything is mounted.
    Fd proc = paths.dir("pseudo-fs", root, "proc", "/proc");
    Fd sysDir = paths.dir("pseudo-fs", root, "sys", "/sys");
    Fd dev = paths.dir("pseudo-fs", root, "dev", "/dev");
    long flags = Flags.MS_NOSUID | Flags.MS_NODEV | Flags.MS_NOEXEC;
    // With a PID namespace this process is its PID 1, so the new proc shows that namespace.
    steps.step(
        "pseudo-fs",
        Call.mountOn("proc", proc, "proc", flags, null),
        null,
        () -> sys.mountOn("proc", proc, "proc", flags, null));
    long roFlags = flags | Flags.MS_RDONLY;
    steps.step(
        "pseudo-fs",
        Call.mountOn("sysfs", sysDir, "sysfs", roFlags, null),
        null,
        () -> sys.mountOn("sysfs", sysDir, "sysfs", roFlags, null));
    long devFlags = Flags.MS_NOSUID | (plan.has(NODEV) ? Flags.MS_NODEV : 0);
    String devData = "mode=755,size=65536k";
    steps.step(
        "pseudo-fs",
        Call.mountOn("tmpfs", dev, "tmpfs", devFlags, devData),
        null,
        () -> sys.mountOn("tmpfs", dev, "tmpfs", devFlags, devData));
  }

  private void changeRoot() throws StepException {
    String root = plan.rootfs();
    if (root == null) {
      return;
    }
    if (!plan.has(PIVOT_ROOT)) {
      if (plan.has(CHROOT)) {
        steps.step("chroot", Call.chroot(root), null, () -> sys.chroot(root));
        // chroot does not move the working directory: without this chdir the process still
        // stands outside its new root (the breakout experiment of level 03 uses exactly that).
        steps.step("chroot", Call.chdir("/"), null, () -> sys.chdir("/"));
      }
      return;
    }
    if (!plan.has(MOUNT_NS)) {
      // Refused before the kernel is asked: in the host's mount namespace pivot_root would move
      // the root of every process on the machine whose root is "/", not just ours.
      steps.refuse(
          "pivot-root",
          Call.pivotRoot(root, root + "/" + OLD_ROOT),
          "pivot_root needs a mount namespace: in the host's it would change the root of every"
              + " process on the machine");
    }
    // The classic form the guide teaches: pivot_root(new_root, put_old) moves the old root to a
    // directory under the new one, which is then detached and removed. put_old is made fresh: an
    // image that brings its own .oldroot (a symlink, say) fails here with EEXIST instead of being
    // followed.
    String putOld = root + "/" + OLD_ROOT;
    steps.step(
        "pivot-root",
        Call.mkdir(putOld, 0700),
        "the image must not have a /" + OLD_ROOT + " of its own",
        () -> sys.mkdir(putOld, 0700));
    steps.step(
        "pivot-root",
        Call.pivotRoot(root, putOld),
        "the new root must be a mount point: enable overlay or bind-root",
        () -> sys.pivotRoot(root, putOld));
    steps.step("pivot-root", Call.chdir("/"), null, () -> sys.chdir("/"));
    // Lazily: the host's whole tree is under /.oldroot until this detach, and something may still
    // hold a file open there.
    String inside = "/" + OLD_ROOT;
    steps.step(
        "pivot-root",
        Call.umount2(inside, Flags.MNT_DETACH),
        null,
        () -> sys.umount2(inside, Flags.MNT_DETACH));
    steps.step("pivot-root", Call.rmdir(inside), null, () -> sys.rmdir(inside));
  }

  private void sethostname() throws StepException {
    String name = plan.hostname();
    steps.step(
        "uts-ns",
        Call.sethostname(name),
        "changing the hostname needs CAP_SYS_ADMIN",
        () -> sys.sethostname(name));
  }

  private void finishAndExec() throws StepException, IOException {
    if (ttyFd >= 0) {
      attachTerminal();
    }
    setCredentials();
    String workdir = plan.workdir();
    steps.step(
        "workdir",
        Call.chdir(workdir),
        "the working directory must exist in the container",
        () -> sys.chdir(workdir));
    List<String> argv = plan.spec().argv();
    Map<String, String> env = plan.spec().env() == null ? Map.of() : plan.spec().env();
    String path = resolver.apply(argv.get(0), env.getOrDefault("PATH", DEFAULT_PATH));
    // Only 0 1 2 may reach the container: the JVM's jars, the channel, everything else closes at
    // execve. The channel closing is also how the helper learns that execve succeeded.
    steps.step("exec", Call.closeRangeCloexec(3), null, () -> sys.closeRangeCloexec(3));
    if (plan.has(SECCOMP)) {
      loadSeccompFilter();
    }
    List<String> envp = new ArrayList<>();
    env.forEach((k, v) -> envp.add(k + "=" + v));
    if (spawnsCommand()) {
      spawnAndWait(path, argv, envp);
      return;
    }
    Call execve = Call.execve(path, argv, envp);
    link.aboutToExec(
        StepEntry.builder()
            .step("exec")
            .stage("init")
            .call(execve.name())
            .args(execve.args())
            .ok(true)
            .result("0")
            .build());
    steps.step(
        "exec",
        execve,
        "the command must exist and be executable inside the container",
        () -> sys.execve(path, argv, envp));
  }

  /**
   * Spawns the command into the container's PID namespace from this thread (it inherits this
   * thread's root, credentials and capabilities), reports it, and ends as it ends. Between the
   * spawn and its execve the child shares this process's memory, which is non-dumpable and holds no
   * token any more (scrubbed at start, and spent at hello).
   */
  private void spawnAndWait(String path, List<String> argv, List<String> envp)
      throws StepException, IOException {
    boolean terminal = ttyFd >= 0;
    long child =
        steps.value(
            "exec",
            Call.posixSpawn(path, argv, envp),
            "the command must exist and be executable inside the container",
            () -> sys.spawnCommand(path, argv, envp, terminal));
    link.spawned(child);
    int status;
    try {
      status = sys.waitpid(child);
    } catch (SyscallException e) {
      // Not our child any more (cannot happen: nobody else waits for it): say so and fail.
      status = (InitMain.FAILED & 0xff) << 8;
    }
    sys.endAs(status);
  }

  /**
   * The filter goes last: from here on every syscall of this thread passes it, and the init's own
   * steps (mount, sethostname, PR_CAPBSET_DROP, capset …) would be denied. Only this step's log
   * entry, the exec announcement and execve itself follow, and the profile allows all three. The
   * JVM's other threads stay unfiltered, but execve ends them; the filter is this thread's and it
   * is the one that becomes the command.
   */
  private void loadSeccompFilter() throws StepException {
    FilterPlan filter = plan.seccomp();
    if (filter == null) {
      steps.refuse(
          "seccomp",
          new Call("seccomp", "SECCOMP_SET_MODE_FILTER, 0, NULL"),
          "the helper sent no filter: the container would run without the one it asked for");
      return;
    }
    var program = filter.instructions();
    steps.step(
        "seccomp",
        Call.seccompFilter(program.size(), filter.summary()),
        "loading a filter needs no_new_privs (set at level 11) or CAP_SYS_ADMIN",
        () -> sys.seccompFilter(program, filter.summary()));
  }

  private void attachTerminal() throws StepException {
    int fd = ttyFd;
    // A new session without a terminal, then the pty becomes its controlling terminal: ^C in
    // the lab's terminal reaches the container's foreground process group.
    steps.step("tty", Call.setsid(), null, sys::setsid);
    steps.step("tty", Call.setControllingTerminal(fd), null, () -> sys.setControllingTerminal(fd));
    for (int target = 0; target <= 2; target++) {
      int t = target;
      steps.step("tty", Call.dup2(fd, t), null, () -> sys.dup2(fd, t));
    }
    steps.step("tty", Call.close(fd), null, () -> sys.close(fd));
  }

  private void setCredentials() throws StepException {
    boolean caps = plan.has(CAPABILITIES);
    boolean setuid = plan.has(SETUID) && plan.uid() != null;
    Set<Capability> keep = EnumSet.noneOf(Capability.class);
    if (caps) {
      for (String name : plan.capabilities()) {
        keep.add(Capability.parse(name));
      }
      // The bounding set first, while we still hold CAP_SETPCAP: it caps what any later execve
      // can ever gain, even from a setuid-root binary.
      for (Capability c : Capability.values()) {
        if (c.number() <= plan.capLastCap() && !keep.contains(c)) {
          steps.step("capabilities", Call.capbsetDrop(c), null, () -> sys.capbsetDrop(c));
        }
      }
    }
    if (setuid) {
      int uid = plan.uid();
      int gid = plan.gid() == null ? uid : plan.gid();
      if (caps) {
        // Keep the permitted set across the uid change, to cut it down explicitly below.
        steps.step("setuid", Call.setKeepCaps(true), null, () -> sys.setKeepCaps(true));
      }
      // Groups, then gid, then uid: once the uid is not 0 we may no longer change the others.
      int[] none = new int[0];
      steps.step("setuid", Call.setgroups(none), null, () -> sys.setgroups(none));
      steps.step("setuid", Call.setresgid(gid, gid, gid), null, () -> sys.setresgid(gid, gid, gid));
      steps.step("setuid", Call.setresuid(uid, uid, uid), null, () -> sys.setresuid(uid, uid, uid));
      if (caps) {
        steps.step("setuid", Call.setKeepCaps(false), null, () -> sys.setKeepCaps(false));
      }
    }
    if (caps) {
      long mask = Capability.mask(keep);
      steps.step("capabilities", Call.capset(mask, mask, 0), null, () -> sys.capset(mask, mask, 0));
      steps.step("capabilities", Call.setNoNewPrivs(), null, sys::setNoNewPrivs);
    }
  }

  /** argv[0] looked up in PATH inside the (new) root, as execvp would; else as given. */
  static String resolve(String cmd, String pathVar) {
    if (cmd.contains("/")) {
      return cmd;
    }
    for (String dir : pathVar.split(":")) {
      File f = new File(dir.isEmpty() ? "." : dir, cmd);
      if (f.isFile() && f.canExecute()) {
        return f.getPath();
      }
    }
    return cmd;
  }
}
