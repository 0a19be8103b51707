package org.glasshouse.helper.runtime.init;

import static org.glasshouse.helper.linux.SyscallArgs.execve;
import static org.glasshouse.helper.linux.SyscallArgs.ids;
import static org.glasshouse.helper.linux.SyscallArgs.mount;
import static org.glasshouse.helper.linux.SyscallArgs.paths;
import static org.glasshouse.helper.linux.SyscallArgs.q;
import static org.glasshouse.helper.linux.SyscallArgs.umount2;
import static org.glasshouse.protocol.Feature.BIND_ROOT;
import static org.glasshouse.protocol.Feature.CAPABILITIES;
import static org.glasshouse.protocol.Feature.CGROUP_NS;
import static org.glasshouse.protocol.Feature.CHROOT;
import static org.glasshouse.protocol.Feature.DEV_NODES;
import static org.glasshouse.protocol.Feature.MOUNT_NS;
import static org.glasshouse.protocol.Feature.OVERLAY;
import static org.glasshouse.protocol.Feature.PIVOT_ROOT;
import static org.glasshouse.protocol.Feature.PSEUDO_FS;
import static org.glasshouse.protocol.Feature.SECCOMP;
import static org.glasshouse.protocol.Feature.SETUID;
import static org.glasshouse.protocol.Feature.UTS_NS;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.helper.linux.Capability;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.SyscallArgs;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.runtime.InitPlan;
import org.glasshouse.helper.runtime.StepLog;
import org.glasshouse.helper.runtime.StepLog.StepException;
import org.glasshouse.helper.runtime.seccomp.FilterPlan;
import org.glasshouse.protocol.StepEntry;

/**
 * The init stage's ordered steps, after runc's and crun's init: everything that must happen inside
 * the new namespaces, in the one order that works. Runs on the init process's main thread; every
 * call goes through {@link Syscalls}, so tests check the order without root.
 *
 * <p>Order: non-dumpable → {@code /} private → root filesystem (overlay / bind-root) → /proc /sys
 * /dev → device nodes → pivot_root (or chroot) → hostname → [helper: cgroups] → cgroup namespace →
 * terminal → bounding set → user → capabilities → no_new_privs → workdir → close_range → seccomp →
 * execve.
 */
public final class InitStage {

  /** Default PATH when the spec's env has none (docker's). */
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Syscalls sys;
  private final InitPlan plan;
  private final InitLink link;
  private final StepRunner steps;
  private int ttyFd = -1;

  /**
   * @param sys the syscall seam
   * @param plan what to do
   * @param link the channel to the helper
   */
  public InitStage(Syscalls sys, InitPlan plan, InitLink link) {
    this.sys = sys;
    this.plan = plan;
    this.link = link;
    this.steps = new StepRunner(new StepLog(link::step));
  }

  /**
   * Runs every step and execve()s the user's command. Returns only when a step failed (the failing
   * step has been recorded and sent).
   */
  public void run() throws StepException, IOException {
    if (!plan.features().isEmpty()) {
      // Non-dumpable first: container processes must not reopen /proc/<init>/exe, its memory or
      // its fds while we are still privileged (runc: CVE-2019-5736). execve resets it.
      steps.step("init", "prctl", "PR_SET_DUMPABLE, 0", null, () -> sys.setDumpable(false));
    }
    if (plan.ptySlave() != null) {
      // Opened now, while the host's /dev/pts is still reachable; it becomes 0 1 2 later.
      ttyFd =
          steps.value(
              "tty",
              "open",
              q(plan.ptySlave()) + ", O_RDWR|O_NOCTTY",
              null,
              () -> sys.open(plan.ptySlave(), Syscalls.O_RDWR | Syscalls.O_NOCTTY));
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
          "unshare",
          Flags.cloneFlags(Flags.CLONE_NEWCGROUP),
          null,
          () -> sys.unshare(Flags.CLONE_NEWCGROUP));
    }
    link.ready(sys.getpid());
    link.awaitGo();
    finishAndExec();
  }

  /**
   * exec mode: the helper's spawning thread joined the container's UTS, IPC, net, PID and cgroup
   * namespaces; the mount namespace cannot be joined there (the init JVM's own binary would not be
   * found in it), so this process joins it and the container's root itself.
   */
  private void joinRoot() throws StepException {
    long pid = plan.targetPid();
    // The root is opened first, while the host's /proc still shows the container's process.
    String rootPath = "/proc/" + pid + "/root";
    int flags = Syscalls.O_RDONLY | Syscalls.O_DIRECTORY | Syscalls.O_CLOEXEC;
    int root =
        steps.value(
            "exec-root",
            "open",
            q(rootPath) + ", O_RDONLY|O_DIRECTORY|O_CLOEXEC",
            "the container's first process must still be running",
            () -> sys.open(rootPath, flags));
    if (plan.has(MOUNT_NS)) {
      String nsPath = "/proc/" + pid + "/ns/mnt";
      int ns =
          steps.value(
              "exec-root",
              "open",
              q(nsPath) + ", O_RDONLY|O_CLOEXEC",
              null,
              () -> sys.open(nsPath, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC));
      // setns into a mount namespace needs a thread that shares its filesystem info with no one;
      // JVM threads share it, so this thread takes a private copy first.
      steps.step("exec-root", "unshare", "CLONE_FS", null, () -> sys.unshare(Flags.CLONE_FS));
      steps.step(
          "exec-root",
          "setns",
          ns + " /* " + nsPath + " */, CLONE_NEWNS",
          null,
          () -> sys.setns(ns, Flags.CLONE_NEWNS, nsPath));
      steps.step("exec-root", "close", String.valueOf(ns), null, () -> sys.close(ns));
    }
    steps.step("exec-root", "fchdir", String.valueOf(root), null, () -> sys.fchdir(root));
    steps.step("exec-root", "chroot", q("."), null, () -> sys.chroot("."));
    steps.step("exec-root", "chdir", q("/"), null, () -> sys.chdir("/"));
    steps.step("exec-root", "close", String.valueOf(root), null, () -> sys.close(root));
  }

  private void setUpRoot() throws StepException {
    if (plan.has(MOUNT_NS)) {
      // Before anything else: the new mount namespace starts as a copy whose mounts are still
      // peers of the host's (systemd makes / shared); every mount we make would propagate back.
      long flags = Flags.MS_REC | Flags.MS_PRIVATE;
      steps.step(
          "mount-ns",
          "mount",
          mount(null, "/", null, flags, null),
          null,
          () -> sys.mount(null, "/", null, flags, null));
    }
    String root = plan.rootfs();
    if (root == null) {
      return;
    }
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
          "mount",
          mount("overlay", root, "overlay", 0, data),
          "overlayfs needs an existing lower, upper and work dir, upper and work on one filesystem",
          () -> sys.mount("overlay", root, "overlay", 0, data));
    } else if (plan.has(BIND_ROOT)) {
      // pivot_root needs the new root to be a mount point: bind the rootfs onto itself.
      long flags = Flags.MS_BIND | Flags.MS_REC;
      steps.step(
          "bind-root",
          "mount",
          mount(root, root, null, flags, null),
          null,
          () -> sys.mount(root, root, null, flags, null));
    }
    if (plan.has(PSEUDO_FS)) {
      mountPseudoFilesystems(root);
    }
    if (plan.has(DEV_NODES)) {
      new DevNodes(sys, steps, root, plan.ptySlave()).create();
    }
    if (plan.has(CAPABILITIES) && plan.has(PSEUDO_FS)) {
      MaskedPaths.apply(sys, steps, root);
    }
  }

  private void mountPseudoFilesystems(String root) throws StepException {
    // The image's /proc, /sys and /dev are not trusted: a symlink there would make us mount onto
    // a path of the image's choosing (e.g. the host's /etc). Refuse instead of following.
    for (String dir : List.of("proc", "sys", "dev")) {
      Path p = Path.of(root, dir);
      steps.step(
          "pseudo-fs",
          "lstat",
          q(p.toString()),
          "the image's /" + dir + " must be a plain directory, never a symlink",
          () -> {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
              throw new IOException(
                  p + " is " + (Files.isSymbolicLink(p) ? "a symlink" : "not a directory"));
            }
          });
    }
    long flags = Flags.MS_NOSUID | Flags.MS_NODEV | Flags.MS_NOEXEC;
    // With a PID namespace this process is its PID 1, so the new proc shows that namespace.
    String proc = root + "/proc";
    steps.step(
        "pseudo-fs",
        "mount",
        mount("proc", proc, "proc", flags, null),
        null,
        () -> sys.mount("proc", proc, "proc", flags, null));
    String sysfs = root + "/sys";
    long roFlags = flags | Flags.MS_RDONLY;
    steps.step(
        "pseudo-fs",
        "mount",
        mount("sysfs", sysfs, "sysfs", roFlags, null),
        null,
        () -> sys.mount("sysfs", sysfs, "sysfs", roFlags, null));
    String dev = root + "/dev";
    long devFlags = Flags.MS_NOSUID;
    String devData = "mode=755,size=65536k";
    steps.step(
        "pseudo-fs",
        "mount",
        mount("tmpfs", dev, "tmpfs", devFlags, devData),
        null,
        () -> sys.mount("tmpfs", dev, "tmpfs", devFlags, devData));
  }

  private void changeRoot() throws StepException {
    String root = plan.rootfs();
    if (root == null) {
      return;
    }
    if (!plan.has(PIVOT_ROOT)) {
      if (plan.has(CHROOT)) {
        steps.step("chroot", "chroot", q(root), null, () -> sys.chroot(root));
        // chroot does not move the working directory: without this chdir the process still
        // stands outside its new root (the breakout experiment of level 03 uses exactly that).
        steps.step("chroot", "chdir", q("/"), null, () -> sys.chdir("/"));
      }
      return;
    }
    if (!plan.has(MOUNT_NS)) {
      // Refused before the kernel is asked: in the host's mount namespace pivot_root would move
      // the root of every process on the machine whose root is "/", not just ours.
      steps.refuse(
          "pivot-root",
          "pivot_root",
          paths(".", "."),
          "pivot_root needs a mount namespace: in the host's it would change the root of every"
              + " process on the machine");
    }
    steps.step("pivot-root", "chdir", q(root), null, () -> sys.chdir(root));
    // pivot_root(".", "."): the old root ends up stacked on top of the new one at "/", so the
    // image needs no put_old directory; detaching "." then removes the old root from view.
    steps.step(
        "pivot-root",
        "pivot_root",
        paths(".", "."),
        "the new root must be a mount point: enable overlay or bind-root",
        () -> sys.pivotRoot(".", "."));
    steps.step(
        "pivot-root",
        "umount2",
        umount2(".", Flags.MNT_DETACH),
        null,
        () -> sys.umount2(".", Flags.MNT_DETACH));
    steps.step("pivot-root", "chdir", q("/"), null, () -> sys.chdir("/"));
  }

  private void sethostname() throws StepException {
    String name = plan.hostname();
    steps.step(
        "uts-ns",
        "sethostname",
        q(name) + ", " + name.length(),
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
        "chdir",
        q(workdir),
        "the working directory must exist in the container",
        () -> sys.chdir(workdir));
    List<String> argv = plan.spec().argv();
    Map<String, String> env = plan.spec().env() == null ? Map.of() : plan.spec().env();
    String path = resolve(argv.get(0), env.getOrDefault("PATH", DEFAULT_PATH));
    // Only 0 1 2 may reach the container: the JVM's jars, the channel, everything else closes at
    // execve. The channel closing is also how the helper learns that execve succeeded.
    steps.step(
        "exec", "close_range", "3, ~0U, CLOSE_RANGE_CLOEXEC", null, () -> sys.closeRangeCloexec(3));
    if (plan.has(SECCOMP)) {
      loadSeccompFilter();
    }
    List<String> envp = new ArrayList<>();
    env.forEach((k, v) -> envp.add(k + "=" + v));
    String args = execve(path, argv, envp.size());
    link.aboutToExec(
        new StepEntry(0, "exec", "init", "execve", args, true, "0", null, null, null, 0));
    steps.step(
        "exec",
        "execve",
        args,
        "the command must exist and be executable inside the container",
        () -> sys.execve(path, argv, envp));
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
          "seccomp",
          "SECCOMP_SET_MODE_FILTER, 0, NULL",
          "the helper sent no filter: the container would run without the one it asked for");
      return;
    }
    var program = filter.instructions();
    steps.step(
        "seccomp",
        "seccomp",
        SyscallArgs.seccompFilter(program.size()) + " /* " + filter.summary() + " */",
        "loading a filter needs no_new_privs (set at level 11) or CAP_SYS_ADMIN",
        () -> sys.seccompFilter(program));
  }

  private void attachTerminal() throws StepException {
    int fd = ttyFd;
    // A new session without a terminal, then the pty becomes its controlling terminal: ^C in
    // the lab's terminal reaches the container's foreground process group.
    steps.step("tty", "setsid", "", null, sys::setsid);
    steps.step("tty", "ioctl", fd + ", TIOCSCTTY, 0", null, () -> sys.setControllingTerminal(fd));
    for (int target = 0; target <= 2; target++) {
      int t = target;
      steps.step("tty", "dup2", fd + ", " + t, null, () -> sys.dup2(fd, t));
    }
    steps.step("tty", "close", String.valueOf(fd), null, () -> sys.close(fd));
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
          steps.step(
              "capabilities",
              "prctl",
              "PR_CAPBSET_DROP, " + c.capName(),
              null,
              () -> sys.capbsetDrop(c));
        }
      }
    }
    if (setuid) {
      int uid = plan.uid();
      int gid = plan.gid() == null ? uid : plan.gid();
      if (caps) {
        // Keep the permitted set across the uid change, to cut it down explicitly below.
        steps.step("setuid", "prctl", "PR_SET_KEEPCAPS, 1", null, () -> sys.setKeepCaps(true));
      }
      // Groups, then gid, then uid: once the uid is not 0 we may no longer change the others.
      steps.step(
          "setuid",
          "setgroups",
          SyscallArgs.setgroups(new int[0]),
          null,
          () -> sys.setgroups(new int[0]));
      steps.step(
          "setuid", "setresgid", ids(gid, gid, gid), null, () -> sys.setresgid(gid, gid, gid));
      steps.step(
          "setuid", "setresuid", ids(uid, uid, uid), null, () -> sys.setresuid(uid, uid, uid));
      if (caps) {
        steps.step("setuid", "prctl", "PR_SET_KEEPCAPS, 0", null, () -> sys.setKeepCaps(false));
      }
    }
    if (caps) {
      long mask = Capability.mask(keep);
      steps.step(
          "capabilities",
          "capset",
          SyscallArgs.capset(mask, mask, 0),
          null,
          () -> sys.capset(mask, mask, 0));
      steps.step("capabilities", "prctl", "PR_SET_NO_NEW_PRIVS, 1", null, sys::setNoNewPrivs);
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
