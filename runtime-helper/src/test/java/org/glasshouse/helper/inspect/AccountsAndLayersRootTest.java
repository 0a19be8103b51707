package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.ContainerListener;
import org.glasshouse.helper.runtime.ExitStatus;
import org.glasshouse.helper.runtime.LinuxContainerRuntime;
import org.glasshouse.helper.runtime.RuntimeConfig;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.helper.server.InspectionService;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the glass house view needs beyond the namespaces, from real containers: the names of their
 * ids (from the container's own account files, which a hostile container may point anywhere) and
 * which upper-dir entries are new and which changed a file of the image.
 */
@Tag("root")
class AccountsAndLayersRootTest {
  private Path state;
  private Path hostFile;
  private LinuxContainerRuntime runtime;
  private InspectionService service;

  @BeforeEach
  void setUp() throws Exception {
    TestSupport.assumeRootAndBusybox("inspect accounts and layers tests");
    state = Files.createTempDirectory("glasshouse-test-");
    hostFile = state.resolve("host-passwd");
    Files.writeString(hostFile, "escaped:x:0:0::/:/bin/sh\nescaped:x:1000:1000::/:/bin/sh\n");
    runtime =
        new LinuxContainerRuntime(
            RuntimeConfig.of(state, TestSupport.imagesDir())
                .withCgroupParent(TestSupport.uniqueCgroupParent()));
    service = new InspectionService(runtime, Inspector.real());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (service != null) {
      service.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    if (state != null) {
      SafeDelete.deleteTree(state);
    }
  }

  private Container start(int level, String script) throws Exception {
    RunSpec spec =
        new RunSpec(
            "busybox",
            List.of("/bin/sh", "-c", script),
            Map.of("PATH", "/bin:/usr/bin"),
            null,
            false,
            null,
            null,
            null,
            EnumSet.copyOf(Feature.upTo(level)),
            null,
            null,
            null,
            null,
            false,
            null,
            null);
    String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
    Container c = runtime.start(id, spec, QUIET);
    // The script prepares its files, then sleeps: wait until it has (its marker file exists).
    Path marker = Path.of("/proc/" + c.hostPid() + "/root/ready");
    for (int i = 0; i < 100 && !Files.exists(marker); i++) {
      Thread.sleep(50); // polling the container's own progress; nothing to wait on instead
    }
    return c;
  }

  @Test
  void theContainersOwnNamesAreReadInsideItsRootAndNeverThroughItsLinks() throws Exception {
    // The attack: /etc/passwd a link to a host file (absolute and relative), /etc/group a FIFO
    // nobody writes. Followed on the host, the first would name uid 0 "escaped"; opened blocking,
    // the second would hang the helper.
    Container c =
        start(
            4,
            "ln -sf "
                + hostFile
                + " /etc/passwd && mkfifo /etc/group.new && mv /etc/group.new /etc/group"
                + " && touch /ready && exec sleep 60");
    JsonNode r =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> service.inspect(c.id(), false));
    JsonNode users = r.at("/accounts/users");
    assertEquals(1, users.size(), r.get("accounts").toString());
    assertEquals(0, users.get(0).path("id").asLong());
    assertTrue(users.get(0).path("name").isMissingNode(), "not the host file's name: " + users);
    assertEquals("root", users.get(0).path("hostName").asText(), users.toString());
    assertTrue(r.at("/accounts/groups/0/name").isMissingNode(), r.get("accounts").toString());
  }

  @Test
  void namesComeFromTheImageAndTheHostSideBySide() throws Exception {
    Container c = start(4, "touch /ready && exec sleep 60");
    JsonNode r = service.inspect(c.id(), false);
    assertEquals("root", r.at("/accounts/users/0/name").asText(), r.get("accounts").toString());
    assertEquals("root", r.at("/accounts/groups/0/name").asText(), r.get("accounts").toString());
  }

  @Test
  void upperEntriesSayWhetherTheImageHasThem() throws Exception {
    Container c =
        start(
            4,
            "echo hi > /new && echo '# changed' >> /etc/passwd && rm /bin/ls && touch /ready"
                + " && exec sleep 60");
    JsonNode r = service.inspect(c.id(), true);
    Map<String, JsonNode> byPath = new HashMap<>();
    for (JsonNode e : r.get("upperDir")) {
      byPath.put(e.path("path").asText(), e);
    }
    assertFalse(byPath.get("new").path("inLower").asBoolean(true), byPath.toString());
    assertTrue(byPath.get("etc/passwd").path("inLower").asBoolean(false), byPath.toString());
    assertTrue(byPath.get("etc").path("inLower").asBoolean(false), byPath.toString());
    assertEquals("whiteout", byPath.get("bin/ls").path("kind").asText(), byPath.toString());
    assertTrue(
        byPath.get("bin/ls").path("inLower").asBoolean(false),
        "a whiteout hides the image's file: " + byPath);
  }

  private static final ContainerListener QUIET =
      new ContainerListener() {
        @Override
        public void step(String containerId, StepEntry entry) {}

        @Override
        public void started(String containerId, long hostPid) {}

        @Override
        public void output(String containerId, String stream, byte[] data) {}

        @Override
        public void exited(String containerId, ExitStatus status) {}
      };
}
