package org.glasshouse.cli;

import java.time.Duration;
import java.util.Locale;
import org.glasshouse.helper.runtime.InitTimeout;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values checked as they are parsed, so a bad one is a usage error (status 2) naming the
 * option: {@code Invalid value for option '--level': must be a whole number from 0 to 13, got
 * '14'}. A new option with a range needs one small class here and its name in the annotation.
 */
final class Converters {

  private Converters() {}

  static int whole(String s, int min, int max) {
    try {
      int v = Integer.parseInt(s.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // The same sentence as for a number out of range.
    }
    throw new TypeConversionException(
        "must be a whole number from " + min + " to " + max + ", got '" + s + "'");
  }

  /** {@code --level}: 0 to {@link Feature#MAX_LEVEL}. */
  static final class Level implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String s) {
      return whole(s, 0, Feature.MAX_LEVEL);
    }
  }

  /** cgroup v1 cpu.shares' range. */
  static final class CpuShares implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String s) {
      return whole(s, 2, 262144);
    }
  }

  /** pids.max: 1 to the kernel's pid_max limit. */
  static final class PidsMax implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String s) {
      return whole(s, 1, 4194304);
    }
  }

  /** {@code --memory-swappiness}: memory.swappiness' range. */
  static final class Swappiness implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String s) {
      return whole(s, 0, 100);
    }
  }

  /** {@code --network}: {@code none} or {@code bridge}. */
  static final class Network implements ITypeConverter<String> {
    @Override
    public String convert(String s) {
      if (!s.equals(RunSpec.NETWORK_BRIDGE) && !s.equals(RunSpec.NETWORK_NONE)) {
        throw new TypeConversionException("must be none or bridge, got '" + s + "'");
      }
      return s;
    }
  }

  /** {@code --network}'s values, for completion. */
  static final class NetworkNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.List.of(RunSpec.NETWORK_NONE, RunSpec.NETWORK_BRIDGE).iterator();
    }
  }

  /** {@code --init-timeout}: a number of seconds, 1 to 86400 ({@link InitTimeout#parseSeconds}). */
  static final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String s) {
      try {
        // Unnamed: picocli's sentence already names the option.
        return InitTimeout.parseSeconds(s, "");
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage().strip());
      }
    }
  }

  /** A count of seconds or minutes for the benchmarks: at least 1. */
  static final class Positive implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String s) {
      return whole(s, 1, Integer.MAX_VALUE);
    }
  }

  /** docker's sizes: a number of bytes with an optional b, k, m or g suffix (powers of 1024). */
  static final class Size implements ITypeConverter<Long> {
    @Override
    public Long convert(String s) {
      return size(s);
    }
  }

  static long size(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    if (!t.isEmpty()) {
      unit =
          switch (t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
          };
      if (unit != 1) {
        t = t.substring(0, t.length() - 1);
      }
    }
    long v;
    try {
      v = Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("needs a size like 64m or 1g, got '" + s + "'");
    }
    if (v <= 0 || v > (1L << 42) / unit) {
      throw new TypeConversionException("is out of range (1 byte to 4t): " + s);
    }
    return v * unit;
  }

  /** {@code --cpus}: more than 0, at most 1024. */
  static final class Cpus implements ITypeConverter<Double> {
    @Override
    public Double convert(String s) {
      double v;
      try {
        v = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("needs a number like 0.5, got '" + s + "'");
      }
      if (!(v > 0 && v <= 1024)) {
        throw new TypeConversionException("must be greater than 0 and at most 1024, got " + s);
      }
      return v;
    }
  }

  /** The wire names of the features, for completion and the help. */
  static final class FeatureNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(Feature.values()).map(Feature::wireName).iterator();
    }
  }

  /** A feature by its wire name ({@code pivot-root}). */
  static final class FeatureName implements ITypeConverter<Feature> {
    @Override
    public Feature convert(String s) {
      try {
        return Feature.fromWireName(s);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
