package org.glasshouse.helper.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.Optional;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;

/**
 * The listening socket a service manager hands the helper (socket activation), when it does.
 *
 * <p>systemd's {@code glasshouse.socket} binds {@code /run/glasshouse/helper.sock} itself (mode
 * 0660, group glasshouse) and starts the helper on the first connection, passing the socket by the
 * {@code sd_listen_fds(3)} convention: {@code LISTEN_PID} is the helper's pid, {@code LISTEN_FDS}
 * is 1, the socket is fd 3. {@code systemd-socket-activate} does the same, which is how the tests
 * exercise this path without systemd. Java wraps only fd 0 as a channel ({@link
 * System#inheritedChannel()}, which accepts UNIX-domain sockets since Java 16), so fd 3 is moved
 * onto 0 first and closed; a socket already on fd 0 (inetd style, {@code StandardInput=socket}) is
 * taken as it is.
 */
public final class SocketActivation {

  /** The first passed descriptor, {@code SD_LISTEN_FDS_START}. */
  static final int FIRST_FD = 3;

  /** Where the listener is once {@link #listener} returned one: stdin's descriptor. */
  static final int LISTENER_FD = 0;

  /** Where {@link System#inheritedChannel()} comes from; a seam for tests. */
  @FunctionalInterface
  public interface Inherited {
    Channel channel() throws IOException;
  }

  private SocketActivation() {}

  /**
   * The activated listener, or empty when the helper was started the ordinary way (it then binds
   * its socket itself). Must run before anything else calls {@link System#inheritedChannel()}: the
   * JDK looks at fd 0 once.
   *
   * @param env the helper's environment
   * @param sys the seam that moves fd 3 onto fd 0
   * @param inherited {@code System::inheritedChannel}
   * @throws IOException when the environment says a socket was passed but it is not one listening
   *     UNIX stream socket
   */
  public static Optional<ServerSocketChannel> listener(
      Map<String, String> env, Syscalls sys, Inherited inherited) throws IOException {
    String fds = env.get("LISTEN_FDS");
    String pid = env.get("LISTEN_PID");
    // LISTEN_PID names the process the sockets are for; a variable inherited from a parent that was
    // itself activated names that parent, and its fds are not ours to take.
    boolean passed = fds != null && pid != null && pid.equals(Long.toString(sys.getpid()));
    if (passed) {
      if (!fds.equals("1")) {
        throw new IOException(
            "socket activation passed LISTEN_FDS="
                + fds
                + " sockets; the helper serves exactly one (one ListenStream= in glasshouse.socket)");
      }
      try {
        sys.dup2(FIRST_FD, LISTENER_FD);
        sys.close(FIRST_FD);
      } catch (SyscallException e) {
        throw new IOException("taking the activated socket from fd 3: " + e.getMessage(), e);
      }
    }
    Channel c = inherited.channel();
    if (c instanceof ServerSocketChannel server && isUnix(server.getLocalAddress())) {
      return Optional.of(server);
    }
    if (passed) {
      throw new IOException(
          "socket activation passed fd 3, but it is not a listening UNIX stream socket ("
              + (c == null ? "not a socket" : c.getClass().getSimpleName())
              + "); check ListenStream= in glasshouse.socket");
    }
    return Optional.empty();
  }

  private static boolean isUnix(SocketAddress a) {
    return a instanceof UnixDomainSocketAddress;
  }
}
