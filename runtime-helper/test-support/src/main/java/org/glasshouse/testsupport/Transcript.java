package org.glasshouse.testsupport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A recorded conversation with a real helper, for the app's replay fixtures: one connection and its
 * file, every line sent and received in order (the received ones exactly as they came), a header
 * line first (the app's {@code Recording} reads it). The fixture recorders of both sides use it —
 * the app's {@code FixtureRecorder} on this host, runtime-helper's {@code V2ChartsRecorder} in the
 * cgroup v2 guest — so a fixture has one shape whichever recorded it.
 *
 * <p>Test code: it speaks the protocol with plain Jackson and reads lines without the protocol's
 * bound (glasshouse-protocol's own tests depend on this module, so it cannot depend on that one).
 */
public final class Transcript implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final SocketChannel channel;
  private final Duration patience;
  private final List<String> lines = new ArrayList<>();
  private final List<JsonNode> received = new ArrayList<>();
  private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Thread reader;
  private final ObjectNode header = JSON.createObjectNode();
  private int nextId = 1;

  /**
   * Connects to the helper on {@code socket} and says hello; the transcript goes to {@code
   * dir/name.jsonl} at {@link #close}.
   *
   * @param patience how long a reply or an awaited event may take (a loaded machine, an emulated
   *     guest)
   */
  public Transcript(Path dir, Path socket, String name, String description, Duration patience)
      throws Exception {
    this.file = dir.resolve(name + ".jsonl");
    this.patience = patience;
    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    reader = new Thread(this::read, "transcript-" + name);
    reader.setDaemon(true);
    reader.start();
    header
        .put("scenario", name)
        .put("description", description)
        .put("recordedAt", Instant.now().toString())
        .put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
    JsonNode hello = call("hello", object().put("version", 1).put("client", "fixture-recorder"));
    header.put("helper", hello.path("server").asText());
    header.put("cgroup", hello.path("cgroup").path("mode").asText());
  }

  /** A new JSON object. */
  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** {@code value} as JSON (a map, a list, a string). */
  public static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  /** Whether {@code n} is the event {@code type} of {@code container}. */
  public static boolean isEvent(JsonNode n, String type, String container) {
    return type.equals(n.path("event").asText()) && container.equals(n.path("container").asText());
  }

  /** The helper's cgroup mode, as its hello said: {@code v1}, {@code hybrid} or {@code v2}. */
  public String cgroupMode() {
    return header.path("cgroup").asText();
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
      String text;
      while ((text = in.readLine()) != null) {
        JsonNode n = JSON.readTree(text);
        synchronized (lines) {
          lines.add(text);
          received.add(n);
          lines.notifyAll();
        }
        if (n.has("ok")) {
          CompletableFuture<JsonNode> f = pending.remove(n.path("id").asText());
          if (f != null) {
            f.complete(n);
          }
        }
      }
    } catch (IOException e) {
      // The connection closed at the end of the scenario.
    }
  }

  /** Sends a request and waits for its reply's result; a failed reply fails the recording. */
  public JsonNode call(String op, ObjectNode fields) throws Exception {
    ObjectNode req = object().put("id", nextId++).put("op", op);
    req.setAll(fields);
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(req.get("id").asText(), f);
    String text = JSON.writeValueAsString(req);
    synchronized (lines) {
      lines.add(text);
    }
    // Straight to the channel, not through a stream of it: the reader thread blocks in a read
    // that holds the channel's blocking lock, which a stream's write would wait for.
    ByteBuffer b = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
    synchronized (channel) {
      while (b.hasRemaining()) {
        channel.write(b);
      }
    }
    JsonNode reply = f.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    assertTrue(reply.path("ok").asBoolean(), op + " failed: " + reply);
    return reply.path("result");
  }

  /** Subscribes to the inspection topics the app shows, every {@code intervalMs}. */
  public void subscribeInspection(int intervalMs) throws Exception {
    header.put("intervalMs", intervalMs);
    ObjectNode f = object().put("intervalMs", intervalMs);
    f.set("topics", tree(List.of("telemetry", "mounts", "namespaces")));
    call("subscribe", f);
  }

  /** Runs a container attached; the header names the first one's spec. */
  public String run(ObjectNode spec) throws Exception {
    if (!header.has("spec")) {
      header.set("spec", spec);
    }
    ObjectNode f = object().put("attach", true);
    f.set("spec", spec);
    return call("run", f).path("container").asText();
  }

  /** Inspects {@code target} (a container or {@code host}), its upper dir too when asked. */
  public void inspect(String target, boolean upper) throws Exception {
    ObjectNode f = object().put("container", target);
    if (upper) {
      f.put("upper", true);
    }
    call("inspect", f);
  }

  /** The mount table of {@code target}, diffed with the host's when asked. */
  public void mounts(String target, boolean diffWithHost) throws Exception {
    ObjectNode f = object().put("container", target);
    if (diffWithHost) {
      f.put("diff", "host");
    }
    call("mounts", f);
  }

  /** Waits until an event that {@code event} matches has arrived; fails after the patience. */
  public void await(String what, Predicate<JsonNode> event) throws Exception {
    long until = System.nanoTime() + patience.toNanos();
    synchronized (lines) {
      while (received.stream().noneMatch(event)) {
        long left = until - System.nanoTime();
        assertTrue(left > 0, "no " + what + " within " + patience);
        // Events arrive on the reader thread, which notifies.
        TimeUnit.NANOSECONDS.timedWait(lines, left);
      }
    }
  }

  /** Lets the helper's samplers run (what they send is the recording's point). */
  public void pause(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }

  /**
   * Lets the samplers run a second more, then removes the still running container (the helper kills
   * it: {@code exited} by signal 9, then {@code removed}).
   */
  public void stop(String id) throws Exception {
    pause(1000);
    call("remove", object().put("container", id).put("force", true));
    await("the removal of " + id, e -> isEvent(e, "removed", id));
  }

  /** Waits for the container to exit by itself, removes it and waits for the removal. */
  public void finish(String id) throws Exception {
    await("the exit of " + id, e -> isEvent(e, "exited", id));
    call("remove", object().put("container", id).put("force", true));
    await("the removal of " + id, e -> isEvent(e, "removed", id));
  }

  /** Ends the connection and writes the file: the header line, then every line in order. */
  @Override
  public void close() throws IOException {
    channel.close();
    try {
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> all = new ArrayList<>();
    ObjectNode h = object();
    h.set("recording", header);
    all.add(JSON.writeValueAsString(h));
    synchronized (lines) {
      all.addAll(lines);
    }
    assertFalse(all.size() < 4, "nothing recorded for " + file);
    Files.write(file, all, StandardCharsets.UTF_8);
    System.out.println("Transcript: wrote " + file + " (" + Files.size(file) + " bytes)");
  }
}
