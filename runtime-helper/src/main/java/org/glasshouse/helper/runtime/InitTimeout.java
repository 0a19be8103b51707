package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long an init stage may take to connect and then to get to execve, and why that long.
 *
 * <p>An init stage is a JVM start: about a second on a developer's machine, 25–31 s cold in a QEMU
 * guest without KVM (minutes when the host is loaded), and anything in between on a loaded or slow
 * machine. A constant was either too short there (a false "did not connect") or far too long here
 * (a hung init found late). So the timeout is configured ({@code glasshouse helper --init-timeout
 * SECONDS} or {@code GLASSHOUSE_INIT_TIMEOUT}), or sized from this machine: a JVM is started once,
 * with the init's own options, and the timeout is {@value #FACTOR} times what that took, at least
 * {@link #FLOOR} and at most {@link #CEILING}. A sized timeout also learns: it is never less than
 * {@value #OBSERVED_FACTOR} times the slowest init the runtime has seen connect ({@link
 * #atLeastFor}), since the load that arrives after the measurement is what makes a start slow.
 *
 * @param value the timeout
 * @param basis how it was chosen, for the helper's start line and the timeout's error message
 * @param sized whether it was sized from the machine (and may grow); a configured one is kept
 */
public record InitTimeout(Duration value, String basis, boolean sized) {

  /** The environment variable that sets the timeout, in seconds. */
  public static final String ENV = "GLASSHOUSE_INIT_TIMEOUT";

  /** The shortest sized timeout: what a developer's machine has always had. */
  public static final Duration FLOOR = Duration.ofSeconds(30);

  /** The longest sized timeout: past this a start is broken, not slow. */
  public static final Duration CEILING = Duration.ofMinutes(15);

  /**
   * The timeout per second of a bare JVM start ({@code java -version}), measured at helper start.
   * Measured on the shared 2-core machine: a bare start 0.1–0.9 s (idle to load 58) and a cold
   * {@code exec} 2.5–8 s; in the TCG guest a bare start 2.2–9.1 s and a cold {@code exec} up to
   * ~150 s — up to ~45 times the bare start measured earlier, because the load moves between the
   * measurement and the start. 100 keeps a margin above that; on an idle developer machine the
   * floor decides.
   */
  static final int FACTOR = 100;

  /** The timeout per second of the slowest init connect seen so far. */
  static final int OBSERVED_FACTOR = 3;

  private static volatile InitTimeout measured;

  public InitTimeout {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("the init timeout must be positive: " + value);
    }
  }

  /** A timeout set by the user. */
  public static InitTimeout configured(Duration value, String how) {
    return new InitTimeout(value, "set by " + how, false);
  }

  /** The timeout for a machine where a bare JVM starts in {@code jvmStart}. */
  static InitTimeout sized(Duration jvmStart) {
    Duration d = jvmStart.multipliedBy(FACTOR);
    d = d.compareTo(FLOOR) < 0 ? FLOOR : d.compareTo(CEILING) > 0 ? CEILING : d;
    return new InitTimeout(
        Duration.ofSeconds((d.toMillis() + 999) / 1000),
        String.format(
            Locale.ROOT,
            "sized from this machine: a JVM starts here in %.2f s",
            jvmStart.toNanos() / 1e9),
        true);
  }

  /**
   * This timeout, raised to {@value #OBSERVED_FACTOR} times {@code slowestConnect} (at most {@link
   * #CEILING}) when it is sized and that is longer; a configured one as it is.
   *
   * @param slowestConnect the longest an init stage of this runtime took from spawn to connect
   */
  public InitTimeout atLeastFor(Duration slowestConnect) {
    Duration d = slowestConnect.multipliedBy(OBSERVED_FACTOR);
    if (!sized || d.compareTo(value) <= 0) {
      return this;
    }
    d = d.compareTo(CEILING) > 0 ? CEILING : d;
    return new InitTimeout(
        Duration.ofSeconds((d.toMillis() + 999) / 1000),
        String.format(
            Locale.ROOT,
            "%s; an init here took %.1f s to connect",
            basis,
            slowestConnect.toNanos() / 1e9),
        true);
  }

  /**
   * {@code GLASSHOUSE_INIT_TIMEOUT} from {@code env} when set, else sized from a JVM start of
   * {@code java} with {@code jvmOptions} (measured once per process).
   *
   * @throws IllegalArgumentException when the variable is not a positive number of seconds
   */
  public static InitTimeout forThisMachine(
      Map<String, String> env, String java, List<String> jvmOptions) {
    String v = env.get(ENV);
    if (v != null && !v.isBlank()) {
      return configured(parseSeconds(v, ENV), ENV);
    }
    InitTimeout m = measured;
    if (m == null) {
      synchronized (InitTimeout.class) {
        if (measured == null) {
          measured = measure(java, jvmOptions);
        }
        m = measured;
      }
    }
    return m;
  }

  /** A number of seconds from the user, 1 to 86400. */
  public static Duration parseSeconds(String text, String what) {
    String t = text.trim();
    if (!t.matches("[0-9]{1,5}") || Long.parseLong(t) < 1 || Long.parseLong(t) > 86_400) {
      throw new IllegalArgumentException(
          what + " must be a number of seconds from 1 to 86400, not '" + text + "'");
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }

  /**
   * Starts {@code java -version} with the init's options and sizes from how long it took; a JVM
   * that cannot be started is no measure, so then the floor is used and the basis says why.
   */
  static InitTimeout measure(String java, List<String> jvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(jvmOptions);
    cmd.add("-version");
    long t0 = System.nanoTime();
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(CEILING.toSeconds() / FACTOR, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new InitTimeout(
            CEILING, "sized from this machine: a JVM took too long to start", true);
      }
      if (p.exitValue() != 0) {
        return new InitTimeout(FLOOR, "the default: " + java + " -version failed", true);
      }
    } catch (IOException e) {
      return new InitTimeout(FLOOR, "the default: " + java + " could not be started", true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new InitTimeout(FLOOR, "the default: interrupted while measuring a JVM start", true);
    }
    return sized(Duration.ofNanos(System.nanoTime() - t0));
  }

  /** {@code 30 s (sized from this machine: …)}. */
  @Override
  public String toString() {
    return value.toSeconds() + " s (" + basis + ")";
  }
}
