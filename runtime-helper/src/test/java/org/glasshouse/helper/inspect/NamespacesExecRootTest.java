package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.runtime.LinuxContainerRuntime;
import org.glasshouse.helper.runtime.RuntimeConfig;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code namespaces} topic on a real level-06 container (own pid namespace) of the runtime,
 * through the real server and client: an {@code exec} into it shows up as an added process with the
 * container's namespaces, and then nothing more is pushed while nothing changes.
 */
@Tag("root")
class NamespacesExecRootTest {

  private Path state;
  private LinuxContainerRuntime runtime;
  private InspectingHelper helper;

  @BeforeEach
  void start() throws Exception {
    TestSupport.requireRootAndBusybox("real containers");
    state = Files.createTempDirectory("glasshouse-test-");
    runtime =
        new LinuxContainerRuntime(
            RuntimeConfig.of(state, TestSupport.imagesDir())
                .withCgroupParent(TestSupport.uniqueCgroupParent()));
    helper = InspectingHelper.start(state, runtime);
  }

  @AfterEach
  void stop() throws Exception {
    if (helper != null) {
      helper.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    if (state != null) {
      SafeDelete.deleteTree(state);
    }
  }

  private static ObjectNode spec(String... argv) {
    ObjectNode s = Json.object().put("image", "busybox").put("level", 6);
    s.set("argv", Json.tree(List.of(argv)));
    s.putObject("env").put("PATH", "/bin");
    return s;
  }

  @Test
  void anExecShowsAsAnAddedProcessWithTheContainersNamespacesAndThenNothingIsPushed()
      throws Exception {
    InspectingHelper.EventQueues l = new InspectingHelper.EventQueues();
    BlockingQueue<Incoming.Event> ns = l.of("namespaces");
    BlockingQueue<Incoming.Event> ticks = l.of("telemetry");
    try (HelperClient c = HelperClient.connect(helper.socket(), "test", l)) {
      ObjectNode run = Json.object().put("attach", false);
      run.set("spec", spec("/bin/sleep", "60"));
      JsonNode started = c.call(Op.RUN, run);
      String id = started.get("container").asText();
      long pid = started.get("pid").asLong();
      var sub = Json.object();
      sub.putArray("containers").add(id);
      sub.putArray("topics").add("namespaces").add("telemetry");
      sub.put("intervalMs", 100);
      c.call(Op.SUBSCRIBE, sub);

      JsonNode first = next(ns).body();
      assertEquals("none", first.at("/diff/against").asText());
      assertEquals(pid, first.get("pid").asLong());
      assertTrue(pids(first.at("/diff/added")).contains(pid), first.toString());
      JsonNode containerNs = first.at("/processes/0/namespaces");
      assertFalse(containerNs.at("/pid/sameAsHost").asBoolean(), first.toString());

      ObjectNode exec = Json.object().put("container", id).put("attach", false);
      exec.set("spec", spec("/bin/sleep", "30"));
      long execPid = c.call(Op.EXEC, exec).get("pid").asLong();

      // The exec's process joins the namespaces while it starts, so a tick may see it half-way;
      // the events end with it added and in exactly the container's namespaces.
      List<Long> added = new ArrayList<>();
      JsonNode last;
      do {
        last = next(ns).body();
        assertEquals("previous", last.at("/diff/against").asText());
        added.addAll(pids(last.at("/diff/added")));
      } while (!sameAs(last, execPid, containerNs));
      assertTrue(added.contains(execPid), "the exec's pid was added: " + added);

      ticks.clear();
      for (int i = 0; i < 10; i++) {
        assertNotNull(ticks.poll(10, TimeUnit.SECONDS), "telemetry keeps ticking");
      }
      assertNull(ns.poll(), "no change, no event");
    }
    assertTrue(
        helper.log().stream().noneMatch(s -> s.contains("tick failed")), helper.log().toString());
  }

  private static boolean sameAs(JsonNode event, long pid, JsonNode namespaces) {
    for (JsonNode p : event.get("processes")) {
      if (p.get("pid").asLong() == pid) {
        return p.get("namespaces").equals(namespaces);
      }
    }
    return false;
  }

  private static Incoming.Event next(BlockingQueue<Incoming.Event> q) throws Exception {
    Incoming.Event e = q.poll(20, TimeUnit.SECONDS);
    assertNotNull(e, "a namespaces event within 20 s");
    return e;
  }

  private static List<Long> pids(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asLong()));
    return out;
  }
}
