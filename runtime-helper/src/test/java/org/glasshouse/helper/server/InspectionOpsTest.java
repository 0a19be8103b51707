package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.helper.inspect.InspectingHelper;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.glasshouse.testsupport.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ops and topics through the real server and client, over a real process. */
class InspectionOpsTest {

  private static final String ID = "0123456789ab";

  private Path dir;
  private Process sleeper;
  private InspectingHelper helper;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("glasshouse-test-");
    // As root the probe gets a private mount namespace, so that mounts other tests (or their
    // cleanups) make on the host cannot reach its table while "no change, no event" is checked.
    sleeper =
        new ProcessBuilder(
                Prerequisites.runningAsRoot()
                    ? List.of("unshare", "--mount", "--propagation", "private", "sleep", "60")
                    : List.of("sleep", "60"))
            .start();
    helper =
        InspectingHelper.start(
            dir,
            InspectionServiceTest.runtime(
                List.of(
                    new InspectionServiceTest.FakeContainer(
                        ID, sleeper.pid(), Container.State.RUNNING))));
  }

  @AfterEach
  void stop() throws Exception {
    if (helper != null) {
      helper.close();
    }
    if (sleeper != null) {
      sleeper.destroyForcibly().waitFor();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Test
  void opsAnswerOverTheSocketWithErrorsMappedToCodes() throws Exception {
    try (HelperClient c = HelperClient.connect(helper.socket(), "test", e -> {})) {
      JsonNode r = c.call(Op.INSPECT, Json.object().put("container", ID));
      assertEquals(sleeper.pid(), r.get("pid").asLong());
      assertEquals("sleep", r.at("/processes/0/name").asText());
      JsonNode host = c.call(Op.INSPECT, Json.object().put("container", "host"));
      assertTrue(host.at("/namespaces/mnt/sameAsHost").asBoolean());
      JsonNode m = c.call(Op.MOUNTS, Json.object().put("container", ID).put("diff", "host"));
      assertTrue(m.get("entries").size() > 0);
      JsonNode stats = c.call(Op.STATS, Json.object());
      assertEquals(ID, stats.at("/containers/0/container").asText());
      HelperException missing =
          assertThrows(
              HelperException.class,
              () -> c.call(Op.INSPECT, Json.object().put("container", "ffffffffffff")));
      assertEquals(ErrorCode.NOT_FOUND, missing.code());
      HelperException bad =
          assertThrows(
              HelperException.class,
              () -> c.call(Op.MOUNTS, Json.object().put("container", "../etc")));
      assertEquals(ErrorCode.BAD_REQUEST, bad.code());
      HelperException diff =
          assertThrows(
              HelperException.class,
              () -> c.call(Op.MOUNTS, Json.object().put("container", ID).put("diff", "x")));
      assertEquals(ErrorCode.BAD_REQUEST, diff.code());
    }
  }

  @Test
  void telemetryAndMountsTopicsStreamAtTheAskedInterval() throws Exception {
    CountDownLatch telemetry = new CountDownLatch(5);
    CountDownLatch mounts = new CountDownLatch(1);
    List<Incoming.Event> seen = new CopyOnWriteArrayList<>();
    HelperClient.Listener l =
        e -> {
          seen.add(e);
          if (e.type().equals("telemetry")) {
            telemetry.countDown();
          } else if (e.type().equals("mounts")) {
            mounts.countDown();
          }
        };
    try (HelperClient c = HelperClient.connect(helper.socket(), "test", l)) {
      var sub = Json.object();
      sub.putArray("topics").add("telemetry").add("mounts");
      sub.put("intervalMs", 100);
      c.call(Op.SUBSCRIBE, sub);
      assertTrue(telemetry.await(10, TimeUnit.SECONDS), "5 samples at 10 Hz: " + seen);
      assertTrue(mounts.await(10, TimeUnit.SECONDS), "the first mount table: " + seen);
    }
    Incoming.Event last =
        seen.stream().filter(e -> e.type().equals("telemetry")).reduce((a, b) -> b).orElseThrow();
    assertEquals(ID, last.container());
    assertFalse(last.body().at("/sample/gone").asBoolean());
    long interval = last.body().at("/sample/intervalMs").asLong();
    assertTrue(interval >= 50 && interval < 1000, "about 100 ms apart: " + interval);
    assertEquals(
        1, seen.stream().filter(e -> e.type().equals("mounts")).count(), "no change, no event");
  }
}
