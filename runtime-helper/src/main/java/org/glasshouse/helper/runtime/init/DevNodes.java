package org.glasshouse.helper.runtime.init;

import java.util.List;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.Fd;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.StepLog.StepException;

/**
 * Level 02's /dev: the few device nodes a program expects (never the host's /dev), the stdio links,
 * a private devpts instance and /dev/shm. Made inside the rootfs before the root changes, every one
 * through an fd of the container's /dev ({@link RootPaths}): a symlink in the image cannot send a
 * node or a mount to the host.
 *
 * <p>Level 02 makes the nodes with {@code mknod}. From level 03 ({@code nodev}) /dev is a {@code
 * nodev} mount, where no node opens — so each standard node is an empty file with the host's node
 * bind-mounted on it (a bind mount keeps the flags of the host's /dev, bubblewrap's and rootless
 * runc's way): the container can open exactly these, and nothing it makes itself.
 */
final class DevNodes {

  /**
   * A standard node.
   *
   * @param name its name in /dev
   * @param major the device's major number
   * @param minor its minor number
   */
  record Node(String name, int major, int minor) {}

  /** The set docker and the OCI spec give every container. */
  static final List<Node> NODES =
      List.of(
          new Node("null", 1, 3),
          new Node("zero", 1, 5),
          new Node("full", 1, 7),
          new Node("random", 1, 8),
          new Node("urandom", 1, 9),
          new Node("tty", 5, 0));

  private static final String STEP = "dev-nodes";

  private final Syscalls sys;
  private final StepRunner steps;
  private final RootPaths paths;
  private final Fd root;
  private final String ptySlave;
  private final boolean bind;

  /**
   * @param root the container's root (an fd of it)
   * @param ptySlave the terminal to bind on /dev/console, or null
   * @param bind bind the host's nodes ({@code nodev}, level 03+) instead of mknod
   */
  DevNodes(Syscalls sys, StepRunner steps, Fd root, String ptySlave, boolean bind) {
    this.sys = sys;
    this.steps = steps;
    this.paths = new RootPaths(sys, steps);
    this.root = root;
    this.ptySlave = ptySlave;
    this.bind = bind;
  }

  void create() throws StepException {
    // Opened now, after /dev's tmpfs was mounted: the fd is that tmpfs's root.
    Fd dev = paths.dir(STEP, root, "dev", "/dev");
    for (Node n : NODES) {
      if (bind) {
        Fd target = paths.file(STEP, dev, n.name(), 0666, "/dev/" + n.name());
        String source = "/dev/" + n.name();
        steps.step(
            STEP,
            Call.mountOn(source, target, null, Flags.MS_BIND, null),
            "binding a host device node needs it to exist on the host",
            () -> sys.mountOn(source, target, null, Flags.MS_BIND, null));
      } else {
        steps.step(
            STEP,
            Call.mknodat(dev, n.name(), 0666, n.major(), n.minor()),
            "creating device nodes needs CAP_MKNOD and a /dev that allows devices (not nodev)",
            () -> sys.mknodat(dev, n.name(), 0666, n.major(), n.minor()));
      }
    }
    link(dev, "/proc/self/fd", "fd");
    link(dev, "/proc/self/fd/0", "stdin");
    link(dev, "/proc/self/fd/1", "stdout");
    link(dev, "/proc/self/fd/2", "stderr");
    paths.mkdir(STEP, dev, "pts", 0755);
    Fd pts = paths.dir(STEP, dev, "pts", "/dev/pts");
    // A new devpts instance: the container sees only its own ptys, never the host's. It cannot
    // be nodev: its entries are the pty devices themselves.
    String ptsData = "newinstance,ptmxmode=0666,mode=0620";
    long ptsFlags = Flags.MS_NOSUID | Flags.MS_NOEXEC;
    steps.step(
        STEP,
        Call.mountOn("devpts", pts, "devpts", ptsFlags, ptsData),
        null,
        () -> sys.mountOn("devpts", pts, "devpts", ptsFlags, ptsData));
    link(dev, "pts/ptmx", "ptmx");
    paths.mkdir(STEP, dev, "shm", 01777);
    Fd shm = paths.dir(STEP, dev, "shm", "/dev/shm");
    long shmFlags = Flags.MS_NOSUID | Flags.MS_NODEV | Flags.MS_NOEXEC;
    String shmData = "mode=1777,size=65536k";
    steps.step(
        STEP,
        Call.mountOn("shm", shm, "tmpfs", shmFlags, shmData),
        null,
        () -> sys.mountOn("shm", shm, "tmpfs", shmFlags, shmData));
    if (ptySlave != null) {
      // /dev/console is the container's terminal: the pty slave bound over an empty file.
      Fd console = paths.file(STEP, dev, "console", 0644, "/dev/console");
      steps.step(
          STEP,
          Call.mountOn(ptySlave, console, null, Flags.MS_BIND, null),
          null,
          () -> sys.mountOn(ptySlave, console, null, Flags.MS_BIND, null));
    }
  }

  private void link(Fd dev, String target, String name) throws StepException {
    steps.step(
        STEP, Call.symlinkat(target, dev, name), null, () -> sys.symlinkat(target, dev, name));
  }
}
