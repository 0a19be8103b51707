package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.JsonLines;

/** A real helper server on a temporary socket, for tests; removes everything it made on close. */
final class TestHelper implements AutoCloseable {
  final Path dir;
  final HelperServer server;
  final List<String> log = new CopyOnWriteArrayList<>();
  private final List<Watch> watches = new CopyOnWriteArrayList<>();

  private record Watch(Predicate<String> match, CountDownLatch latch) {}

  /** Makes the runtime from a state dir inside the test's temporary directory. */
  interface RuntimeFactory {
    ContainerRuntime create(Path stateDir) throws Exception;
  }

  TestHelper(RuntimeFactory factory, long outboxBytes) throws Exception {
    this(factory, outboxBytes, ServerConfig.DEFAULT_MAX_CONNECTIONS);
  }

  TestHelper(RuntimeFactory factory, long outboxBytes, int maxConnections) throws Exception {
    this(factory, outboxBytes, maxConnections, c -> c);
  }

  /** With a config adjusted by {@code tune} (shorter timeouts). */
  TestHelper(
      RuntimeFactory factory,
      long outboxBytes,
      int maxConnections,
      java.util.function.UnaryOperator<ServerConfig> tune)
      throws Exception {
    dir = Files.createTempDirectory("glasshouse-test-");
    ContainerRuntime runtime;
    try {
      runtime = factory.create(dir.resolve("state"));
    } catch (Exception | Error e) {
      SafeDelete.deleteTree(dir);
      throw e;
    }
    int gid = (Integer) Files.getAttribute(dir, "unix:gid");
    ServerConfig config =
        tune.apply(
            new ServerConfig(
                dir.resolve("run").resolve("helper.sock"), gid, null, outboxBytes, maxConnections));
    server =
        new HelperServer(
            config,
            runtime,
            new ImageCatalog(dir.resolve("images")),
            new UserDb(),
            line -> {
              log.add(line);
              for (Watch w : watches) {
                if (w.match.test(line)) {
                  w.latch.countDown();
                }
              }
            });
    server.start();
  }

  TestHelper() throws Exception {
    this(state -> new ProcessRuntime(), ServerConfig.DEFAULT_OUTBOX_BYTES);
  }

  Path socket() {
    return server.socket();
  }

  /** A latch that opens when a log line matches (or already has). */
  CountDownLatch logWatch(Predicate<String> match) {
    CountDownLatch l = new CountDownLatch(1);
    watches.add(new Watch(match, l));
    if (log.stream().anyMatch(match)) {
      l.countDown();
    }
    return l;
  }

  void awaitLog(Predicate<String> match, String what) throws InterruptedException {
    assertTrue(logWatch(match).await(30, TimeUnit.SECONDS), "no log line " + what + ": " + log);
  }

  @Override
  public void close() throws IOException {
    server.close();
    // Never a plain recursive delete: it would descend into a mount a failed test left behind.
    SafeDelete.deleteTree(dir);
  }

  /** A raw line-level client, for what HelperClient would never send. */
  static final class Raw implements AutoCloseable {
    final SocketChannel ch;
    final JsonLines.LineReader reader;

    Raw(Path socket) throws IOException {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(socket));
      reader = new JsonLines.LineReader(ch);
    }

    void sendRaw(byte[] bytes) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }

    void send(String line) throws IOException {
      sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The next line as JSON, or null at end of stream. */
    JsonNode next() throws IOException {
      JsonLines.Line l = reader.next();
      if (l instanceof JsonLines.Line.Text t) {
        return Json.MAPPER.readTree(t.text());
      }
      return null;
    }

    /** The next reply (skipping events). */
    JsonNode reply() throws IOException {
      JsonNode n;
      while ((n = next()) != null && n.has("event")) {
        // skip events
      }
      return n;
    }

    JsonNode hello() throws IOException {
      send("{\"id\":0,\"op\":\"hello\",\"version\":1,\"client\":\"test\"}");
      return reply();
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  static ObjectNode spec(String... argv) {
    ObjectNode s = Json.object();
    s.set("argv", Json.tree(List.of(argv)));
    return s;
  }
}
