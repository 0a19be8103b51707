package org.glasshouse.cli;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.glasshouse.helper.cgroups.CgroupDelegation;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.cgroups.CgroupFs;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.runtime.InitTimeout;
import org.glasshouse.helper.runtime.Janitor;
import org.glasshouse.helper.runtime.LinuxContainerRuntime;
import org.glasshouse.helper.runtime.RuntimeConfig;
import org.glasshouse.helper.runtime.RuntimeEnvironment;
import org.glasshouse.helper.runtime.images.ImageStore;
import org.glasshouse.helper.runtime.net.Cidr;
import org.glasshouse.helper.runtime.net.NetworkConfig;
import org.glasshouse.helper.server.FirstUse;
import org.glasshouse.helper.server.HelperServer;
import org.glasshouse.helper.server.InspectionOps;
import org.glasshouse.helper.server.ServerConfig;
import org.glasshouse.helper.server.SocketActivation;
import org.glasshouse.helper.server.UserDb;
import org.glasshouse.helper.text.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code glasshouse helper}: the privileged helper in the foreground, logging to stderr until
 * SIGTERM/SIGINT, when it stops accepting, closes its clients, removes every container and deletes
 * its socket. Started by socket activation (the packaged {@code glasshouse.socket}), it serves the
 * socket it was passed and leaves that socket to the service manager.
 */
@Command(
    name = "helper",
    sortOptions = false,
    description = {
      "Run the privileged helper in the foreground (as root), logging to stderr until SIGTERM or"
          + " SIGINT, when it removes every container and its socket. Started by socket activation"
          + " (glasshouse.socket), it serves the socket it is passed."
    })
final class HelperCommand implements Callable<Integer> {

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description = "its socket (default: GLASSHOUSE_SOCKET, else /run/glasshouse/helper.sock)")
  Path socket = ServerConfig.defaultSocket();

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "extracted images and container directories (default: /var/lib/glasshouse)")
  Path stateDir = Path.of("/var/lib/glasshouse");

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      description =
          "who may connect besides root (default: the sudo or pkexec caller's group, else root's)")
  String group;

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description = "where image tarballs are (default: GLASSHOUSE_IMAGES, else the build's)")
  Path imagesDir;

  @Option(
      names = "--sweep",
      description =
          "only remove what a helper killed with -9 left in the state dir (processes, mounts,"
              + " cgroups, directories), then exit")
  boolean sweep;

  @Option(
      names = "--bridge",
      paramLabel = "NAME",
      description =
          "the bridge --network bridge containers join (default: glasshouse0 for /var/lib/glasshouse,"
              + " else gh- and a hash of the state dir)")
  String bridge;

  @Option(
      names = "--subnet",
      paramLabel = "CIDR",
      description =
          "the bridge's IPv4 subnet (default: 10.87.0.0/24, or the next free /24 when it is taken)")
  String subnet;

  @Option(
      names = "--init-timeout",
      paramLabel = "SECONDS",
      converter = Converters.Seconds.class,
      description =
          "how long a container's init stage may take to connect, 1 to 86400 (default:"
              + " GLASSHOUSE_INIT_TIMEOUT, else sized from how fast a JVM starts here, at least"
              + " 30 s)")
  Duration initTimeout;

  @Option(
      names = "--cgroup-parent",
      paramLabel = "NAME",
      description =
          "the parent cgroup of the containers' cgroups, in every hierarchy (default: glasshouse;"
              + " levels 00-05 track theirs under NAME-tracking); helpers on other state dirs may"
              + " share it, and the last one to stop removes it")
  String cgroupParent = CgroupDriver.DEFAULT_PARENT;

  @Option(
      names = "--delegated-cgroup",
      description =
          "the service manager delegated the helper's cgroup (glasshouse.service, Delegate=yes):"
              + " on a cgroup-v2 host the helper moves into <its cgroup>/helper and makes the"
              + " containers' cgroups beside it")
  boolean delegated;

  @Option(
      names = "--warm-up",
      description =
          "at start, build the init's class-data archive and pool an init for every level; refill"
              + " the pool at nice 10 after each start (off by default: under heavy load a pooled"
              + " init at nice 10 can miss its connect deadline)")
  boolean warmUp;

  @Option(
      names = "--init",
      paramLabel = "native|jvm",
      description =
          "the init stage of a container's start and of each exec into it: native (default), the"
              + " static glasshouse-init next to the helper's jar, spawned per start or exec with no"
              + " pool; or jvm, an init JVM (a start's pooled with --warm-up). The helper refuses to"
              + " start when native is chosen and glasshouse-init is missing")
  String init;

  @Mixin GlasshouseCommand.HelpOption help;

  /** {@code --init}, else the {@link RuntimeConfig#INIT_PROPERTY} property; null: native. */
  private String initChoice() {
    return init != null ? init : System.getProperty(RuntimeConfig.INIT_PROPERTY);
  }

  @Override
  public Integer call() throws Exception {
    Path imagesDir =
        this.imagesDir != null
            ? this.imagesDir
            : Installation.imagesDir(System.getenv(), Installation.home());
    UserDb users = new UserDb();
    if (new UnixSystem().getUid() != 0) {
      System.err.println(
          "glasshouse helper: the helper must run as root (it creates namespaces, mounts and"
              + " cgroups): sudo ./glasshouse helper");
      return Exit.HELPER;
    }
    NetworkConfig net = network(stateDir.toAbsolutePath(), bridge, subnet);
    String parent = cgroupParent(cgroupParent);
    if (sweep) {
      return sweep(stateDir.toAbsolutePath(), imagesDir, net, parent);
    }
    Map<String, String> env = System.getenv();
    // Started by glasshouse.socket (or systemd-socket-activate): serve the socket it bound. Taken
    // first, before the runtime spawns anything that could inherit fd 3.
    Optional<ServerSocketChannel> activated =
        SocketActivation.listener(env, new JnaSyscalls(), System::inheritedChannel);
    Integer invokingUid = invokingUid(env);
    int gid = group(group, env, invokingUid, users);

    java.util.function.Consumer<String> log = log(System.err);
    // Before the helper spawns anything: the leaf it moves into must hold every process it makes.
    // One reading of the cgroup layout decides both the delegation and the runtime's driver.
    CgroupLayout layout = CgroupLayout.detect(Path.of("/"));
    String cgroupBase = delegated ? enterDelegated(layout, parent) : "";
    RuntimeConfig config =
        RuntimeConfig.of(stateDir.toAbsolutePath(), imagesDir, initChoice())
            .withNetwork(net)
            .withCgroupBase(cgroupBase)
            .withCgroupParent(parent);
    if (initTimeout != null) {
      config =
          config.withInitTimeout(
              InitTimeout.configured(initTimeout, "glasshouse helper --init-timeout"));
    }
    LinuxContainerRuntime runtime =
        new LinuxContainerRuntime(config, RuntimeEnvironment.host(layout).withLog(log));
    ImageStore images = new ImageStore(imagesDir, stateDir.toAbsolutePath());
    HelperServer server =
        new HelperServer(
            new ServerConfig(
                socket.toAbsolutePath(),
                gid,
                invokingUid,
                ServerConfig.DEFAULT_OUTBOX_BYTES,
                ServerConfig.DEFAULT_MAX_CONNECTIONS),
            runtime,
            images::list,
            users,
            log);
    // Inspection ops and the telemetry/mounts/namespaces topics are registered before the first
    // client.
    InspectionOps inspection = InspectionOps.install(server, log);
    log.accept("glasshouse helper: " + HelperJvm.heapReport());
    server.start(activated);
    // Listening: what the first start of a level would pay, paid now, in the background (issue
    // 16): the protocol's and the plans' first use in this JVM, then every image extracted and
    // its spare rootfs copies made, at nice 10.
    firstUse(runtime, log);
    runtime.prepareImages();
    if (warmUp) {
      // Listening: the init's class-data archive and a pooled init per level, in the background.
      runtime.warmUp();
    }
    log.accept(
        "glasshouse helper: state in "
            + stateDir.toAbsolutePath()
            + ", images from "
            + imagesDir
            + ", cgroups "
            + runtime.cgroupMode()
            + ", bridge "
            + net.bridge()
            + " ("
            + net.subnet()
            + (net.subnetGiven() ? "" : " or the next free /" + net.subnet().prefix())
            + ", made with the first networked container), init stage "
            + (config.nativeInit() == null
                ? "jvm (an init JVM per start)"
                : "native (" + config.nativeInit() + ")")
            + ", init timeout "
            + runtime.initTimeout()
            + "; start-up sweep: "
            + runtime.recovery());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  inspection.close();
                  stopped.countDown();
                },
                "glasshouse-shutdown"));
    stopped.await();
    return Exit.OK;
  }

  /**
   * Runs a start's pure-Java path once on a thread of its own ({@link FirstUse}, {@link
   * LinuxContainerRuntime#dryRun}), at the normal priority: a request that comes meanwhile waits
   * for no low-priority thread holding a class's initialization.
   */
  private static void firstUse(
      LinuxContainerRuntime runtime, java.util.function.Consumer<String> log) {
    Thread t =
        new Thread(
            () -> {
              try {
                FirstUse.protocol();
                runtime.dryRun();
              } catch (Exception | LinkageError e) {
                // Only a head start: the first real start does the same and reports what fails.
                log.accept("glasshouse helper: the start path's dry run failed: " + e);
              }
            },
            "glasshouse-dry-run");
    t.setDaemon(true);
    t.start();
  }

  /**
   * {@code --sweep}: what a helper killed with -9 left in {@code stateDir} (container processes,
   * mounts, cgroups, container dirs) is removed, as a starting helper does, and nothing is started.
   * The package's prerm runs it before its files go. Refused while a helper uses the state dir.
   */
  private static int sweep(Path stateDir, Path imagesDir, NetworkConfig net, String parent)
      throws java.io.IOException {
    LinuxContainerRuntime runtime =
        new LinuxContainerRuntime(
            // No init runs in a sweep: the JVM init's config needs no glasshouse-init.
            RuntimeConfig.of(stateDir, imagesDir, "jvm")
                .withWarmPool(0)
                .withNetwork(net)
                .withCgroupParent(parent));
    Janitor.Report report = runtime.recovery();
    runtime.close();
    for (String line : report.done()) {
      System.out.println("glasshouse helper --sweep: " + line);
    }
    for (String line : report.failures()) {
      System.err.println("glasshouse helper --sweep: left behind: " + line);
    }
    System.out.println(
        "glasshouse helper --sweep: "
            + stateDir
            + (report.clean() ? ": nothing left behind" : ": incomplete"));
    return report.clean() ? 0 : 1;
  }

  /**
   * {@code --delegated-cgroup} (glasshouse.service, {@code Delegate=yes}): on a v2 host the helper
   * moves itself into {@code <own cgroup>/helper} and returns its own cgroup, where the containers'
   * parent goes ({@link CgroupDelegation}); on v1 and hybrid hosts the resource controllers are not
   * on the unified hierarchy and the flag changes nothing.
   */
  private static String enterDelegated(CgroupLayout layout, String parent) throws IOException {
    if (layout.mode() != CgroupLayout.Mode.V2) {
      System.err.println(
          "glasshouse helper: --delegated-cgroup: the resource controllers are on cgroup v1 here;"
              + " containers' cgroups go under /glasshouse in each hierarchy, as without it");
      return "";
    }
    String own = CgroupDelegation.own(Files.readString(Path.of("/proc/self/cgroup")));
    String base =
        CgroupDelegation.enter(
            new CgroupFs(),
            layout.unifiedMount().orElseThrow(),
            own,
            ProcessHandle.current().pid());
    System.err.println(
        "glasshouse helper: cgroup /"
            + own
            + " is delegated to the helper: it moved into /"
            + own
            + "/"
            + CgroupDelegation.LEAF
            + ", containers go under /"
            + own
            + "/"
            + parent);
    return base;
  }

  /** The bridge and subnet: the state dir's defaults, with --bridge and --subnet applied. */
  static NetworkConfig network(Path stateDir, String bridge, String subnet) throws UsageException {
    try {
      NetworkConfig n = NetworkConfig.forStateDir(stateDir);
      if (bridge != null) {
        n = n.withBridge(bridge);
      }
      if (subnet != null) {
        n = n.withSubnet(Cidr.parse(subnet));
      }
      return n;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** --cgroup-parent checked: one cgroup name ({@link CgroupDriver#checkName}). */
  static String cgroupParent(String name) throws UsageException {
    try {
      return CgroupDriver.checkName("parent", name);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "--cgroup-parent: "
              + e.getMessage()
              + ": one name of letters, digits, '.', '_' and '-', not a path");
    }
  }

  /** SUDO_UID or PKEXEC_UID: the desktop user who asked for the helper. */
  static Integer invokingUid(Map<String, String> env) {
    for (String k : List.of("SUDO_UID", "PKEXEC_UID")) {
      String v = env.get(k);
      if (v != null && v.matches("[0-9]{1,10}")) {
        return Integer.parseUnsignedInt(v);
      }
    }
    return null;
  }

  /** --group, else the invoking user's group (SUDO_GID, or PKEXEC_UID's primary group), else 0. */
  static int group(String flag, Map<String, String> env, Integer invokingUid, UserDb users)
      throws UsageException {
    if (flag != null) {
      return users
          .gid(flag)
          .orElseThrow(() -> new UsageException("no group '" + flag + "' on this machine"));
    }
    String sudoGid = env.get("SUDO_GID");
    if (sudoGid != null && sudoGid.matches("[0-9]{1,10}")) {
      return Integer.parseUnsignedInt(sudoGid);
    }
    if (invokingUid != null) {
      return users.primaryGid(invokingUid).orElse(0);
    }
    return 0;
  }

  /**
   * The helper's log: one line per call. Lines quote what containers chose (paths of their files,
   * their names): escaped, a newline cannot forge a log line nor a sequence drive the terminal of
   * whoever reads it.
   */
  static java.util.function.Consumer<String> log(java.io.PrintStream err) {
    return line -> err.println(Printable.escape(line));
  }
}
