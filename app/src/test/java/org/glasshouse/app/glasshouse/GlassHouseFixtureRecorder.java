package org.glasshouse.app.glasshouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.glasshouse.app.RealHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Records the glass house's fixtures ({@code glasshouse/fixtures/*.jsonl}) from a REAL helper: one
 * connection per scenario, every line sent and received written in order, in the format {@code
 * Recording} reads (a header line, requests with {@code op}, replies with {@code ok}, events).
 * Recorded with the inspection this branch adds (accounts, the upper dir's {@code inLower}). Not
 * part of the suite (its name is not a test's); run it on purpose, as root, with the busybox image:
 *
 * <pre>
 * ./mvnw -B -pl runtime-helper,app -am verify -Dtest=GlassHouseFixtureRecorder \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true
 * </pre>
 */
@Tag("root")
class GlassHouseFixtureRecorder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> ENV = Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin");
  private static RealHelper helper;
  private static Path socket;
  private static Path out;

  @BeforeAll
  static void startHelper() throws Exception {
    helper = RealHelper.start("GlassHouseFixtureRecorder");
    socket = helper.socket();
    out =
        Path.of(
            System.getProperty(
                "glasshouse.fixtures",
                "src/test/resources/org/glasshouse/app/glasshouse/fixtures"));
    Files.createDirectories(out);
    helper.awaitSocket(Duration.ofSeconds(20));
  }

  @AfterAll
  static void stopHelper() throws Exception {
    if (helper != null) {
      helper.close();
    }
  }

  /** One connection writing everything it sends and receives to a fixture file. */
  private static final class Session implements AutoCloseable {
    private final SocketChannel ch;
    private final Writer file;
    private final Writer sock;
    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final List<JsonNode> seen = new ArrayList<>();
    private int id;

    Session(String name, ObjectNode header) throws Exception {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(socket));
      file = Files.newBufferedWriter(out.resolve(name + ".jsonl"), StandardCharsets.UTF_8);
      sock = Channels.newWriter(ch, StandardCharsets.UTF_8);
      ObjectNode h = JSON.createObjectNode();
      header.put("recordedAt", Instant.now().toString());
      header.put("kernel", System.getProperty("os.version"));
      h.set("recording", header);
      line(h);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
      reader =
          new Thread(
              () -> {
                try {
                  String l;
                  while ((l = in.readLine()) != null) {
                    JsonNode n = JSON.readTree(l);
                    synchronized (this) {
                      line(n);
                    }
                    inbox.add(n);
                  }
                } catch (IOException e) {
                  // The connection closed: the recording ends.
                }
              },
              "recorder-reader");
      reader.setDaemon(true);
      reader.start();
      call(
          "hello", JSON.createObjectNode().put("version", 1).put("client", "glass-house-recorder"));
    }

    private void line(JsonNode n) throws IOException {
      file.write(JSON.writeValueAsString(n));
      file.write('\n');
    }

    JsonNode call(String op, ObjectNode body) throws Exception {
      ObjectNode req = JSON.createObjectNode().put("id", ++id).put("op", op);
      req.setAll(body);
      synchronized (this) {
        line(req);
      }
      sock.write(JSON.writeValueAsString(req) + "\n");
      sock.flush();
      int want = id;
      while (true) {
        JsonNode n = next(60);
        if (n.has("ok") && n.path("id").asInt() == want) {
          if (!n.path("ok").asBoolean()) {
            throw new IllegalStateException(op + " failed: " + n);
          }
          return n.get("result");
        }
      }
    }

    JsonNode next(int seconds) throws InterruptedException {
      JsonNode n = inbox.poll(seconds, TimeUnit.SECONDS);
      if (n == null) {
        throw new IllegalStateException("nothing from the helper for " + seconds + " s");
      }
      seen.add(n);
      return n;
    }

    /** Waits until an event matching {@code p} arrived (or was seen already). */
    JsonNode await(Predicate<JsonNode> p, int seconds) throws InterruptedException {
      for (JsonNode n : seen) {
        if (p.test(n)) {
          return n;
        }
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end) {
        JsonNode n = inbox.poll(200, TimeUnit.MILLISECONDS);
        if (n != null) {
          seen.add(n);
          if (p.test(n)) {
            return n;
          }
        }
      }
      throw new IllegalStateException("timed out waiting for an event");
    }

    /** Lets events flow for {@code ms}, recorded. */
    void pause(long ms) throws InterruptedException {
      long end = System.currentTimeMillis() + ms;
      while (System.currentTimeMillis() < end) {
        JsonNode n = inbox.poll(50, TimeUnit.MILLISECONDS);
        if (n != null) {
          seen.add(n);
        }
      }
    }

    @Override
    public void close() throws IOException {
      ch.close();
      try {
        reader.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        file.close();
      }
    }
  }

  private static ObjectNode spec(int level, String script, ObjectNode extra) {
    ObjectNode s = JSON.createObjectNode().put("image", "busybox").put("level", level);
    s.set("argv", JSON.valueToTree(List.of("/bin/sh", "-c", script)));
    s.set("env", JSON.valueToTree(ENV));
    if (extra != null) {
      s.setAll(extra);
    }
    return s;
  }

  private static ObjectNode header(
      String scenario, String description, int interval, ObjectNode spec) {
    ObjectNode h =
        JSON.createObjectNode().put("scenario", scenario).put("description", description);
    h.put("intervalMs", interval);
    h.set("spec", spec);
    return h;
  }

  private static String run(Session s, ObjectNode spec) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("attach", true);
    body.set("spec", spec);
    return s.call("run", body).path("container").asText();
  }

  private static void subscribe(Session s, int interval) throws Exception {
    ObjectNode sub = JSON.createObjectNode().put("intervalMs", interval);
    sub.set("topics", JSON.valueToTree(List.of("telemetry", "mounts", "namespaces")));
    s.call("subscribe", sub);
  }

  private static void inspect(Session s, String id, boolean upper) throws Exception {
    s.call("inspect", JSON.createObjectNode().put("container", id).put("upper", upper));
  }

  private static void remove(Session s, String id) throws Exception {
    s.call("remove", JSON.createObjectNode().put("container", id).put("force", true));
    s.await(
        n -> "removed".equals(n.path("event").asText()) && id.equals(n.path("container").asText()),
        30);
  }

  /** One container, looked at while it sleeps, then removed. */
  private static void simple(
      String name, String description, int level, String script, ObjectNode extra)
      throws Exception {
    ObjectNode spec = spec(level, script, extra);
    try (Session s = new Session(name, header(name, description, 250, spec))) {
      subscribe(s, 250);
      String id = run(s, spec);
      s.pause(1500);
      inspect(s, "host", false);
      inspect(s, id, true);
      s.pause(1500);
      remove(s, id);
    }
  }

  @Test
  void levels() throws Exception {
    simple(
        "level-00", "level 00: a process of the host, no walls", 0, "echo hi; exec sleep 30", null);
    simple("level-01", "level 01: chroot into the image, mounts leak", 1, "exec sleep 30", null);
    simple("level-03", "level 03: pivot_root, the old root detached", 3, "exec sleep 30", null);
    simple(
        "level-04",
        "level 04: overlay; a new file, a changed file, a deleted file",
        4,
        "echo x > /new; echo '# changed' >> /etc/passwd; rm /bin/ls; exec sleep 30",
        null);
    simple(
        "level-05",
        "level 05: UTS and IPC walls, hostname = id",
        5,
        "hostname; exec sleep 30",
        null);
    simple("level-07", "level 07: a network wall, only lo", 7, "exec sleep 30", null);
    ObjectNode user = JSON.createObjectNode().put("user", "1000:1000");
    ObjectNode limits =
        JSON.createObjectNode().put("memoryBytes", 64L << 20).put("pidsMax", 32).put("cpus", 0.5);
    user.set("limits", limits);
    simple(
        "level-12",
        "level 12: every wall but user and time, limits, uid 1000",
        12,
        "sleep 30 & exec sleep 30",
        user);
  }

  @Test
  void execJoinsTheWalls() throws Exception {
    ObjectNode spec = spec(6, "exec sleep 30", null);
    try (Session s =
        new Session(
            "level-06-exec",
            header(
                "level-06-exec", "level 06, then an exec of sleep 2 joins its walls", 250, spec))) {
      subscribe(s, 250);
      String id = run(s, spec);
      s.pause(1000);
      inspect(s, "host", false);
      inspect(s, id, false);
      ObjectNode ex = JSON.createObjectNode().put("container", id).put("attach", true);
      ex.set("spec", JSON.createObjectNode().set("argv", JSON.valueToTree(List.of("sleep", "2"))));
      String exec = s.call("exec", ex).path("container").asText();
      s.pause(800);
      inspect(s, id, false);
      inspect(s, exec, false);
      s.await(
          n ->
              "exited".equals(n.path("event").asText())
                  && exec.equals(n.path("container").asText()),
          20);
      s.pause(1000);
      remove(s, id);
    }
  }

  @Test
  void twoContainersSideBySide() throws Exception {
    ObjectNode a = JSON.createObjectNode().put("user", "1000:1000");
    a.set(
        "limits",
        JSON.createObjectNode()
            .put("memoryBytes", 64L << 20)
            .put("pidsMax", 32)
            .put("cpuShares", 1024));
    ObjectNode b = JSON.createObjectNode();
    b.set(
        "limits",
        JSON.createObjectNode()
            .put("memoryBytes", 32L << 20)
            .put("pidsMax", 16)
            .put("cpuShares", 512));
    ObjectNode specA = spec(12, "while :; do :; done", a);
    ObjectNode specB = spec(12, "while :; do :; done", b);
    try (Session s =
        new Session(
            "level-12-two",
            header(
                "level-12-two", "two busy level-12 containers, shares 1024 and 512", 250, specA))) {
      subscribe(s, 250);
      String idA = run(s, specA);
      String idB = run(s, specB);
      s.pause(2000);
      inspect(s, "host", false);
      inspect(s, idA, true);
      inspect(s, idB, true);
      s.pause(2000);
      remove(s, idA);
      remove(s, idB);
    }
  }

  @Test
  void memoryHogIsOomKilled() throws Exception {
    ObjectNode lim = JSON.createObjectNode();
    lim.set(
        "limits",
        JSON.createObjectNode().put("memoryBytes", 32L << 20).put("memorySwapBytes", 32L << 20));
    ObjectNode spec =
        spec(
            9,
            "x=$(head -c 1m /dev/zero | tr '\\0' x); y=$x; while :; do y=\"$y$x\"; sleep 0.1; done",
            lim);
    try (Session s =
        new Session(
            "level-09-oom",
            header("level-09-oom", "a memory hog under 32 MiB, OOM-killed", 200, spec))) {
      subscribe(s, 200);
      String id = run(s, spec);
      s.pause(600);
      inspect(s, id, true);
      s.await(
          n -> "exited".equals(n.path("event").asText()) && id.equals(n.path("container").asText()),
          60);
      s.pause(500);
      remove(s, id);
    }
  }

  @Test
  void busyContainersAtTenHertz() throws Exception {
    // The benchmark's source: three containers at 100 ms, each with its own mix of activity.
    ObjectNode spec =
        spec(12, "i=0; while :; do i=$((i+1)); [ $((i % 2000)) = 0 ] && sleep 1 & :; done", null);
    try (Session s =
        new Session(
            "bench-10hz",
            header("bench-10hz", "three level-12 containers sampled at 100 ms", 100, spec))) {
      subscribe(s, 100);
      List<String> ids = new ArrayList<>();
      ids.add(run(s, spec(12, "while :; do sleep 0.3 & wait; done", null)));
      ids.add(
          run(
              s,
              spec(
                  12,
                  "x=$(head -c 1m /dev/zero | tr '\\0' x); y=$x; while :; do y=\"$y$x\"; [ ${#y} -gt 20000000 ] && y=$x; sleep 0.05; done",
                  null)));
      ids.add(run(s, spec(12, "while :; do :; done", null)));
      s.pause(1000);
      for (String id : ids) {
        inspect(s, id, true);
      }
      s.pause(6000);
      for (String id : ids) {
        remove(s, id);
      }
    }
  }
}
