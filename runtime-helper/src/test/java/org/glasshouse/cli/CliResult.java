package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The status and output of one command run as a process of its own (the CLI's tests). */
record CliResult(int status, String out, String err) {

  /** Runs {@code pb} with {@code stdin} written and closed; its result within 120 s. */
  static CliResult run(ProcessBuilder pb, String stdin) throws Exception {
    Process p = pb.start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = read(p.getInputStream());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command ended within 120 s");
    return new CliResult(p.exitValue(), out, err.get());
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "<" + e + ">";
    }
  }
}
