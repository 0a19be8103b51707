package org.glasshouse.app.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal protocol-v1 peer on a Unix socket for transport tests: answers hello, and run with a
 * step event before the reply, as the real helper does; subscribe with an id counted per
 * connection, inspect with {@link #inspectResult}; anything else gets {@code ok:true}. Lines put in
 * {@link #afterInspect} follow the inspect reply, the way events interleave with replies.
 */
final class ScriptedHelper implements AutoCloseable {
  private final ObjectMapper json = new ObjectMapper();
  private final Path path;
  private final ServerSocketChannel server;
  private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();
  final List<String> received = new CopyOnWriteArrayList<>();

  /** Every request, whole, in order. */
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();

  /** The result object of every inspect. */
  volatile String inspectResult = "{}";

  /**
   * Lines (events) sent right after an inspect reply. Sent from the connection's own thread: a
   * Channels stream holds the channel's lock while it blocks in a read, so another thread could not
   * write.
   */
  final List<String> afterInspect = new CopyOnWriteArrayList<>();

  /**
   * Whether a run gets its first step event and then the connection closes, with no reply: the
   * helper may have started it, and the client cannot know.
   */
  volatile boolean hangUpOnRun;

  ScriptedHelper(Path path) throws IOException {
    this.path = path;
    Files.deleteIfExists(path);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    Thread t = new Thread(this::acceptLoop, "scripted-helper");
    t.setDaemon(true);
    t.start();
  }

  private void acceptLoop() {
    try {
      while (true) {
        SocketChannel c = server.accept();
        clients.add(c);
        Thread t = new Thread(() -> serve(c), "scripted-helper-conn");
        t.setDaemon(true);
        t.start();
      }
    } catch (IOException closed) {
      // The test closed the server.
    }
  }

  private void serve(SocketChannel c) {
    try (c) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
      OutputStream out = Channels.newOutputStream(c);
      int subscriptions = 0;
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode req = json.readTree(line);
        String op = req.path("op").asText();
        received.add(op);
        requests.add(req);
        String id = req.get("id").toString();
        switch (op) {
          case "hello" ->
              send(
                  out,
                  "{\"id\":"
                      + id
                      + ",\"ok\":true,\"result\":{\"version\":1,"
                      + "\"server\":\"glasshouse-helper/test\",\"cgroup\":{\"mode\":\"hybrid\"}}}");
          case "run" -> {
            send(
                out,
                "{\"event\":\"step\",\"container\":\"abc\",\"entry\":{\"seq\":1,"
                    + "\"step\":\"uts-ns\",\"stage\":\"init\",\"call\":\"sethostname\","
                    + "\"args\":\"\\\"abc\\\"\",\"ok\":true,\"result\":\"0\",\"durationNanos\":5}}");
            if (hangUpOnRun) {
              return;
            }
            send(
                out,
                "{\"event\":\"output\",\"container\":\"abc\",\"stream\":\"pty\","
                    + "\"data\":\"YWJjDQo=\"}");
            send(
                out,
                "{\"id\":" + id + ",\"ok\":true,\"result\":{\"container\":\"abc\",\"pid\":77}}");
          }
          case "remove" ->
              send(
                  out,
                  "{\"id\":"
                      + id
                      + ",\"ok\":false,\"error\":{\"code\":\"not_found\","
                      + "\"message\":\"no container 'zzz'\"}}");
          case "subscribe" ->
              send(
                  out,
                  "{\"id\":"
                      + id
                      + ",\"ok\":true,\"result\":{\"subscription\":"
                      + ++subscriptions
                      + "}}");
          case "inspect" -> {
            send(out, "{\"id\":" + id + ",\"ok\":true,\"result\":" + inspectResult + "}");
            for (String event : afterInspect) {
              send(out, event);
            }
          }
          default -> send(out, "{\"id\":" + id + ",\"ok\":true,\"result\":{}}");
        }
      }
    } catch (IOException gone) {
      // The client or the test went away.
    }
  }

  private static void send(OutputStream out, String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (SocketChannel c : clients) {
      c.close();
    }
    Files.deleteIfExists(path);
  }
}
