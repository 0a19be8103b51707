package org.glasshouse.cli;

import java.util.List;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;

/** What the client subcommands share: the connection and table layout. */
final class Cli {

  private Cli() {}

  /** Connects to the helper at GLASSHOUSE_SOCKET (or the default) and says hello. */
  static HelperClient connect(String clientName) throws HelperException {
    return HelperClient.connect(
        HelperClient.defaultSocket(),
        clientName,
        event -> {
          // These commands ask and print; they subscribe to nothing.
        });
  }

  /** Left-aligned columns separated by three spaces, docker style. */
  static String columns(List<String[]> rows) {
    int n = rows.get(0).length;
    int[] width = new int[n];
    for (String[] r : rows) {
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < n; i++) {
        line.append(r[i]);
        if (i < n - 1) {
          line.append(" ".repeat(width[i] - r[i].length() + 3));
        }
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }
}
