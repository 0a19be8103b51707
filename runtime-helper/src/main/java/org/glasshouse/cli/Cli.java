package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.helper.text.Printable;
import org.glasshouse.protocol.JsonText;

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

  /**
   * A string a container may have chosen (a name, a command, a path, a message quoting one), made
   * safe to print: control characters escaped ({@link Printable}).
   */
  static String printable(String s) {
    return Printable.escape(s);
  }

  /**
   * A copy of a helper's answer with every string (and field name) {@link #printable}: renderers of
   * inspection results print paths, process names and interface names a container chose, and
   * escaping the whole answer first keeps every one of them safe, however it is formatted.
   */
  static JsonNode printableTree(JsonNode n) {
    if (n == null) {
      return null;
    }
    if (n.isTextual()) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(printable(n.textValue()));
    }
    if (n.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode a = JsonText.array();
      n.forEach(x -> a.add(printableTree(x)));
      return a;
    }
    if (n.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode o = JsonText.object();
      n.fields().forEachRemaining(e -> o.set(printable(e.getKey()), printableTree(e.getValue())));
      return o;
    }
    return n;
  }

  /**
   * Left-aligned columns separated by three spaces, docker style. Every cell is {@link #printable}:
   * a newline or an escape sequence in a name would break the table or drive the terminal.
   */
  static String columns(List<String[]> raw) {
    List<String[]> rows = new java.util.ArrayList<>(raw.size());
    for (String[] r : raw) {
      String[] p = new String[r.length];
      for (int i = 0; i < r.length; i++) {
        p[i] = printable(r[i]);
      }
      rows.add(p);
    }
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
