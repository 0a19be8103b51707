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
