package org.glasshouse.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transcript against a scripted helper on a socket in a temp dir: what it writes is the header
 * line, then every line sent and received in order, the received ones as they came.
 */
class TranscriptTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private ServerSocketChannel server;
  private CompletableFuture<Void> helper;

  @BeforeEach
  void listen() throws Exception {
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(dir.resolve("h.sock")));
    helper = CompletableFuture.runAsync(this::serve);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    helper.get(30, TimeUnit.SECONDS);
  }

  /** A helper that answers hello, run, remove; a run's container exits at once. */
  private void serve() {
    try (SocketChannel c = server.accept();
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode req = JSON.readTree(line);
        String id = req.path("id").asText();
        switch (req.path("op").asText()) {
          case "hello" ->
              send(
                  c,
                  "{\"id\":"
                      + id
                      + ",\"ok\":true,\"result\":{\"server\":\"fake 1\",\"cgroup\":{\"mode\":\"v2\"}}}");
          case "run" -> {
            send(c, "{\"id\":" + id + ",\"ok\":true,\"result\":{\"container\":\"c1\"}}");
            send(c, "{\"event\":\"exited\",\"container\":\"c1\",\"exitCode\":0}");
          }
          case "remove" -> {
            send(c, "{\"id\":" + id + ",\"ok\":true,\"result\":{}}");
            send(c, "{\"event\":\"removed\",\"container\":\"c1\"}");
          }
          default ->
              send(c, "{\"id\":" + id + ",\"ok\":false,\"error\":{\"code\":\"unknown_op\"}}");
        }
      }
    } catch (java.io.IOException e) {
      // The transcript closed the connection, or the test closed the server.
    }
  }

  private static void send(SocketChannel c, String line) throws java.io.IOException {
    ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  @Test
  void theFileHoldsTheHeaderThenEveryLineInOrder() throws Exception {
    try (Transcript t =
        new Transcript(dir, dir.resolve("h.sock"), "demo", "a demo", Duration.ofSeconds(30))) {
      assertEquals("v2", t.cgroupMode());
      var spec = Transcript.object().put("image", "busybox").put("level", 0);
      spec.set("argv", Transcript.tree(List.of("true")));
      assertEquals("c1", t.run(spec));
      t.finish("c1");
    }
    List<String> lines = Files.readAllLines(dir.resolve("demo.jsonl"));
    JsonNode header = JSON.readTree(lines.get(0)).path("recording");
    assertEquals("demo", header.path("scenario").asText());
    assertEquals("fake 1", header.path("helper").asText());
    assertEquals("busybox", header.path("spec").path("image").asText());
    assertEquals(
        List.of("hello", "reply", "run", "reply", "exited", "remove", "reply", "removed"),
        lines.subList(1, lines.size()).stream().map(TranscriptTest::kind).toList());
    assertEquals(
        "{\"event\":\"exited\",\"container\":\"c1\",\"exitCode\":0}",
        lines.get(5),
        "a received line exactly as it came");
  }

  @Test
  void aRefusedRequestFailsTheRecording() throws Exception {
    try (Transcript t =
        new Transcript(dir, dir.resolve("h.sock"), "refused", "x", Duration.ofSeconds(30))) {
      AssertionError e =
          assertThrows(AssertionError.class, () -> t.call("bogus", Transcript.object()));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "bogus failed: {\"id\":2,\"ok\":false,\"error\":{\"code\":\"unknown_op\"}}"),
          e.getMessage());
      t.call("hello", Transcript.object().put("version", 1));
    }
    assertEquals(
        7,
        Files.readAllLines(dir.resolve("refused.jsonl")).size(),
        "header, hello and its reply, the refused request and its reply, a request after it");
  }

  private static String kind(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      return n.has("op") ? n.path("op").asText() : n.has("ok") ? "reply" : n.path("event").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
