package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.plan.InitLines;
import org.glasshouse.helper.plan.InitMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm pool's spawning side without root, on a real init socket: the one-time token of an init
 * that will never serve a start (its spawn failed, or the pool discarded it) is forgotten — it was
 * once kept for the helper's whole life, still accepted on the socket after a failed spawn.
 */
class WarmInitsTest {

  private static final int NO_NAMESPACES = 0;

  @TempDir Path tmp;

  /** Every token the runtime handed to an init's command, in order. */
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  private final List<String> logged = new CopyOnWriteArrayList<>();

  /** The program the launcher spawns as the "init". */
  private List<String> argv = List.of("/bin/sleep", "60");

  private InitCommands commands;
  private WarmInits warm;

  @BeforeEach
  void start() throws IOException {
    RuntimeConfig config =
        RuntimeConfig.of(tmp.resolve("state"), tmp.resolve("images")).withWarmPool(1);
    InitLauncher launcher =
        (c, socket, token) -> {
          tokens.add(token);
          return new InitSpawner.Command(argv, Map.of(), tmp.toString());
        };
    commands = new InitCommands(config, tmp.resolve("init.sock"), launcher, launcher);
    warm =
        new WarmInits(
            config,
            new JnaSyscalls(),
            Path.of("/proc"),
            commands,
            new LaunchGate(new ConcurrentHashMap<>()),
            logged::add);
  }

  @AfterEach
  void stop() throws IOException {
    warm.close();
    commands.close();
  }

  @Test
  void aWarmSpawnThatFailedLeavesItsTokenDead() throws Exception {
    argv = List.of(tmp.resolve("no-such-init").toString());
    assertNull(warm.take(NO_NAMESPACES));
    assertEquals(List.of(), warm.pids(), "nothing pooled");
    assertEquals(1, tokens.size(), "one refill was tried: " + logged);
    assertTrue(
        logged.stream().anyMatch(l -> l.startsWith("warm pool: no init for")), logged::toString);
    // Before presenting it: an init that presents a token takes it out of the table either way.
    assertEquals(0, commands.pendingTokens(), "no token waits for an init");
    assertRefused(tokens.get(0));
  }

  @Test
  void aDiscardedPooledInitLeavesItsTokenDead() throws Exception {
    assertNull(warm.take(NO_NAMESPACES));
    List<InitProcess> pooled = warm.pooled();
    assertEquals(1, pooled.size());
    pooled.get(0).destroyForcibly();
    // The exit the pool itself reads (the helper's reaper completes it), not a guess of when.
    pooled.get(0).onExit().get(30, TimeUnit.SECONDS);

    assertNull(warm.take(NO_NAMESPACES), "a dead init is discarded, not handed out");
    assertEquals(1, warm.pids().size(), "and replaced");
    assertEquals(2, tokens.size());
    assertEquals(1, commands.pendingTokens(), "only the replacement's token waits for its init");
    assertRefused(tokens.get(0));
  }

  @Test
  void closeLeavesNoPooledInitsTokenLive() throws Exception {
    assertNull(warm.take(NO_NAMESPACES));
    assertEquals(1, warm.pids().size());
    warm.close();
    // Before presenting it: an init that presents a token takes it out of the table either way.
    assertEquals(0, commands.pendingTokens(), "no token waits for an init");
    assertRefused(tokens.get(0));
  }

  /** Presents {@code token} as an init would: the helper must hang up, not keep the connection. */
  private void assertRefused(String token) throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(tmp.resolve("init.sock")));
      ch.write(
          ByteBuffer.wrap(
              InitLines.encode(new InitMessage("hello", token, null, null, null, null))));
      CompletableFuture<Integer> read =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return ch.read(ByteBuffer.allocate(1));
                } catch (IOException e) {
                  return -1;
                }
              });
      try {
        assertEquals(-1, read.get(10, TimeUnit.SECONDS), "the helper hung up");
      } catch (TimeoutException e) {
        throw new AssertionError(
            "token " + token + " is still live: the helper took the connection of a dead init", e);
      }
    }
  }
}
