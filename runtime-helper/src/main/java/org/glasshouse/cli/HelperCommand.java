package org.glasshouse.cli;

import com.sun.security.auth.module.UnixSystem;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.runtime.Janitor;
import org.glasshouse.helper.runtime.LinuxContainerRuntime;
import org.glasshouse.helper.runtime.RuntimeConfig;
import org.glasshouse.helper.runtime.images.ImageStore;
import org.glasshouse.helper.server.HelperServer;
import org.glasshouse.helper.server.InspectionOps;
import org.glasshouse.helper.server.ServerConfig;
import org.glasshouse.helper.server.SocketActivation;
import org.glasshouse.helper.server.UserDb;
import org.glasshouse.helper.text.Printable;

/**
 * {@code glasshouse helper}: the privileged helper in the foreground, logging to stderr until
 * SIGTERM/SIGINT, when it stops accepting, closes its clients, removes every container and deletes
 * its socket. Started by socket activation (the packaged {@code glasshouse.socket}), it serves the
 * socket it was passed and leaves that socket to the service manager.
 */
final class HelperCommand implements Command {

  @Override
  public String summary() {
    return "run the privileged helper in the foreground (--sweep: clean up after a dead one)";
  }

  @Override
  public int run(List<String> args) throws Exception {
    Path socket = ServerConfig.defaultSocket();
    Path stateDir = Path.of("/var/lib/glasshouse");
    Path imagesDir = Installation.imagesDir(System.getenv(), Installation.home());
    String group = null;
    boolean sweep = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--socket" -> socket = Path.of(value(args, ++i, a));
        case "--state-dir" -> stateDir = Path.of(value(args, ++i, a));
        case "--group" -> group = value(args, ++i, a);
        case "--images" -> imagesDir = Path.of(value(args, ++i, a));
        case "--sweep" -> sweep = true;
        default ->
            throw new UsageException(
                "unknown option '"
                    + a
                    + "' (usage: glasshouse helper [--socket PATH] [--state-dir DIR]"
                    + " [--group G] [--images DIR] [--sweep])");
      }
    }
    UserDb users = new UserDb();
    if (new UnixSystem().getUid() != 0) {
      System.err.println(
          "glasshouse helper: the helper must run as root (it creates namespaces, mounts and"
              + " cgroups): sudo ./glasshouse helper");
      return 1;
    }
    if (sweep) {
      return sweep(stateDir.toAbsolutePath(), imagesDir);
    }
    Map<String, String> env = System.getenv();
    // Started by glasshouse.socket (or systemd-socket-activate): serve the socket it bound. Taken
    // first, before the runtime spawns anything that could inherit fd 3.
    Optional<ServerSocketChannel> activated =
        SocketActivation.listener(env, new JnaSyscalls(), System::inheritedChannel);
    Integer invokingUid = invokingUid(env);
    int gid = group(group, env, invokingUid, users);

    // The helper's log: one line per call. Lines quote what containers chose (paths of their
    // files, their names): escaped, a newline cannot forge a log line nor a sequence drive the
    // terminal of whoever reads it.
    java.util.function.Consumer<String> log = line -> System.err.println(Printable.escape(line));
    LinuxContainerRuntime runtime =
        new LinuxContainerRuntime(RuntimeConfig.of(stateDir.toAbsolutePath(), imagesDir));
    ImageStore images = new ImageStore(imagesDir, stateDir.toAbsolutePath());
    HelperServer server =
        new HelperServer(
            new ServerConfig(
                socket.toAbsolutePath(),
                gid,
                invokingUid,
                Path.of("/sys/fs/cgroup"),
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
    // Listening: the init's class-data archive and a pooled init per level, in the background.
    runtime.warmUp();
    log.accept(
        "glasshouse helper: state in "
            + stateDir.toAbsolutePath()
            + ", images from "
            + imagesDir
            + ", cgroups "
            + runtime.cgroupMode()
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
    return 0;
  }

  /**
   * {@code --sweep}: what a helper killed with -9 left in {@code stateDir} (container processes,
   * mounts, cgroups, container dirs) is removed, as a starting helper does, and nothing is started.
   * The package's prerm runs it before its files go. Refused while a helper uses the state dir.
   */
  private static int sweep(Path stateDir, Path imagesDir) throws java.io.IOException {
    LinuxContainerRuntime runtime =
        new LinuxContainerRuntime(RuntimeConfig.of(stateDir, imagesDir).withWarmPool(0));
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

  static String value(List<String> args, int i, String option) throws UsageException {
    if (i >= args.size()) {
      throw new UsageException("option " + option + " needs a value");
    }
    return args.get(i);
  }
}
