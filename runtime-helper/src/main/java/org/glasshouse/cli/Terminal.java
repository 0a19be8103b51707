package org.glasshouse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The local terminal for {@code run -t}: raw mode through {@code stty} on {@code /dev/tty}, and
 * restored exactly as it was ({@code stty -g}) on every way out, including Ctrl-C of the CLI.
 */
final class Terminal {
  private final String saved;
  private volatile boolean restored;

  private Terminal(String saved) {
    this.saved = saved;
  }

  /** Switches /dev/tty to raw mode without echo; null when there is no terminal. */
  static Terminal raw() {
    String saved = stty("-g");
    if (saved == null) {
      return null;
    }
    Terminal t = new Terminal(saved.trim());
    Runtime.getRuntime().addShutdownHook(new Thread(t::restore, "glasshouse-tty-restore"));
    stty("raw -echo");
    return t;
  }

  /** {cols, rows} of /dev/tty, or null. */
  static int[] size() {
    String s = stty("size");
    if (s == null) {
      return null;
    }
    String[] f = s.trim().split("\\s+");
    if (f.length != 2 || !f[0].matches("[0-9]+") || !f[1].matches("[0-9]+")) {
      return null;
    }
    int rows = Integer.parseInt(f[0]);
    int cols = Integer.parseInt(f[1]);
    return rows > 0 && cols > 0 ? new int[] {Math.min(cols, 1000), Math.min(rows, 1000)} : null;
  }

  void restore() {
    if (!restored) {
      restored = true;
      stty(saved);
    }
  }

  private static String stty(String args) {
    try {
      Process p =
          new ProcessBuilder("sh", "-c", "stty " + args + " < /dev/tty")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
