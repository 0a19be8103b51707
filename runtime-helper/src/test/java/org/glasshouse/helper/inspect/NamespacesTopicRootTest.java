package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.helper.server.InspectionServiceTest;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code namespaces} topic through the real server and client. The "container" is a shell that
 * is PID 1 of a pid namespace of its own (so its members are exactly that namespace's processes,
 * whatever else runs on the machine); the test starts a second process in it, then makes the shell
 * itself move to a new UTS namespace, and expects one event per change.
 */
@Tag("root")
class NamespacesTopicRootTest {

  private static final String ID = "0123456789cd";

  private Path dir;
  private Process unshare;
  private long shell;
  private OutputStream shellIn;
  private InspectingHelper helper;

  @BeforeEach
  void start() throws Exception {
    TestSupport.requireRoot("namespace topic tests (unshare --pid)");
    dir = Files.createTempDirectory("glasshouse-test-");
    // --kill-child: when unshare dies, the shell (PID 1 of the new namespace) gets SIGKILL, and
    // with it every process of that namespace.
    unshare =
        new ProcessBuilder(
                "unshare", "--pid", "--fork", "--kill-child", "sh", "-c", "echo ready; exec sh -s")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    var out = new BufferedReader(new InputStreamReader(unshare.getInputStream(), UTF8));
    assertEquals("ready", out.readLine(), "the shell in its pid namespace started");
    shell = unshare.toHandle().children().findFirst().orElseThrow().pid();
    shellIn = unshare.getOutputStream();
    helper =
        InspectingHelper.start(
            dir,
            InspectionServiceTest.runtime(
                List.of(
                    new InspectionServiceTest.FakeContainer(ID, shell, Container.State.RUNNING))));
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  @AfterEach
  void stop() throws Exception {
    if (helper != null) {
      helper.close();
    }
    if (unshare != null) {
      List<ProcessHandle> rest = unshare.descendants().toList();
      unshare.destroyForcibly().waitFor();
      for (ProcessHandle p : rest) {
        p.destroyForcibly();
        p.onExit().get(10, TimeUnit.SECONDS);
      }
    }
    if (dir != null) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private void shell(String line) throws Exception {
    shellIn.write((line + "\n").getBytes(UTF8));
    shellIn.flush();
  }

  @Test
  void anEventPerChangeOfTheProcessSetOrOfANamespaceAndNoneInBetween() throws Exception {
    InspectingHelper.EventQueues l = new InspectingHelper.EventQueues();
    BlockingQueue<Incoming.Event> ns = l.of("namespaces");
    BlockingQueue<Incoming.Event> ticks = l.of("telemetry");
    try (HelperClient c = HelperClient.connect(helper.socket(), "test", l)) {
      var sub = Json.object();
      sub.putArray("containers").add(ID);
      sub.putArray("topics").add("namespaces").add("telemetry");
      sub.put("intervalMs", 100);
      c.call(Op.SUBSCRIBE, sub);

      JsonNode first = next(ns).body();
      assertEquals(ID, first.get("container").asText());
      assertEquals(shell, first.get("pid").asLong());
      assertEquals("none", first.at("/diff/against").asText());
      assertEquals(List.of(shell), pids(first.at("/diff/added")));
      assertEquals(0, first.at("/diff/changed").size());
      assertEquals(1, first.get("processes").size());
      assertFalse(first.at("/processes/0/namespaces/pid/sameAsHost").asBoolean());
      assertTrue(first.at("/processes/0/namespaces/uts/sameAsHost").asBoolean());

      // A second process: it has the shell's namespaces, as an exec'd process joins them.
      shell("sleep 30 &");
      JsonNode joined = next(ns).body();
      assertEquals("previous", joined.at("/diff/against").asText());
      List<Long> added = pids(joined.at("/diff/added"));
      assertEquals(1, added.size(), joined.toString());
      assertNotEquals(shell, added.get(0));
      assertEquals(0, joined.at("/diff/removed").size());
      assertEquals(0, joined.at("/diff/changed").size());
      assertEquals(2, joined.get("processes").size());
      assertEquals(
          joined.at("/processes/0/namespaces"),
          joined.at("/processes/1/namespaces"),
          "same namespaces as the shell");

      // The shell itself moves to a new UTS namespace: one change, of one type, of one process.
      shell("exec unshare --uts sh -s");
      JsonNode moved = next(ns).body();
      assertEquals(0, moved.at("/diff/added").size());
      JsonNode changed = moved.at("/diff/changed");
      assertEquals(1, changed.size(), moved.toString());
      assertEquals(shell, changed.at("/0/pid").asLong());
      assertEquals("uts", changed.at("/0/ns").asText());
      assertNotEquals(changed.at("/0/before").asLong(), changed.at("/0/after").asLong());
      JsonNode shellNs = moved.at("/processes/0/namespaces");
      assertEquals(changed.at("/0/after").asLong(), shellNs.at("/uts/inode").asLong());
      assertFalse(shellNs.at("/uts/sameAsHost").asBoolean());
      assertTrue(moved.at("/processes/1/namespaces/uts/sameAsHost").asBoolean());

      // Nothing changes any more: ten more ticks, no further event.
      ticks.clear();
      for (int i = 0; i < 10; i++) {
        assertNotNull(ticks.poll(10, TimeUnit.SECONDS), "telemetry keeps ticking");
      }
      assertNull(ns.poll(), "no change, no event");
    }
    assertTrue(
        helper.log().stream().noneMatch(s -> s.contains("tick failed")), helper.log().toString());
  }

  private static Incoming.Event next(BlockingQueue<Incoming.Event> q) throws Exception {
    Incoming.Event e = q.poll(10, TimeUnit.SECONDS);
    assertNotNull(e, "a namespaces event within 10 s");
    return e;
  }

  private static List<Long> pids(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asLong)
        .toList();
  }
}
