package org.glasshouse.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The socket a client uses: the system property {@code glasshouse.client.socket} (a CLI command run
 * inside another JVM, as the cgroup v2 guest's scenarios run them), else {@code GLASSHOUSE_SOCKET},
 * else the default.
 */
class DefaultSocketTest {

  @Test
  void thePropertyWinsAndWithoutItTheEnvironmentOrTheDefaultServes() {
    String env = System.getenv("GLASSHOUSE_SOCKET");
    Path withoutProperty =
        Path.of(env == null || env.isBlank() ? "/run/glasshouse/helper.sock" : env);
    String before = System.getProperty(HelperClient.SOCKET_PROPERTY);
    try {
      System.clearProperty(HelperClient.SOCKET_PROPERTY);
      assertEquals(withoutProperty, HelperClient.defaultSocket());
      System.setProperty(HelperClient.SOCKET_PROPERTY, "/tmp/glasshouse-test-socket/h.sock");
      assertEquals(Path.of("/tmp/glasshouse-test-socket/h.sock"), HelperClient.defaultSocket());
      System.setProperty(HelperClient.SOCKET_PROPERTY, " ");
      assertEquals(withoutProperty, HelperClient.defaultSocket(), "a blank property is unset");
    } finally {
      if (before == null) {
        System.clearProperty(HelperClient.SOCKET_PROPERTY);
      } else {
        System.setProperty(HelperClient.SOCKET_PROPERTY, before);
      }
    }
  }
}
