package org.glasshouse.app.core;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.glasshouse.protocol.Privilege;

/**
 * Starts the privileged helper when none answers: directly when the app already runs as root, else
 * through {@code pkexec} (a graphical password prompt) or {@code sudo -n}. The helper runs detached
 * and logs to a file, so it outlives a crash of the app and keeps its own output out of the UI.
 * Where the package's service is installed it starts nothing: the service is the helper.
 *
 * <p>The app's own starter ({@link #forApp}) starts the helper by itself, without a click, when the
 * app runs as root: there is no password to ask for, so nothing a confirmation would protect. As
 * another user the status bar offers it (one click, then pkexec's own prompt), so that no password
 * prompt appears at launch without the app having said what it is for.
 */
public final class HelperStarter {
  private final Path socket;
  private final Path root;
  private final List<String> command;
  private final boolean byItself;
  private final Path log;

  /** A starter that only ever starts on request (tests, and every caller but the app). */
  public HelperStarter(Path socket) {
    this(socket, Path.of("/"));
  }

  /**
   * @param socket the socket the helper is to listen on
   * @param root the file system root the installed service is looked for under (tests: a fixture)
   */
  public HelperStarter(Path socket, Path root) {
    this(socket, root, null, false, APP_LOG);
  }

  private HelperStarter(Path socket, Path root, List<String> command, boolean byItself, Path log) {
    this.socket = socket;
    this.root = root;
    this.command = command == null ? null : List.copyOf(command);
    this.byItself = byItself;
    this.log = log;
  }

  /** Where a helper the app starts writes its output: one file, found again after a crash. */
  private static final Path APP_LOG =
      Path.of(System.getProperty("java.io.tmpdir"), "glasshouse-helper.log");

  /** The app's starter: it starts the helper unasked when the app runs as root. */
  public static HelperStarter forApp(Path socket) {
    return new HelperStarter(socket, Path.of("/"), null, Privilege.runningAsRoot(), APP_LOG);
  }

  /**
   * A starter that runs {@code command} (a real helper on a test's own socket and state dir) and
   * starts it unasked: the automatic start of {@link #forApp}, with what it runs under test
   * control. Its output goes to {@code helper.log} beside the socket, in that test's own dir, not
   * into the app's shared log.
   */
  public static HelperStarter unasked(Path socket, List<String> command) {
    return unasked(socket, Path.of("/"), command);
  }

  /** {@link #unasked(Path, List)} looking for the installed service under {@code root}. */
  public static HelperStarter unasked(Path socket, Path root, List<String> command) {
    return new HelperStarter(socket, root, command, true, socket.resolveSibling("helper.log"));
  }

  /**
   * Whether the app starts the helper by itself when none answers at launch, without asking: only
   * the app's starter ({@link #forApp}), and only as root.
   */
  public boolean startsByItself() {
    return byItself;
  }

  /**
   * Why no helper may be started here, or empty: an installed service owns the socket, or a helper
   * answers on it already ({@link HelperLocator#service}). Reads files: off the UI thread.
   */
  public Optional<String> service() {
    return HelperLocator.service(root, socket);
  }

  /** The socket the helper is to listen on. */
  public Path socket() {
    return socket;
  }

  /** The command that would be run, for the confirmation text. */
  public List<String> command() {
    if (command != null) {
      return command;
    }
    List<String> cmd = new ArrayList<>();
    if (!Privilege.runningAsRoot()) {
      if (onPath("pkexec")) {
        cmd.add("pkexec");
      } else {
        cmd.addAll(List.of("sudo", "-n"));
      }
    }
    // The helper is not on the app's class path (the app carries only the protocol): it is
    // started by the launcher the app was started by (the package's or a checkout's, which
    // passes its own path), else the checkout's, else `glasshouse` from PATH.
    String launcher = System.getProperty("glasshouse.launcher");
    Path repo = HelperLocator.repository();
    if (launcher != null && !launcher.isBlank()) {
      cmd.add(launcher);
    } else {
      cmd.add(repo != null ? repo.resolve("glasshouse").toString() : "glasshouse");
    }
    cmd.add("helper");
    cmd.add("--socket");
    cmd.add(socket.toString());
    cmd.addAll(followingSocket(socket));
    return cmd;
  }

  /**
   * The state dir and cgroup parent of a helper on {@code socket}: the defaults on the default
   * socket, else {@code state} beside the socket and a cgroup parent named after it. A lab on its
   * own socket (GLASSHOUSE_SOCKET) then gets a helper of its own in every respect: with the
   * defaults it would share /var/lib/glasshouse with the installed or another lab's helper, and one
   * of them would sweep the other's live containers as a dead helper's leftovers.
   */
  static List<String> followingSocket(Path socket) {
    Path abs = socket.toAbsolutePath().normalize();
    if (abs.equals(Path.of(HelperLocator.DEFAULT_SOCKET))) {
      return List.of();
    }
    return List.of(
        "--state-dir",
        abs.resolveSibling("state").toString(),
        "--cgroup-parent",
        cgroupParent(abs));
  }

  /**
   * {@code glasshouse-} and the socket's dir name (letters, digits, '.', '_' and '-' kept, others
   * '_'), then a hash of the socket's path: readable in {@code /sys/fs/cgroup}, and two sockets in
   * dirs of one name still get two parents.
   */
  static String cgroupParent(Path absSocket) {
    Path dir = absSocket.getParent();
    String name = dir == null || dir.getFileName() == null ? "" : dir.getFileName().toString();
    name = name.replaceAll("[^A-Za-z0-9._-]", "_");
    if (name.length() > 32) {
      name = name.substring(0, 32);
    }
    String hash = String.format("%08x", absSocket.toString().hashCode());
    return "glasshouse-" + (name.isEmpty() ? "" : name + "-") + hash;
  }

  /** Where the helper's own output goes. */
  public Path logFile() {
    return log;
  }

  /**
   * Starts the helper in the background; call off the UI thread. A helper that ends within three
   * seconds (password refused, no sudo rights, another helper owns the socket) is reported.
   *
   * @return the process started (the helper, or pkexec/sudo running it)
   */
  public Process start() throws IOException {
    Optional<String> service = service();
    if (service.isPresent()) {
      // Never a second helper next to the service: it would share the service's state dir and
      // sweep its live containers as a dead helper's leftovers.
      throw new IOException("not starting a helper: " + service.get());
    }
    ProcessBuilder pb = new ProcessBuilder(command());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    try {
      if (p.waitFor(3, TimeUnit.SECONDS)) {
        throw new IOException(
            "it ended at once with status " + p.exitValue() + "; its log is " + logFile());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return p;
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }
}
