package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glasshouse.helper.linux.RecordingSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which socket the helper serves when a service manager started it: the sd_listen_fds(3) rules,
 * against a recording fake (RecordingSyscalls' pid is 1). {@link SocketActivationProcessTest}
 * proves the same on real descriptors with {@code systemd-socket-activate}.
 */
class SocketActivationTest {

  @TempDir Path dir;
  private final RecordingSyscalls sys = new RecordingSyscalls();

  @Test
  void anOrdinaryStartTakesNothing() throws IOException {
    assertEquals(Optional.empty(), SocketActivation.listener(Map.of(), sys, () -> null));
    assertEquals(List.of(), sys.calls(), "no descriptor is touched");
  }

  @Test
  void socketsPassedToAnotherProcessAreNotOurs() throws IOException {
    // A parent that was activated itself leaves LISTEN_* in the environment it passes down.
    Map<String, String> env = Map.of("LISTEN_FDS", "1", "LISTEN_PID", "4242");
    assertEquals(Optional.empty(), SocketActivation.listener(env, sys, () -> null));
    assertEquals(List.of(), sys.calls());
  }

  @Test
  void fdThreeIsMovedOntoStdinAndServed() throws IOException {
    try (ServerSocketChannel server = listening("a.sock")) {
      Map<String, String> env = Map.of("LISTEN_FDS", "1", "LISTEN_PID", "1");
      Optional<ServerSocketChannel> got = SocketActivation.listener(env, sys, () -> server);
      assertEquals(Optional.of(server), got);
      assertEquals(List.of("dup2(3, 0)", "close(3)"), sys.calls());
    }
  }

  @Test
  void aListeningSocketOnStdinIsServedAsItIs() throws IOException {
    // StandardInput=socket (inetd style): no LISTEN_* at all, the socket is already fd 0.
    try (ServerSocketChannel server = listening("b.sock")) {
      assertEquals(Optional.of(server), SocketActivation.listener(Map.of(), sys, () -> server));
      assertEquals(List.of(), sys.calls());
    }
  }

  @Test
  void moreThanOneSocketIsRefusedWithTheReason() {
    Map<String, String> env = Map.of("LISTEN_FDS", "2", "LISTEN_PID", "1");
    IOException e =
        assertThrows(IOException.class, () -> SocketActivation.listener(env, sys, () -> null));
    assertTrue(e.getMessage().contains("LISTEN_FDS=2"), e.getMessage());
    assertEquals(List.of(), sys.calls());
  }

  @Test
  void aPassedDescriptorThatIsNoListeningSocketIsAnError() throws IOException {
    try (ServerSocketChannel server = listening("c.sock");
        SocketChannel connection = SocketChannel.open(server.getLocalAddress())) {
      Map<String, String> env = Map.of("LISTEN_FDS", "1", "LISTEN_PID", "1");
      IOException e =
          assertThrows(
              IOException.class, () -> SocketActivation.listener(env, sys, () -> connection));
      assertTrue(e.getMessage().contains("not a listening UNIX stream socket"), e.getMessage());
    }
  }

  @Test
  void aFailedDup2SaysWhichDescriptor() {
    sys.failWhen(c -> c.startsWith("dup2"), 9); // EBADF
    Map<String, String> env = Map.of("LISTEN_FDS", "1", "LISTEN_PID", "1");
    IOException e =
        assertThrows(IOException.class, () -> SocketActivation.listener(env, sys, () -> null));
    assertTrue(e.getMessage().contains("fd 3") && e.getMessage().contains("EBADF"), e.getMessage());
  }

  private ServerSocketChannel listening(String name) throws IOException {
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    s.bind(UnixDomainSocketAddress.of(dir.resolve(name)));
    return s;
  }
}
