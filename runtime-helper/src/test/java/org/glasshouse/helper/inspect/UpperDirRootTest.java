package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.helper.server.InspectionService;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code inspect --upper} against a workload that lies about its upper dir: at level 04 the
 * container still holds CAP_SYS_ADMIN, so it can mount an overlay of its own whose {@code
 * upperdir=} names a HOST path, and chroot into it so that overlay is the root its mount table
 * shows. The helper must list the upper dir it made for the container, never a path the container
 * wrote into its mount table.
 */
@Tag("root")
class UpperDirRootTest {

  private RealRuntime real;
  private Path decoy;
  private InspectionService service;

  @BeforeEach
  void setUp() throws Exception {
    real = RealRuntime.start("upper dir inspection tests");
    decoy = Files.createTempDirectory("glasshouse-test-decoy-");
    Files.writeString(decoy.resolve("host-only-name"), "a host file\n");
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
    if (decoy != null) {
      SafeDelete.deleteTree(decoy);
    }
  }

  @Test
  void aContainerNamingAHostDirAsItsUpperDirDoesNotGetItListed() throws Exception {
    String script =
        "echo mine > /own-marker && mount -t tmpfs t /tmp && mkdir -p /tmp/w /tmp/m \"$1\" && echo mine > \"$1\"/x"
            + " && mount -t overlay o -o lowerdir=/,upperdir=\"$1\",workdir=/tmp/w /tmp/m"
            + " && exec chroot /tmp/m /bin/sleep 60";
    RunSpec spec =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("/bin/sh", "-c", script, "sh", decoy.toString()))
            .env(Map.of("PATH", "/bin"))
            .features(EnumSet.copyOf(Feature.upTo(4)))
            .build();
    Container c = real.start(spec);
    JsonNode r = null;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      r = service.inspect(c.id(), true);
      if (decoy.toString().equals(r.at("/overlay/upper").asText())) {
        break;
      }
      Thread.sleep(50); // the workload is still mounting its overlay
    }
    assertEquals(
        decoy.toString(),
        r.at("/overlay/upper").asText(),
        "the workload's own overlay is its root now: " + r.get("overlay"));
    JsonNode listing = r.get("upperDir");
    assertTrue(listing != null && listing.isArray(), "a listing: " + r);
    boolean own = false;
    for (JsonNode e : listing) {
      assertFalse(
          e.path("path").asText().contains("host-only-name"), "a host file is listed: " + listing);
      own |= e.path("path").asText().equals("own-marker");
    }
    assertTrue(own, "the container's own upper dir is listed: " + listing);
    real.runtime.remove(c.id(), true);
  }
}
