package org.glasshouse.app.glasshouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glasshouse.app.RealHelper;
import org.glasshouse.testsupport.Transcript;
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

  /**
   * One scenario's connection and fixture file ({@link Transcript}): the header names the first
   * container's spec and the sampling interval, as {@code Recording} reads them.
   */
  private static Transcript scenario(String name, String description) throws Exception {
    return new Transcript(out, socket, name, description, Duration.ofSeconds(60));
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

  private static void remove(Transcript s, String id) throws Exception {
    s.call("remove", JSON.createObjectNode().put("container", id).put("force", true));
    s.await("the removal of " + id, n -> Transcript.isEvent(n, "removed", id));
  }

  /** One container, looked at while it sleeps, then removed. */
  private static void simple(
      String name, String description, int level, String script, ObjectNode extra)
      throws Exception {
    ObjectNode spec = spec(level, script, extra);
    try (Transcript s = scenario(name, description)) {
      s.subscribeInspection(250);
      String id = s.run(spec);
      s.pause(1500);
      s.inspect("host", false);
      s.inspect(id, true);
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
    try (Transcript s =
        scenario("level-06-exec", "level 06, then an exec of sleep 2 joins its walls")) {
      s.subscribeInspection(250);
      String id = s.run(spec);
      s.pause(1000);
      s.inspect("host", false);
      s.inspect(id, false);
      ObjectNode ex = JSON.createObjectNode().put("container", id).put("attach", true);
      ex.set("spec", JSON.createObjectNode().set("argv", JSON.valueToTree(List.of("sleep", "2"))));
      String exec = s.call("exec", ex).path("container").asText();
      s.pause(800);
      s.inspect(id, false);
      s.inspect(exec, false);
      s.await("the exit of " + exec, n -> Transcript.isEvent(n, "exited", exec));
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
    try (Transcript s =
        scenario("level-12-two", "two busy level-12 containers, shares 1024 and 512")) {
      sideBySide(s, specA, specB);
    }
  }

  /**
   * Two containers side by side: sampled every 250 ms, both run, after 2 s the host and both
   * inspected, 2 s more, both removed.
   */
  private static void sideBySide(Transcript s, ObjectNode specA, ObjectNode specB)
      throws Exception {
    s.subscribeInspection(250);
    String idA = s.run(specA);
    String idB = s.run(specB);
    s.pause(2000);
    s.inspect("host", false);
    s.inspect(idA, true);
    s.inspect(idB, true);
    s.pause(2000);
    remove(s, idA);
    remove(s, idB);
  }

  /**
   * Four level-12 containers started one after the other ({@code run -d} four times, as a class
   * trying the pids limit does): the houses that wrap into rows. Sleeping loops, not busy ones: the
   * picture is what is recorded, not contention.
   */
  @Test
  void fourLevelTwelveContainers() throws Exception {
    ObjectNode lim = JSON.createObjectNode();
    lim.set(
        "limits",
        JSON.createObjectNode()
            .put("memoryBytes", 64L << 20)
            .put("pidsMax", 32)
            .put("cpuShares", 1024));
    try (Transcript s =
        scenario("level-12-four", "four level-12 containers, run -d one after the other")) {
      s.subscribeInspection(250);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ids.add(s.run(spec(12, "while :; do sleep 1; done", lim.deepCopy())));
      }
      s.pause(2000);
      s.inspect("host", false);
      for (String id : ids) {
        s.inspect(id, true);
      }
      s.pause(2000);
      for (String id : ids) {
        remove(s, id);
      }
    }
  }

  /**
   * Level 08's contention pair as its Try it runs it ({@code Experiments}' 08-contention): two
   * containers, shares 1024 and 256, each with two busy loops.
   */
  @Test
  void levelEightContention() throws Exception {
    String twoBusy = "while :; do :; done & while :; do :; done";
    ObjectNode a = JSON.createObjectNode();
    a.set("limits", JSON.createObjectNode().put("cpuShares", 1024));
    ObjectNode b = JSON.createObjectNode();
    b.set("limits", JSON.createObjectNode().put("cpuShares", 256));
    try (Transcript s =
        scenario(
            "level-08-two", "level 08's contention pair: shares 1024 and 256, two loops each")) {
      sideBySide(s, spec(8, twoBusy, a), spec(8, twoBusy, b));
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
    try (Transcript s = scenario("level-09-oom", "a memory hog under 32 MiB, OOM-killed")) {
      s.subscribeInspection(200);
      String id = s.run(spec);
      s.pause(600);
      s.inspect(id, true);
      s.await("the OOM kill", n -> Transcript.isEvent(n, "exited", id));
      s.pause(500);
      remove(s, id);
    }
  }

  @Test
  void busyContainersAtTenHertz() throws Exception {
    // The benchmark's source: three containers at 100 ms, each with its own mix of activity (the
    // header names the first one's spec).
    try (Transcript s = scenario("bench-10hz", "three level-12 containers sampled at 100 ms")) {
      s.subscribeInspection(100);
      List<String> ids = new ArrayList<>();
      ids.add(s.run(spec(12, "while :; do sleep 0.3 & wait; done", null)));
      ids.add(
          s.run(
              spec(
                  12,
                  "x=$(head -c 1m /dev/zero | tr '\\0' x); y=$x; while :; do y=\"$y$x\"; [ ${#y} -gt 20000000 ] && y=$x; sleep 0.05; done",
                  null)));
      ids.add(s.run(spec(12, "while :; do :; done", null)));
      s.pause(1000);
      for (String id : ids) {
        s.inspect(id, true);
      }
      s.pause(6000);
      for (String id : ids) {
        remove(s, id);
      }
    }
  }
}
