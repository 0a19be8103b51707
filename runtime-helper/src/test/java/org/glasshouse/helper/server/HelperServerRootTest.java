package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.helper.runtime.LinuxContainerRuntime;
import org.glasshouse.helper.runtime.RuntimeConfig;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The server's scenarios against the real runtime: every container is a real level-00 container
 * started through the init stage. Temporary state dir, unique cgroup parent.
 */
@Tag("root")
class HelperServerRootTest extends ServerScenarios {

  @Override
  ContainerRuntime newRuntime(Path stateDir) throws Exception {
    TestSupport.requireRoot("real containers");
    String parent = TestSupport.uniqueCgroupParent();
    return new LinuxContainerRuntime(
        RuntimeConfig.of(stateDir, stateDir.resolve("no-images")).withCgroupParent(parent));
  }

  @Test
  void ttyOutputArrivesOnThePtyStreamAndResizeIsAccepted() throws Exception {
    Collector events = new Collector();
    try (HelperClient c = client(events)) {
      ObjectNode spec =
          TestHelper.spec("/bin/sh", "-c", "read line; test -t 1 && echo \"tty $line\"");
      spec.put("tty", true).put("cols", 80).put("rows", 24);
      String id = c.call(Op.RUN, run(spec, true)).get("container").asText();
      c.call(Op.RESIZE, Json.object().put("container", id).put("cols", 120).put("rows", 40));
      byte[] line = "yes\n".getBytes(StandardCharsets.UTF_8);
      c.call(
          Op.STDIN,
          Json.object().put("container", id).put("data", Messages.encode(line, 0, line.length)));
      assertEquals(0, events.awaitExit().get("code").asInt());
      assertTrue(events.out().contains("tty yes"), "pty output: " + events.out());
    }
  }

  /**
   * Walk: a `glasshouse run --rm` from the CLI while the window was open left a container in the
   * window for good, "starting", its last step the rmdir of its pids cgroup. An rm container is
   * removed twice at its exit, by its waiter and by the server; the second found it gone and
   * announced {@code removed} while the first was still unwinding, so its teardown's steps came
   * after {@code removed}, and a follower took them for a new container. {@code removed} is the
   * last event of a container.
   */
  @Test
  void removedIsTheLastEventOfAnRmContainer() throws Exception {
    // "<id> <event>", a step with its step name and call: "<id> step track rmdir".
    java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    HelperClient.Listener follower =
        new HelperClient.Listener() {
          @Override
          public void event(org.glasshouse.protocol.Incoming.Event e) {
            com.fasterxml.jackson.databind.JsonNode entry = e.body().path("entry");
            seen.add(
                e.container()
                    + " "
                    + e.type()
                    + (entry.isObject()
                        ? " " + entry.path("step").asText() + " " + entry.path("call").asText()
                        : ""));
          }

          @Override
          public void closed(String reason) {}
        };
    try (HelperClient w = HelperClient.connect(helper.socket(), "test", follower);
        HelperClient c = client(new Collector())) {
      w.call(
          Op.SUBSCRIBE,
          Json.object().set("topics", Json.tree(java.util.List.of("lifecycle", "steps"))));
      java.util.List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ObjectNode spec = TestHelper.spec("true");
        spec.put("rm", true);
        ids.add(c.call(Op.RUN, run(spec, false)).get("container").asText());
      }
      for (String id : ids) {
        // The teardown's last step (the tracking cgroup, made first, undone last) and removed:
        // both come, in some order; removed must be the later.
        String teardown = id + " step track rmdir";
        String removed = id + " removed";
        org.glasshouse.Await.until(
            "the teardown and removal of " + id,
            java.time.Duration.ofSeconds(30),
            java.time.Duration.ofMillis(20),
            () -> seen.contains(teardown) && seen.contains(removed));
        java.util.List<String> own = seen.stream().filter(l -> l.startsWith(id + " ")).toList();
        assertTrue(own.indexOf(teardown) < own.indexOf(removed), "a step after removed: " + own);
      }
    }
  }

  /**
   * Issue #14's walk: a start with Image "nosuchimage" failed with "no image 'nosuchimage': … does
   * not exist; the images here: busybox (…) — the image must exist as <images>/nosuchimage.tar and
   * extract cleanly": the step's general explanation repeated what its message had just said. A
   * missing image is told once; an image that is there and does not extract still gets the
   * explanation.
   */
  @Test
  void aMissingImageIsToldOnce() throws Exception {
    try (HelperClient c = client(new Collector())) {
      ObjectNode spec = TestHelper.spec("true");
      spec.put("image", "nosuchimage").put("level", 3);
      HelperException e =
          assertThrows(HelperException.class, () -> c.call(Op.RUN, run(spec, false)));
      assertTrue(e.getMessage().contains("no image 'nosuchimage'"), e.getMessage());
      assertFalse(e.getMessage().contains("must exist as"), e.getMessage());
    }
  }
}
