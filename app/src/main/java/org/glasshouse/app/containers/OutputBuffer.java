package org.glasshouse.app.containers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Output of each container that waits for the UI, filled by the socket reader and taken by the FX
 * thread. It keeps at most the last 256 KiB per container: when the UI falls that far behind a
 * flood, the terminal is told how much was skipped instead of the FX thread drowning (a screen
 * shows the tail anyway). Appending is amortised: the buffer is trimmed only when it holds twice
 * the cap.
 */
final class OutputBuffer {
  static final int MAX_PENDING = 256 * 1024;

  private final Map<String, Pending> pending = new HashMap<>();

  private static final class Pending {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long skipped;
  }

  /** Appends; returns true when this container had nothing pending (schedule a hand-over). */
  synchronized boolean append(String container, byte[] data) {
    Pending p = pending.get(container);
    boolean first = p == null;
    if (first) {
      p = new Pending();
      pending.put(container, p);
    }
    p.bytes.writeBytes(data);
    if (p.bytes.size() > 2 * MAX_PENDING) {
      byte[] all = p.bytes.toByteArray();
      p.skipped += all.length - MAX_PENDING;
      p.bytes.reset();
      p.bytes.write(all, all.length - MAX_PENDING, MAX_PENDING);
    }
    return first;
  }

  /** Takes what is pending for a container (with a note when bytes were skipped), or null. */
  synchronized byte[] take(String container) {
    Pending p = pending.remove(container);
    if (p == null) {
      return null;
    }
    if (p.skipped == 0) {
      return p.bytes.toByteArray();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("\r\n[glasshouse: " + (p.skipped / 1024) + " KiB of output skipped to keep up]\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(p.bytes.toByteArray());
    return out.toByteArray();
  }
}
