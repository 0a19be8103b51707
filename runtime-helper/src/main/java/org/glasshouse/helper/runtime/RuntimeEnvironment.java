package org.glasshouse.helper.runtime;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.cgroups.CgroupFs;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.linux.JnaNetlinkCalls;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.linux.NetlinkCalls;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.runtime.images.ImageStore;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.helper.text.Printable;

/**
 * Everything {@link LinuxContainerRuntime} takes from the host, in one place: the syscalls, where
 * {@code /proc} and the mount table are, how the cgroup driver is chosen, how a rootfs is prepared,
 * and how the init stage is launched. {@link #host()} is the real machine; a test replaces single
 * pieces with {@code with…} and drives a start without root.
 *
 * <p>The runtime itself never names a host path: it asks this object (as youki's and crun's
 * containers take their syscall and cgroup managers from the caller).
 */
public final class RuntimeEnvironment {

  /** Prepares rootfs for containers from an image store. */
  @FunctionalInterface
  interface RootfsSource {
    RootfsFactory open(ImageStore images, Syscalls sys);
  }

  private Syscalls sys;
  private Path proc;
  private Path mountinfo;
  private Function<RuntimeConfig, CgroupDriver> cgroups;
  private RootfsSource rootfs;
  private NetlinkCalls netlink;
  private InitLauncher init;
  private InitLauncher nativeInit;
  private Consumer<StateDirClaim> onClaim;
  private Consumer<String> log;

  private RuntimeEnvironment() {}

  /**
   * The real host: JNA syscalls, {@code /proc}, the cgroup driver for the layout found under {@code
   * /} (decided once, here), image rootfs, the init JVM and a log to stderr.
   */
  public static RuntimeEnvironment host() {
    return host(CgroupLayout.detect(Path.of("/")));
  }

  /**
   * The real host with a cgroup layout the caller has already read (the helper's command line
   * decides {@code --delegated-cgroup} on the same layout: one reading of {@code
   * /proc/self/mountinfo} for both).
   */
  public static RuntimeEnvironment host(CgroupLayout layout) {
    Objects.requireNonNull(layout);
    RuntimeEnvironment e = new RuntimeEnvironment();
    e.sys = new JnaSyscalls();
    e.proc = Path.of("/proc");
    e.mountinfo = SafeDelete.SELF_MOUNTINFO;
    e.cgroups =
        config ->
            CgroupDriver.detect(layout, config.cgroupBase(), config.cgroupParent(), new CgroupFs());
    e.rootfs = ImageRootfs::new;
    e.netlink = new JnaNetlinkCalls();
    e.init = InitLauncher.JVM;
    e.nativeInit = InitLauncher.NATIVE;
    e.onClaim = claim -> {};
    e.log = line -> System.err.println(Printable.escape(line));
    return e;
  }

  private RuntimeEnvironment copy() {
    RuntimeEnvironment e = new RuntimeEnvironment();
    e.sys = sys;
    e.proc = proc;
    e.mountinfo = mountinfo;
    e.cgroups = cgroups;
    e.rootfs = rootfs;
    e.netlink = netlink;
    e.init = init;
    e.nativeInit = nativeInit;
    e.onClaim = onClaim;
    e.log = log;
    return e;
  }

  /** With other syscalls (a recording fake). */
  public RuntimeEnvironment withSyscalls(Syscalls s) {
    RuntimeEnvironment e = copy();
    e.sys = Objects.requireNonNull(s);
    return e;
  }

  /** With another {@code /proc} and mount table (a fixture). */
  public RuntimeEnvironment withProc(Path procDir, Path mountTable) {
    RuntimeEnvironment e = copy();
    e.proc = Objects.requireNonNull(procDir);
    e.mountinfo = Objects.requireNonNull(mountTable);
    return e;
  }

  /** With another cgroup driver for a config's base and parent names (a fake). */
  public RuntimeEnvironment withCgroups(Function<RuntimeConfig, CgroupDriver> driverForConfig) {
    RuntimeEnvironment e = copy();
    e.cgroups = Objects.requireNonNull(driverForConfig);
    return e;
  }

  /** With another rootfs preparation (a fake). */
  RuntimeEnvironment withRootfs(RootfsSource source) {
    RuntimeEnvironment e = copy();
    e.rootfs = Objects.requireNonNull(source);
    return e;
  }

  /**
   * With another init launcher (a scripted init), which stands for every init: the JVM's and the
   * native executor's alike, so that a test's runtime never spawns a real init stage (one spawned
   * where the namespace calls are only recorded would act on the host).
   */
  RuntimeEnvironment withInit(InitLauncher launcher) {
    RuntimeEnvironment e = copy();
    e.init = Objects.requireNonNull(launcher);
    e.nativeInit = launcher;
    return e;
  }

  /**
   * Telling {@code observer} of the runtime's claim on its state dir once taken: a test drops it to
   * play a {@code kill -9} of the helper ({@link StateDirClaim#drop}).
   */
  public RuntimeEnvironment onClaim(Consumer<StateDirClaim> observer) {
    RuntimeEnvironment e = copy();
    e.onClaim = Objects.requireNonNull(observer);
    return e;
  }

  /** Logging what goes wrong where no client waits for an answer (shutdown) to {@code sink}. */
  public RuntimeEnvironment withLog(Consumer<String> sink) {
    RuntimeEnvironment e = copy();
    e.log = Objects.requireNonNull(sink);
    return e;
  }

  Syscalls sys() {
    return sys;
  }

  Path proc() {
    return proc;
  }

  Path mountinfo() {
    return mountinfo;
  }

  CgroupDriver cgroups(RuntimeConfig config) {
    return cgroups.apply(config);
  }

  RootfsFactory rootfs(ImageStore images) {
    return rootfs.open(images, sys);
  }

  NetlinkCalls netlink() {
    return netlink;
  }

  /** What spawns the native init stage ({@link InitLauncher#NATIVE} unless a test scripts it). */
  InitLauncher nativeInit() {
    return nativeInit;
  }

  InitLauncher init() {
    return init;
  }

  void claimed(StateDirClaim claim) {
    onClaim.accept(claim);
  }

  Consumer<String> log() {
    return log;
  }
}
