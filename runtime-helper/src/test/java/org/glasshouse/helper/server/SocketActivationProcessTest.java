package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket activation on real descriptors: {@code systemd-socket-activate} binds a socket, passes it
 * as fd 3 with LISTEN_FDS/LISTEN_PID exactly as systemd does for {@code glasshouse.socket}, and the
 * probe — the helper's own start-up code — serves it. Needs no root and no running systemd.
 */
class SocketActivationProcessTest {

  private static final Path ACTIVATE = Path.of("/usr/bin/systemd-socket-activate");

  @TempDir Path dir;

  @Test
  void thePassedSocketIsServed() throws Exception {
    TestSupport.require(
        Files.isExecutable(ACTIVATE),
        "no " + ACTIVATE + " (package systemd) to pass a socket the way systemd does");
    Path socket = dir.resolve("activated.sock");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    ACTIVATE.toString(),
                    "--listen=" + socket,
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    SocketActivationProbe.class.getName()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("probe.log").toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Files.exists(socket) && System.nanoTime() < deadline && p.isAlive()) {
        Thread.sleep(20); // systemd-socket-activate binds a moment after it starts: poll for it
      }
      assertTrue(
          Files.exists(socket), "no socket; log: " + Files.readString(dir.resolve("probe.log")));
      String reply;
      try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
          InputStream in = Channels.newInputStream(c)) {
        reply = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      assertEquals("served " + socket, reply, Files.readString(dir.resolve("probe.log")));
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the probe did not exit");
      assertEquals(0, p.exitValue(), Files.readString(dir.resolve("probe.log")));
    } finally {
      p.destroyForcibly();
    }
  }
}
