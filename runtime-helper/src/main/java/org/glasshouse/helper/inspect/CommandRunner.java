package org.glasshouse.helper.inspect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short external tool ({@code nsenter … ip -j addr}) as an ordinary process spawn — never a
 * fork of the JVM — and returns its stdout, or empty when it is missing, fails or hangs. A seam so
 * tests can answer with fixtures.
 */
@FunctionalInterface
public interface CommandRunner {

  /** Stdout of a successful run, or empty. */
  Optional<String> run(List<String> argv);

  /** The real one: 2 s budget, stderr discarded. */
  static CommandRunner system() {
    return argv -> {
      try {
        Process p =
            new ProcessBuilder(argv)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
          in.transferTo(out);
        }
        if (!p.waitFor(2, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return Optional.empty();
        }
        return p.exitValue() == 0
            ? Optional.of(out.toString(StandardCharsets.UTF_8))
            : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    };
  }
}
