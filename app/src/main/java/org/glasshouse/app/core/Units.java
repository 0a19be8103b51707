package org.glasshouse.app.core;

import java.util.Locale;
import org.glasshouse.protocol.text.Bytes;

/**
 * The app's one formatter of quantities for people: bytes, durations, percentages, CPU cores, task
 * counts. Everything below the views carries numbers in absolute units (bytes, nanoseconds, cores)
 * as the helper sends them; a view, or the display rows a view-model builds for it, formats them
 * here and nowhere else, so "64.0 MiB" reads the same in every pane. Binary prefixes (KiB = 1024
 * bytes), as the kernel's cgroup files count; a decimal point is always a point. A value that is
 * not a number (a reading the kernel did not give) is written "—".
 *
 * <p>Fast enough for live charts: their legends and hover texts rewrite a few hundred numbers a
 * second, so the common cases round by hand instead of going through {@link String#format}.
 */
public final class Units {
  /** 1 KiB, 1 MiB and 1 GiB in bytes: the prefixes {@link #bytes} uses (axes scale by them too). */
  public static final long KIB = 1L << 10;

  public static final long MIB = 1L << 20;
  public static final long GIB = 1L << 30;

  /** What a value the kernel did not give reads as. */
  public static final String MISSING = "—";

  private Units() {}

  /**
   * {@code 65536} → "64.0 KiB", {@code 67108864} → "64.0 MiB"; below 1 KiB "512 B": the protocol's
   * one byte formatter ({@link Bytes#iecTenths}), which the CLI and the helper use too.
   */
  public static String bytes(long bytes) {
    return Bytes.iecTenths(bytes);
  }

  /** As {@link #bytes(long)}, for a value kept as a double (a chart's sample): rounded. */
  public static String bytes(double bytes) {
    return Double.isNaN(bytes) ? MISSING : bytes(Math.round(bytes));
  }

  /** A duration in nanoseconds: "850 µs", "12.3 ms", "1.25 s". */
  public static String duration(long nanos) {
    if (nanos >= 1_000_000_000L) {
      return fixed(nanos / 1e9, 2) + " s";
    }
    if (nanos >= 1_000_000L) {
      return fixed(nanos / 1e6, 1) + " ms";
    }
    return (nanos / 1000) + " µs";
  }

  /** A percentage: {@code 49.87} → "49.9 %". */
  public static String percent(double percent) {
    return Double.isNaN(percent) ? MISSING : fixed(percent, 1) + " %";
  }

  /** A ratio with two decimals, as CPUs from a quota: {@code 0.5} → "0.50". */
  public static String ratio(double ratio) {
    return Double.isNaN(ratio) ? MISSING : fixed(ratio, 2);
  }

  /** CPU time per wall time: {@code 0.5249} → "0.52 cores" (1 = one core busy). */
  public static String cores(double cores) {
    return Double.isNaN(cores) ? MISSING : fixed(cores, 2) + " cores";
  }

  /** A rate of time per second of wall time in ms: {@code 449.6} → "450 ms/s" (throttling). */
  public static String msPerSecond(double ms) {
    return Double.isNaN(ms) ? MISSING : fixed(ms, 0) + " ms/s";
  }

  /** A number of tasks: "1 task", "16 tasks". */
  public static String tasks(double tasks) {
    if (Double.isNaN(tasks)) {
      return MISSING;
    }
    String n = fixed(tasks, 0);
    return n + (n.equals("1") ? " task" : " tasks");
  }

  /**
   * A count of things in words, singular or plural by the number: {@code (1, "process",
   * "processes")} → "1 process", {@code (3, …)} → "3 processes" (never "1 process(es)").
   */
  public static String counted(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** A count or a dimensionless figure (cpu.shares, failcnt): {@code 512.0} → "512". */
  public static String count(double count) {
    return Double.isNaN(count) ? MISSING : fixed(count, 0);
  }

  /** Seconds before now: "now", "12 s ago", "2 min 5 s ago". */
  public static String ago(double seconds) {
    long s = Math.round(seconds);
    if (s <= 0) {
      return "now";
    }
    return s < 60 ? s + " s ago" : (s / 60) + " min " + (s % 60) + " s ago";
  }

  /**
   * {@code v} rounded to {@code decimals} (0 to 2) places, as {@code String.format("%.Nf")} writes
   * it (never a negative zero) but without its cost.
   */
  public static String fixed(double v, int decimals) {
    if (decimals < 0 || decimals > 2 || Double.isInfinite(v) || Math.abs(v) >= 1e15) {
      return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
    if (Double.isNaN(v)) {
      return MISSING;
    }
    long scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
    long r = Math.round(Math.abs(v) * scale);
    StringBuilder b = new StringBuilder(16);
    if (v < 0 && r != 0) {
      b.append('-');
    }
    b.append(r / scale);
    if (decimals > 0) {
      b.append('.');
      String frac = Long.toString(r % scale);
      for (int i = frac.length(); i < decimals; i++) {
        b.append('0');
      }
      b.append(frac);
    }
    return b.toString();
  }
}
