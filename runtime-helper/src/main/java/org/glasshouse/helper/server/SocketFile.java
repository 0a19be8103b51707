package org.glasshouse.helper.server;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;
import org.glasshouse.helper.linux.UnixSockets;

/**
 * Creates the socket in the order that never exposes it: the directory first (0750, root:group),
 * then the socket inside it, then the socket's mode 0660 and group. A socket file left by a dead
 * helper is removed only when nothing answers on it; a live helper's is never touched.
 */
final class SocketFile {

  private SocketFile() {}

  /**
   * Binds the socket. A directory the helper creates is made 0750 root:group; an existing one is
   * left as it is (it may be shared, like /tmp) and, when others may enter it, {@code warn} says
   * so: the socket's own 0660 mode still keeps them from connecting.
   */
  static UnixSockets.Server bind(Path socket, int gid, int backlog, Consumer<String> warn)
      throws IOException {
    Path dir = socket.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
      Files.setAttribute(dir, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    } else if (Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
      warn.accept(
          "the socket's directory "
              + dir
              + " already existed and is "
              + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))
              + ", not rwxr-x---; only the socket's own mode 0660 keeps others out");
    }
    if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      if (!isSocket(socket)) {
        throw new IOException(socket + " exists and is not a socket; not touching it");
      }
      if (answers(socket)) {
        throw new IOException("another helper is already listening on " + socket);
      }
      Files.delete(socket);
    }
    UnixSockets.Server server = UnixSockets.Server.bind(socket.toAbsolutePath(), backlog);
    try {
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
      Files.setAttribute(socket, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      server.shutdown();
      server.close();
      throw e;
    }
    return server;
  }

  private static boolean isSocket(Path p) throws IOException {
    Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return mode instanceof Integer m && (m & 0170000) == 0140000;
  }

  private static boolean answers(Path socket) {
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return c.isConnected();
    } catch (IOException e) {
      return false;
    }
  }
}
