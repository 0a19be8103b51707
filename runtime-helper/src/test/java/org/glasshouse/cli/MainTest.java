package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Main#plainPs}: only {@code ps} with {@code -a} and {@code -q}, each at most once, skips
 * picocli; every other command line is picocli's, so its help and usage errors stay picocli's own
 * ({@code CliEndToEndTest} runs the plain ones in a real process, with and without a helper).
 */
class MainTest {

  @Test
  void everythingButPsWithAAndQGoesThroughPicocli() {
    String[][] picocli = {
      {},
      {"run"},
      {"psx"},
      {"ps", "-a", "-a"},
      {"ps", "--all", "-a"},
      {"ps", "-q", "--quiet"},
      {"ps", "-aq", "-q"},
      {"ps", "-a", "-qa"},
      {"ps", "-aqa"},
      {"ps", "-aa"},
      {"ps", "-h"},
      {"ps", "--help"},
      {"ps", "--"},
      {"ps", "-x"},
      {"ps", "--all=true"},
      {"ps", "-a", "extra"},
      {"ps", ""},
    };
    for (String[] args : picocli) {
      assertNull(Main.plainPs(args), String.join(" ", args));
    }
  }

  /**
   * The options the plain path knows are the ps command's own, neither more nor fewer (help aside):
   * an option renamed or added in {@link PsCommand} cannot leave the plain path answering its old
   * name.
   */
  @Test
  void thePlainPathKnowsExactlyPsOwnOptions() {
    var spec = Main.commandLine("ps").getSubcommands().get("ps").getCommandSpec();
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (var o : spec.options()) {
      if (!o.usageHelp() && !o.versionHelp()) {
        names.addAll(java.util.List.of(o.names()));
      }
    }
    assertEquals(java.util.Set.of("--all", "--quiet", "-a", "-q"), names);
    for (String name : names) {
      // Each accepted alone reaches the command (no helper here: it fails, but not as usage).
      assertTrue(Main.plainPs("ps", name) != null, name + " takes the plain path");
    }
  }

  /**
   * The provider the CLI names is a selector provider of this JDK, and the one a socket then gets
   * (in a JVM of its own: the provider is chosen once per JVM); the CLI's sockets work with it
   * ({@code CliEndToEndTest}).
   */
  @Test
  void theNamedSelectorProviderIsTheJdksEpollOne() throws Exception {
    Class<?> named = Class.forName(Main.EPOLL_PROVIDER, false, null);
    assertTrue(java.nio.channels.spi.SelectorProvider.class.isAssignableFrom(named));
    Process p =
        new ProcessBuilder(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ProviderProbe.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(0, p.waitFor(), out);
    assertEquals(Main.EPOLL_PROVIDER + " " + Main.EPOLL_PROVIDER, out);
  }

  /** Prints the property the CLI set and the provider a Unix socket channel got. */
  static final class ProviderProbe {
    public static void main(String[] args) throws Exception {
      Main.defaultSelectorProvider();
      try (var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
        System.out.println(
            System.getProperty(Main.SELECTOR_PROVIDER) + " " + ch.provider().getClass().getName());
      }
    }
  }
}
