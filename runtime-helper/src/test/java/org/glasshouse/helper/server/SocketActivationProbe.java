package org.glasshouse.helper.server;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.glasshouse.helper.linux.JnaSyscalls;

/**
 * The helper's start-up in miniature, run by {@link SocketActivationProcessTest} under {@code
 * systemd-socket-activate}: takes the activated socket as {@code glasshouse helper} does, answers
 * one connection with the path it serves, and exits.
 */
public final class SocketActivationProbe {
  private SocketActivationProbe() {}

  public static void main(String[] args) throws IOException {
    Optional<ServerSocketChannel> server =
        SocketActivation.listener(System.getenv(), new JnaSyscalls(), System::inheritedChannel);
    if (server.isEmpty()) {
      System.err.println("probe: no activated socket");
      System.exit(3);
    }
    try (SocketChannel c = server.get().accept()) {
      String path = ((UnixDomainSocketAddress) server.get().getLocalAddress()).getPath().toString();
      c.write(ByteBuffer.wrap(("served " + path + "\n").getBytes(StandardCharsets.UTF_8)));
    }
  }
}
