package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an init stage is spawned with and how long it may take: a one-time token on the init socket
 * ({@link InitServer}), the command that presents it (the init JVM's, with the warm-up's class-data
 * archive once built, or the native executable's), and the timeout, raised by the slowest connect
 * seen so far.
 */
final class InitCommands implements AutoCloseable {

  private final RuntimeConfig config;
  private final InitServer initServer;
  private final InitLauncher initLauncher;
  private final InitLauncher nativeLauncher;

  /** The longest any init stage took from spawn to connect, in ns: the timeout learns from it. */
  private final AtomicLong slowestConnect = new AtomicLong();

  /** The init JVM's class-data archive options once the warm-up has built it; else none. */
  private volatile List<String> archiveOptions = List.of();

  InitCommands(
      RuntimeConfig config, Path socket, InitLauncher initLauncher, InitLauncher nativeLauncher)
      throws IOException {
    this.config = config;
    this.initServer = new InitServer(socket);
    this.initLauncher = initLauncher;
    this.nativeLauncher = nativeLauncher;
  }

  /** A new one-time token; {@code connecting} completes when an init presents it. */
  String expect(CompletableFuture<InitServer.Connection> connecting) {
    return initServer.expect(connecting);
  }

  /** Forgets a token (start finished or failed). */
  void forget(String token) {
    initServer.forget(token);
  }

  /** How many tokens wait for their init ({@link InitServer#pending}; only tests ask). */
  int pendingTokens() {
    return initServer.pending();
  }

  /** The native init's command: the executable, with only the channel's coordinates. */
  InitSpawner.Command nativeCommand(String token) {
    return nativeLauncher.command(config, initServer.socket(), token);
  }

  /** The init JVM's command. */
  InitSpawner.Command initCommand(String token) {
    // With --warm-up the init JVM also maps the class-data archive warmUp() built.
    RuntimeConfig c =
        archiveOptions.isEmpty() ? config : config.withExtraJvmOptions(archiveOptions);
    return initLauncher.command(c, initServer.socket(), token);
  }

  /** From now on init JVMs map the class-data archive these options name. */
  void archive(List<String> options) {
    archiveOptions = options;
  }

  /**
   * How long an init stage may take to connect and to get to execve, and why that long: the
   * configured or sized timeout, raised by the slowest connect seen so far ({@link
   * InitTimeout#atLeastFor}).
   */
  InitTimeout initTimeout() {
    return config.initTimeout().atLeastFor(Duration.ofNanos(slowestConnect.get()));
  }

  /** Counts {@code connecting}'s time from {@code spawnedAt} (System.nanoTime) once it connects. */
  void timeConnect(CompletableFuture<InitServer.Connection> connecting, long spawnedAt) {
    connecting.thenRun(
        () -> slowestConnect.accumulateAndGet(System.nanoTime() - spawnedAt, Math::max));
  }

  /** Closes the init socket. */
  @Override
  public void close() throws IOException {
    initServer.close();
  }
}
