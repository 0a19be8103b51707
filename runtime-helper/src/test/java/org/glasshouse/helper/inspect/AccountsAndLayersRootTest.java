package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.server.InspectionService;
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
  private RealRuntime real;
  private Path hostFile;
  private InspectionService service;

  @BeforeEach
  void setUp() throws Exception {
    real = RealRuntime.start("inspect accounts and layers tests");
    hostFile = real.dir.resolve("host-passwd");
    Files.writeString(hostFile, "escaped:x:0:0::/:/bin/sh\nescaped:x:1000:1000::/:/bin/sh\n");
    service = new InspectionService(real.runtime, Inspector.real());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (service != null) {
      service.close();
    }
    if (real != null) {
      real.close();
    }
  }

  /** A container whose script prepares its files, touches /ready, then sleeps. */
  private Container start(int level, String script) throws Exception {
    return real.startAndAwait(level, script, "ready");
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
}
