package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client running as {@code nobody} is refused by the SO_PEERCRED check while others keep working.
 * The socket's mode is loosened for this test only, or the kernel would refuse the connect() before
 * the helper ever saw the peer.
 */
@Tag("root")
class NobodyRefusedTest {

  @Test
  void nobodyIsRefusedAndLoggedWhileOthersKeepWorking() throws Exception {
    TestSupport.require(
        new com.sun.security.auth.module.UnixSystem().getUid() == 0,
        "needs root: the client switches to uid 65534 with setpriv");
    TestSupport.require(
        Files.isExecutable(Path.of("/usr/bin/socat")) || Files.isExecutable(Path.of("/bin/socat")),
        "needs socat (.ci/run installs it)");
    try (TestHelper helper = new TestHelper();
        HelperClient root = HelperClient.connect(helper.socket(), "test", e -> {})) {
      Files.setPosixFilePermissions(
          helper.socket().getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(helper.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(helper.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
      Process p =
          new ProcessBuilder(
                  "setpriv",
                  "--reuid=65534",
                  "--regid=65534",
                  "--clear-groups",
                  "socat",
                  // socat's default is to wait 0.5 s for the reply once its stdin ended: on a
                  // loaded machine the helper's refusal can come later than that.
                  "-t",
                  "30",
                  "-",
                  "UNIX-CONNECT:" + helper.socket())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.getOutputStream()
          .write("{\"id\":1,\"op\":\"hello\",\"version\":1}\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      JsonNode reply = Json.MAPPER.readTree(out);
      assertEquals("forbidden", reply.at("/error/code").asText(), out);
      assertTrue(reply.get("id").isNull());
      helper.awaitLog(
          l -> l.contains("refused connection") && l.contains("uid=65534"), "naming uid 65534");
      assertTrue(root.call(Op.PS, Json.object()).has("containers"), "root keeps being served");
    }
  }
}
