package org.glasshouse.helper.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.linux.JnaSyscalls;

/**
 * The fake-init fixture of the conversation tests without root ({@code InitConversationTest}: the
 * JVM init's messages, {@code NativeInitSessionTest}: the native init's answer lines): the real
 * init socket ({@link InitServer}) in a directory, the token of the one conversation it expects, a
 * harmless {@code sleep} as the init process the session watches, and the init's end of the channel
 * as lines. Each test speaks its own init's language over {@link End}.
 */
final class FakeInitChannel implements AutoCloseable {
  final InitServer server;
  final InitProcess init;
  final CompletableFuture<InitServer.Connection> connecting = new CompletableFuture<>();
  final String token;

  FakeInitChannel(Path dir) throws Exception {
    server = new InitServer(dir.resolve("init.sock"));
    token = server.expect(connecting);
    init =
        InitProcess.spawn(new JnaSyscalls(), List.of("/bin/sleep", "60"), Map.of(), "/")
            .startReaper();
  }

  @Override
  public void close() throws Exception {
    init.destroyForcibly();
    init.onExit().get(30, TimeUnit.SECONDS);
    init.closeAll();
    server.close();
  }

  /** The init's end of a channel: connected to the socket, lines in and out. */
  static class End implements AutoCloseable {
    final SocketChannel ch;
    final BufferedReader in;
    final OutputStream out;

    End(Path socket) throws IOException {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(socket));
      in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
      out = Channels.newOutputStream(ch);
    }

    /** Writes {@code line} and its newline, flushed. */
    void say(String line) throws IOException {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  /** What the init does, on its own thread. */
  @FunctionalInterface
  interface Play {
    void run() throws Exception;
  }

  /**
   * Runs {@code session} while {@code play} runs on a thread of its own; the play's own failure is
   * thrown once the session has returned or failed (the play gets 60 s to end).
   */
  static <T> T whilePlaying(Play play, Callable<T> session) throws Exception {
    CompletableFuture<Void> played =
        CompletableFuture.runAsync(
            () -> {
              try {
                play.run();
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            });
    try {
      return session.call();
    } finally {
      played.get(60, TimeUnit.SECONDS);
    }
  }
}
