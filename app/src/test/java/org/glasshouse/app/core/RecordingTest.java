package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.junit.jupiter.api.Test;

/** A transcript in the fixture format feeds the fake: typed events and the recorded replies. */
class RecordingTest {
  private static final String TRANSCRIPT =
      String.join(
          "\n",
          "{\"recording\":{\"scenario\":\"tiny\"}}",
          "{\"id\":1,\"op\":\"hello\",\"version\":1}",
          "{\"id\":1,\"ok\":true,\"result\":{\"version\":1}}",
          "{\"event\":\"started\",\"container\":\"c1\",\"pid\":4242}",
          "{\"id\":2,\"op\":\"inspect\",\"container\":\"c1\",\"upper\":true}",
          "{\"id\":2,\"ok\":true,\"result\":{\"target\":\"c1\",\"pid\":4242,\"gone\":false,"
              + "\"network\":{\"hostname\":\"c1\",\"interfaces\":[]}}}",
          "{\"event\":\"telemetry\",\"container\":\"c1\",\"sample\":{\"timeMs\":5,\"pid\":4242,"
              + "\"gone\":false,\"cgroup\":{\"version\":\"v1\",\"pids\":{\"current\":3,\"max\":16}}}}",
          "{\"event\":\"namespaces\",\"container\":\"c1\",\"pid\":4242,\"processes\":[{\"pid\":4242,"
              + "\"namespaces\":{\"uts\":{\"inode\":7,\"sameAsHost\":false}}}],\"diff\":{\"against\":"
              + "\"none\",\"added\":[4242],\"removed\":[],\"changed\":[]}}");

  @Test
  void aRecordingReplaysIntoTypedEventsAndAnswers() throws Exception {
    Recording r =
        Recording.read(
            "tiny", new ByteArrayInputStream(TRANSCRIPT.getBytes(StandardCharsets.UTF_8)));
    assertEquals("tiny", r.header().path("scenario").asText());
    assertEquals(List.of(), r.unreadable());
    FakeLabService lab = new FakeLabService();
    ContainersViewModel containers = new ContainersViewModel(lab, Runnable::run);
    List<LabEvent> seen = new ArrayList<>();
    lab.addListener(
        new LabListener() {
          @Override
          public void onEvent(LabEvent event) {
            seen.add(event);
          }

          @Override
          public void onConnection(ConnectionStatus status) {}
        });
    lab.replay(r);
    assertEquals(3, seen.size());
    LabEvent.Namespaces ns = (LabEvent.Namespaces) seen.get(2);
    assertEquals(7L, ns.namespaces().processes().get(0).namespaces().get("uts").inode());
    ContainerItem c1 = containers.containers().get(0);
    assertEquals(3L, c1.telemetryProperty().get().cgroup().pids().current());
    assertEquals("c1", lab.inspect("c1", true).join().network().hostname());
    assertTrue(lab.requests.contains("inspect c1 upper"), lab.requests.toString());
  }
}
