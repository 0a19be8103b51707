package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertNull;

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
}
