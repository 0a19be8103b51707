package org.glasshouse.app.namespaces;

/**
 * One row of the inside-vs-outside view.
 *
 * @param section {@code identity}, {@code namespace}, {@code security}, {@code network}, {@code
 *     limit} or {@code usage}
 * @param label what is compared ({@code uts}, {@code hostname})
 * @param host the host's value, or null when it has none
 * @param container the container's value, or null when not known yet
 */
public record Comparison(String section, String label, String host, String container) {

  /** Both sides are known and not equal: the view marks the row {@code :differs}. */
  public boolean differs() {
    return host != null && container != null && !host.equals(container);
  }
}
