package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.glasshouse.client.HelperClient;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Messages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stdin copy of an attached {@code run}/{@code exec} against a pipe that never reaches EOF (a
 * script's, the benchmark's): once the process exited, its thread must be out of {@code read(2)},
 * or the JVM's exit waits 300 ms for a thread in native code (issue 16). A fake helper on a socket
 * of the test's own answers every request and records it; no timing is measured.
 */
class AttachedSessionStdinTest {

  @TempDir Path dir;

  private ServerSocketChannel server;
  private SocketChannel peer;
  private final BlockingQueue<JsonNode> requests = new LinkedBlockingQueue<>();
  private RandomAccessFile writer;
  private FileChannel source;

  @BeforeEach
  void fakeHelperAndPipe() throws Exception {
    Path socket = dir.resolve("helper.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread t = new Thread(this::serve, "fake-helper");
    t.setDaemon(true);
    t.start();
    // A FIFO opened read-write by the test: the reader never sees EOF until the test closes it,
    // like a pipe whose writer stays (ProcessBuilder's default stdin) or a terminal.
    Path fifo = dir.resolve("stdin");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor());
    writer = new RandomAccessFile(fifo.toFile(), "rw");
    source = FileChannel.open(fifo, StandardOpenOption.READ);
  }

  @AfterEach
  void close() throws IOException {
    writer.close();
    source.close();
    if (peer != null) {
      peer.close();
    }
    server.close();
  }

  /** Answers every request with an empty result and queues it. */
  private void serve() {
    try {
      peer = server.accept();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(peer), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode request = Json.MAPPER.readTree(line);
        requests.add(request);
        send("{\"id\":" + request.get("id") + ",\"ok\":true,\"result\":{}}");
      }
    } catch (IOException e) {
      // The test closed the socket.
    }
  }

  private synchronized void send(String line) throws IOException {
    ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      peer.write(b);
    }
  }

  private JsonNode next(String op) throws InterruptedException {
    while (true) {
      JsonNode r = requests.poll(60, TimeUnit.SECONDS);
      assertNotNull(r, "no " + op + " request reached the fake helper");
      if (op.equals(r.path("op").asText())) {
        return r;
      }
    }
  }

  @Test
  void theExitStopsTheStdinReadOfAPipeThatStaysOpen() throws Exception {
    AttachedSession session = new AttachedSession("run");
    try (HelperClient client = HelperClient.connect(dir.resolve("helper.sock"), "test", session)) {
      Thread reader = session.forwardStdin(client, "c1", false, source);
      writer.write("hi\n".getBytes(StandardCharsets.UTF_8));
      JsonNode stdin = next("stdin");
      assertEquals("c1", stdin.path("container").asText());
      assertEquals("hi\n", new String(Messages.decode(stdin.path("data").asText())));

      // The container exits; the pipe stays open and the reader is back in read(2).
      send("{\"event\":\"exited\",\"container\":\"c1\",\"code\":3}");
      assertEquals(3, session.awaitExit(null));

      reader.join(TimeUnit.SECONDS.toMillis(60));
      assertFalse(
          reader.isAlive(),
          "the stdin thread still blocks in read(2) after the exit: the JVM's exit waits for it");
      assertFalse(source.isOpen());
    }
  }

  @Test
  void endOfInputStillClosesTheProcessStdin() throws Exception {
    AttachedSession session = new AttachedSession("run");
    try (HelperClient client = HelperClient.connect(dir.resolve("helper.sock"), "test", session)) {
      Thread reader = session.forwardStdin(client, "c1", false, source);
      writer.write("last".getBytes(StandardCharsets.UTF_8));
      writer.close();
      assertEquals("last", new String(Messages.decode(next("stdin").path("data").asText())));
      JsonNode eof = next("stdin");
      assertTrue(eof.path("eof").asBoolean(), eof.toString());
      reader.join(TimeUnit.SECONDS.toMillis(60));
      assertFalse(reader.isAlive());
    }
  }
}
