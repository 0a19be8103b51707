package org.glasshouse.helper.runtime.init;

import static org.glasshouse.helper.linux.SyscallArgs.mkdir;
import static org.glasshouse.helper.linux.SyscallArgs.mknodChar;
import static org.glasshouse.helper.linux.SyscallArgs.mount;
import static org.glasshouse.helper.linux.SyscallArgs.paths;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.runtime.StepLog.StepException;

/**
 * Level 02's /dev: the few device nodes a program expects (never the host's /dev), the stdio links,
 * a private devpts instance and /dev/shm. Made inside the rootfs before the root changes.
 */
final class DevNodes {

  /** name, major, minor: the set docker and the OCI spec give every container. */
  private static final Object[][] NODES = {
    {"null", 1, 3},
    {"zero", 1, 5},
    {"full", 1, 7},
    {"random", 1, 8},
    {"urandom", 1, 9},
    {"tty", 5, 0}
  };

  private final Syscalls sys;
  private final StepRunner steps;
  private final String dev;
  private final String ptySlave;

  DevNodes(Syscalls sys, StepRunner steps, String root, String ptySlave) {
    this.sys = sys;
    this.steps = steps;
    this.dev = root + "/dev";
    this.ptySlave = ptySlave;
  }

  void create() throws StepException {
    for (Object[] n : NODES) {
      String path = dev + "/" + n[0];
      int major = (Integer) n[1];
      int minor = (Integer) n[2];
      steps.step(
          "dev-nodes",
          "mknod",
          mknodChar(path, 0666, major, minor),
          "creating device nodes needs CAP_MKNOD and a /dev that allows devices (not nodev)",
          () -> sys.mknodChar(path, 0666, major, minor));
    }
    link("/proc/self/fd", "fd");
    link("/proc/self/fd/0", "stdin");
    link("/proc/self/fd/1", "stdout");
    link("/proc/self/fd/2", "stderr");
    String pts = dev + "/pts";
    steps.step("dev-nodes", "mkdir", mkdir(pts, 0755), null, () -> sys.mkdir(pts, 0755));
    // A new devpts instance: the container sees only its own ptys, never the host's.
    String ptsData = "newinstance,ptmxmode=0666,mode=0620";
    long ptsFlags = Flags.MS_NOSUID | Flags.MS_NOEXEC;
    steps.step(
        "dev-nodes",
        "mount",
        mount("devpts", pts, "devpts", ptsFlags, ptsData),
        null,
        () -> sys.mount("devpts", pts, "devpts", ptsFlags, ptsData));
    link("pts/ptmx", "ptmx");
    String shm = dev + "/shm";
    steps.step("dev-nodes", "mkdir", mkdir(shm, 01777), null, () -> sys.mkdir(shm, 01777));
    long shmFlags = Flags.MS_NOSUID | Flags.MS_NODEV | Flags.MS_NOEXEC;
    steps.step(
        "dev-nodes",
        "mount",
        mount("shm", shm, "tmpfs", shmFlags, "mode=1777,size=65536k"),
        null,
        () -> sys.mount("shm", shm, "tmpfs", shmFlags, "mode=1777,size=65536k"));
    if (ptySlave != null) {
      // /dev/console is the container's terminal: bind the pty slave over an empty file.
      String console = dev + "/console";
      steps.step(
          "dev-nodes",
          "open",
          "\"" + console + "\", O_CREAT|O_WRONLY, 0644",
          null,
          () -> {
            Path p = Path.of(console);
            if (!Files.exists(p)) {
              Files.createFile(p);
            }
          });
      steps.step(
          "dev-nodes",
          "mount",
          mount(ptySlave, console, null, Flags.MS_BIND, null),
          null,
          () -> sys.mount(ptySlave, console, null, Flags.MS_BIND, null));
    }
  }

  private void link(String target, String name) throws StepException {
    String path = dev + "/" + name;
    steps.step("dev-nodes", "symlink", paths(target, path), null, () -> sys.symlink(target, path));
  }
}
