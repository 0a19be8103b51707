package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.glasshouse.helper.plan.InitLines;
import org.glasshouse.helper.plan.InitMessage;
import org.glasshouse.protocol.JsonLines;

/**
 * The helper's end of the init channel: one Unix socket in the state dir (inside a 0700 directory),
 * on which every init stage connects back and presents its one-time token. Inherited fds are not
 * used for this on purpose: only 0 1 2 may ever reach a container.
 */
final class InitServer implements AutoCloseable {

  private final Path socket;
  private final ServerSocketChannel server;
  private final Map<String, CompletableFuture<Connection>> pending = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Thread acceptor;

  InitServer(Path socket) throws IOException {
    this.socket = socket;
    Files.deleteIfExists(socket);
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    this.acceptor = new Thread(this::acceptLoop, "glasshouse-init-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  Path socket() {
    return socket;
  }

  /** A new one-time token; the future completes when an init presents it. */
  String expect(CompletableFuture<Connection> connection) {
    byte[] b = new byte[24];
    random.nextBytes(b);
    String token = HexFormat.of().formatHex(b);
    pending.put(token, connection);
    return token;
  }

  /** Forgets a token (start finished or failed). */
  void forget(String token) {
    pending.remove(token);
  }

  /**
   * How many tokens wait for their init: none once every start and pooled init is done with. Only
   * tests ask ({@code WarmInitsTest}, through {@link InitCommands#pendingTokens}): on the socket a
   * forgotten token and one whose start gave up look the same (the init is hung up on), so the
   * table's size is where a token kept too long shows.
   */
  int pending() {
    return pending.size();
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel ch = server.accept();
        Thread t = new Thread(() -> greet(ch), "glasshouse-init-greeter");
        t.setDaemon(true);
        t.start();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
      }
    }
  }

  /** Reads the hello line; a wrong or reused token closes the connection. */
  private void greet(SocketChannel ch) {
    try {
      Connection c = new Connection(ch);
      InitMessage hello = c.receive();
      CompletableFuture<Connection> f =
          hello == null || hello.token() == null ? null : pending.remove(hello.token());
      if (f == null || !"hello".equals(hello.type())) {
        ch.close();
        return;
      }
      if (!f.complete(c)) {
        // The start or pool that waited for it gave up (cancelled): nobody will close it.
        c.close();
      }
    } catch (IOException e) {
      closeQuietly(ch);
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // Nothing to undo for a connection that never became an init's.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(socket);
  }

  /** One init's connection. */
  static final class Connection implements AutoCloseable {
    private final SocketChannel channel;
    private final JsonLines.LineReader in;

    Connection(SocketChannel channel) {
      this.channel = channel;
      this.in = new JsonLines.LineReader(channel);
    }

    /** The next message, or null at end of stream. */
    InitMessage receive() throws IOException {
      return InitLines.read(in);
    }

    synchronized void send(InitMessage m) throws IOException {
      write(InitLines.encode(m));
    }

    /**
     * The next line as text, for the native init's answers (which are not messages); null at end of
     * stream.
     *
     * @throws IOException on a line over the limit or not UTF-8
     */
    String receiveLine() throws IOException {
      JsonLines.Line line = in.next();
      if (line instanceof JsonLines.Line.Text t) {
        return t.text();
      }
      if (line instanceof JsonLines.Line.Eof) {
        return null;
      }
      throw new IOException("init channel: a line over the limit or not UTF-8");
    }

    /** Text as it is (the native init's op list and its sync words), newlines included. */
    synchronized void sendText(String text) throws IOException {
      write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private synchronized void write(byte[] bytes) throws IOException {
      ByteBuffer line = ByteBuffer.wrap(bytes);
      while (line.hasRemaining()) {
        channel.write(line);
      }
    }

    @Override
    public void close() {
      closeQuietly(channel);
    }
  }
}
