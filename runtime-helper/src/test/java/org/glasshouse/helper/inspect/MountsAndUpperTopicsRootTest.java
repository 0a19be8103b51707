package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.LinuxContainerRuntime;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The host's {@code mounts} events, the mounts' {@code step}, and the {@code upper} topic, through
 * the real server and client against real containers: the level-01 leak appears in the host's table
 * traced to the container's mount steps and goes with the container; a level-04 container's writes,
 * deletions and a copy-up of the image's big file arrive as upper-dir changes.
 */
@Tag("root")
class MountsAndUpperTopicsRootTest {

  private RealRuntime real;
  private LinuxContainerRuntime runtime;
  private InspectingHelper helper;

  @BeforeEach
  void setUp() throws Exception {
    real = RealRuntime.start("mounts and upper topics tests");
    runtime = real.runtime;
    helper = InspectingHelper.start(real.dir, runtime);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (helper != null) {
      helper.close();
    }
    if (real != null) {
      real.close();
    }
  }

  private Container start(int level, String script) throws Exception {
    return real.start(level, script);
  }

  @Test
  void theLevel01LeakIsInTheHostsEventsWithItsStepsAndGoesWithTheContainer() throws Exception {
    Container c = start(1, "exec sleep 60");
    InspectingHelper.EventQueues q = new InspectingHelper.EventQueues();
    BlockingQueue<Incoming.Event> mounts = q.of("mounts");
    InspectingHelper.EventQueues all = new InspectingHelper.EventQueues();
    try (HelperClient client = HelperClient.connect(helper.socket(), "test", q);
        HelperClient everyContainer = HelperClient.connect(helper.socket(), "test", all)) {
      var any = Json.object();
      any.putArray("topics").add("mounts");
      any.put("intervalMs", 100);
      everyContainer.call(Op.SUBSCRIBE, any);
      var sub = Json.object();
      sub.putArray("containers").add("host");
      sub.putArray("topics").add("mounts");
      sub.put("intervalMs", 100);
      client.call(Op.SUBSCRIBE, sub);

      JsonNode first = until(mounts, e -> e.get("container").asText().equals("host"));
      assertEquals("none", first.at("/diff/against").asText());
      Map<String, JsonNode> leaked = new HashMap<>();
      for (JsonNode m : first.at("/diff/added")) {
        if (c.id().equals(m.path("leakedFrom").asText(null))) {
          leaked.put(m.get("mountPoint").asText(), m);
        }
      }
      String root = c.rootDir().orElseThrow().toString();
      assertEquals(
          java.util.Set.of(root + "/proc", root + "/sys", root + "/dev"),
          leaked.keySet(),
          "the container's proc, sys and dev leak into the host's table");
      Map<Integer, StepEntry> steps = new HashMap<>();
      c.steps().forEach(s -> steps.put(s.seq(), s));
      for (JsonNode m : leaked.values()) {
        StepEntry s = steps.get(m.path("step").asInt(-1));
        assertNotNull(s, "a leaked mount names the step that made it: " + m);
        assertEquals("mount", s.call());
        assertTrue(s.args().contains(m.get("mountPoint").asText()), s.args());
      }
      // The host's own mounts carry no step.
      for (JsonNode m : first.at("/diff/added")) {
        if (!m.has("leakedFrom")) {
          assertFalse(m.has("step"), "a host mount with a step: " + m);
        }
      }

      // The same through the mounts op.
      JsonNode op = client.call(Op.MOUNTS, Json.object().put("container", "host"));
      int opSteps = 0;
      for (JsonNode m : op.get("entries")) {
        opSteps += m.has("step") ? 1 : 0;
      }
      assertEquals(3, opSteps, "mounts host traces the three leaked mounts: " + op);

      runtime.remove(c.id(), true);
      JsonNode gone =
          until(
              mounts,
              e ->
                  e.get("container").asText().equals("host")
                      && e.at("/diff/removed").findValues("mountPoint").stream()
                          .anyMatch(p -> p.asText().equals(root + "/proc")));
      assertEquals("previous", gone.at("/diff/against").asText());
      // A subscriber to every container got the container's own table, never the host's.
      List<String> targets = new ArrayList<>();
      all.of("mounts").forEach(e -> targets.add(e.body().get("container").asText()));
      assertTrue(targets.contains(c.id()), targets.toString());
      assertFalse(targets.contains("host"), targets.toString());
    }
    assertTrue(
        helper.log().stream().noneMatch(s -> s.contains("tick failed")), helper.log().toString());
  }

  @Test
  void aContainersOwnTableNamesItsStepsAndTheHostIsOnlyForTheMountsTopic() throws Exception {
    Container c = start(4, "exec sleep 60");
    try (HelperClient client =
        HelperClient.connect(helper.socket(), "test", new InspectingHelper.EventQueues())) {
      JsonNode r = client.call(Op.MOUNTS, Json.object().put("container", c.id()));
      Map<String, Integer> stepOf = new HashMap<>();
      for (JsonNode m : r.get("entries")) {
        if (m.has("step")) {
          stepOf.put(m.get("mountPoint").asText(), m.get("step").asInt());
        }
      }
      Map<Integer, StepEntry> steps = new HashMap<>();
      c.steps().forEach(s -> steps.put(s.seq(), s));
      assertEquals("overlay", steps.get(stepOf.get("/")).step(), "/ is the overlay step's: " + r);
      assertEquals("pseudo-fs", steps.get(stepOf.get("/proc")).step());
      assertEquals("dev-nodes", steps.get(stepOf.get("/dev/pts")).step());

      var bad = Json.object();
      bad.putArray("containers").add("host");
      bad.putArray("topics").add("mounts").add("telemetry");
      HelperException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              HelperException.class, () -> client.call(Op.SUBSCRIBE, bad));
      assertTrue(e.getMessage().contains("host"), e.getMessage());
    } finally {
      runtime.remove(c.id(), true);
    }
  }

  @Test
  void upperDirChangesArriveAsEventsWithTheCopyUpsTime() throws Exception {
    Container c =
        start(
            4,
            "echo x > /new; rm /bin/ls; read go; echo more >> /usr/share/big-file; exec sleep 60");
    InspectingHelper.EventQueues q = new InspectingHelper.EventQueues();
    BlockingQueue<Incoming.Event> upper = q.of("upper");
    try (HelperClient client = HelperClient.connect(helper.socket(), "test", q)) {
      var sub = Json.object();
      sub.putArray("containers").add(c.id());
      sub.putArray("topics").add("upper");
      sub.put("intervalMs", 100);
      client.call(Op.SUBSCRIBE, sub);

      Map<String, JsonNode> seen = new HashMap<>();
      JsonNode first =
          until(
              upper,
              e -> {
                e.at("/diff/added").forEach(x -> seen.put(x.get("path").asText(), x));
                return seen.containsKey("new") && seen.containsKey("bin/ls");
              });
      assertEquals(c.upperDir().orElseThrow().toString(), first.at("/layers/upper").asText());
      assertEquals(c.lowerDir().orElseThrow().toString(), first.at("/layers/lower/0").asText());
      assertEquals(c.rootDir().orElseThrow().toString(), first.at("/layers/merged").asText());
      assertTrue(first.at("/layers/work").asText().endsWith("/work"), first.toString());
      assertEquals("file", seen.get("new").get("kind").asText());
      assertFalse(seen.get("new").get("inLower").asBoolean(), "the container made /new");
      assertEquals("whiteout", seen.get("bin/ls").get("kind").asText());
      assertTrue(seen.get("bin/ls").get("inLower").asBoolean(), "it hides the image's /bin/ls");
      assertTrue(seen.get("bin").get("inLower").asBoolean(), "bin merges with the image's");

      c.writeStdin("go\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      List<JsonNode> big = new ArrayList<>();
      until(
          upper,
          e -> {
            for (JsonNode x : e.at("/diff/added")) {
              if (x.get("path").asText().equals("usr/share/big-file")) {
                big.add(x);
              }
            }
            return !big.isEmpty();
          });
      JsonNode copy = big.get(0);
      assertEquals("file", copy.get("kind").asText());
      assertTrue(copy.get("inLower").asBoolean(), "a copy-up of the image's file");
      assertTrue(copy.get("size").asLong() > 16L << 20, "all 16 MiB and the line: " + copy);
      if (copy.has("createdNs")) {
        long took = copy.get("changedNs").asLong() - copy.get("createdNs").asLong();
        assertTrue(took > 0 && took < 60_000_000_000L, "the copy-up took " + took + " ns");
      }
    } finally {
      runtime.remove(c.id(), true);
    }
  }

  private static JsonNode until(BlockingQueue<Incoming.Event> q, Predicate<JsonNode> done)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      Incoming.Event e = q.poll(1, TimeUnit.SECONDS);
      if (e == null) {
        continue;
      }
      if (done.test(e.body())) {
        return e.body();
      }
      seen.add(e.body().toString().substring(0, Math.min(300, e.body().toString().length())));
    }
    throw new AssertionError("no such event within 20 s; saw " + seen);
  }
}
