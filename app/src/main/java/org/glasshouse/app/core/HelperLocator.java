package org.glasshouse.app.core;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the helper is: its socket ({@code GLASSHOUSE_SOCKET} or the default path), and whether an
 * installed service owns it — then the app connects to that service and never starts a helper of
 * its own (a second helper on the service's state dir would sweep the service's live containers).
 */
public final class HelperLocator {
  /** The default socket path, the same for the helper, the CLI, the app and the service. */
  public static final String DEFAULT_SOCKET = "/run/glasshouse/helper.sock";

  /** The socket unit the Debian package installs. */
  public static final String SOCKET_UNIT = "glasshouse.socket";

  /** The group the package's socket belongs to. */
  public static final String GROUP = "glasshouse";

  /** Where systemd finds system units, relative to the file system root, the admin's first. */
  static final List<String> UNIT_DIRS =
      List.of(
          "etc/systemd/system",
          "run/systemd/system",
          "usr/lib/systemd/system",
          "lib/systemd/system");

  /** The directory systemd makes at boot: present only where systemd is the init. */
  static final String SYSTEMD_RUNNING = "run/systemd/system";

  private HelperLocator() {}

  /**
   * Why the app must not start a helper of its own, or empty when it may: the socket unit is
   * installed and systemd runs this machine (the service starts on the first connection), or a
   * helper already answers on {@code socket}. A unit installed where systemd does not run (a
   * container, WSL) is no service: the app may start a helper then. Reads files and connects: call
   * off the UI thread.
   *
   * @param root the file system root ({@code /}; tests pass a fixture)
   * @param socket the socket the app uses
   */
  public static Optional<String> service(Path root, Path socket) {
    Optional<Path> unit = socketUnit(root);
    if (unit.isPresent() && Files.isDirectory(root.resolve(SYSTEMD_RUNNING))) {
      return Optional.of("the service is installed: systemctl status " + SOCKET_UNIT);
    }
    if (answers(socket)) {
      return Optional.of("a helper already answers on " + socket);
    }
    return Optional.empty();
  }

  /** The installed socket unit's file, the first in systemd's search order. */
  static Optional<Path> socketUnit(Path root) {
    for (String dir : UNIT_DIRS) {
      Path unit = root.resolve(dir).resolve(SOCKET_UNIT);
      if (Files.isRegularFile(unit)) {
        return Optional.of(unit);
      }
    }
    return Optional.empty();
  }

  /**
   * What keeps this user from the socket, in words, or empty: the socket's directory is one they
   * may not enter (the package makes {@code /run/glasshouse} 0750 root:glasshouse), or the socket
   * is one they may not write to. Then no helper would be reachable whatever runs.
   */
  public static Optional<String> accessProblem(Path socket) {
    Path dir = socket.toAbsolutePath().getParent();
    boolean locked =
        dir != null && Files.isDirectory(dir) && !Files.isExecutable(dir)
            || Files.exists(socket) && !Files.isWritable(socket);
    if (!locked) {
      return Optional.empty();
    }
    return Optional.of(
        "you may not use "
            + socket
            + ": add yourself to the "
            + GROUP
            + " group (sudo adduser $USER "
            + GROUP
            + "), then log out and back in");
  }

  /** Whether something accepts connections on {@code socket}. */
  static boolean answers(Path socket) {
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return c.isConnected();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The socket path for this environment. */
  public static Path socket(Map<String, String> env) {
    String s = env.get("GLASSHOUSE_SOCKET");
    return Path.of(s == null || s.isBlank() ? DEFAULT_SOCKET : s);
  }

  /**
   * The repository the app runs from (the directory holding the {@code glasshouse} launcher), found
   * from the app jar's location; null when the app does not run from a checkout.
   */
  public static Path repository() {
    try {
      Path p =
          Path.of(HelperLocator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path d = p; d != null; d = d.getParent()) {
        if (Files.isRegularFile(d.resolve("glasshouse")) && Files.isDirectory(d.resolve("app"))) {
          return d;
        }
      }
    } catch (Exception e) {
      return null;
    }
    return null;
  }
}
