package org.glasshouse.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;

/**
 * The options of {@code glasshouse run}, parsed into a {@link RunSpec}. Flags follow docker's where
 * docker has them ({@code -e -w -t -d --rm --name --hostname --user --memory --memory-swap
 * --cpu-shares --cpus --pids-limit/--pids-max --cap-add --cap-drop --network --memory-reservation
 * --memory-swappiness --oom-kill-disable --kernel-memory}); {@code -i} is the image, {@code
 * --oom-group} (v2's memory.oom.group) has no docker counterpart.
 */
final class RunOptions {
  String image;
  Integer level;
  final Map<String, String> env = new LinkedHashMap<>();
  String workdir;
  boolean tty;
  boolean detach;
  boolean rm;
  String name;
  String hostname;
  String user;
  Long memory;
  Long memorySwap;
  Integer cpuShares;
  Double cpus;
  Integer pidsMax;
  Long memoryReservation;
  Integer memorySwappiness;
  boolean oomKillDisable;
  boolean oomGroup;
  Long kernelMemory;
  String network;
  final List<String> capAdd = new ArrayList<>();
  final List<String> capDrop = new ArrayList<>();
  final Set<Feature> added = EnumSet.noneOf(Feature.class);
  final Set<Feature> removed = EnumSet.noneOf(Feature.class);
  final List<String> argv = new ArrayList<>();

  static final String USAGE =
      "usage: glasshouse run [-i IMAGE] [--level N] [-e K=V]… [-w DIR] [-t] [-d] [--rm]"
          + " [--name NAME] [--hostname H] [--user U[:G]] [--memory 64m] [--memory-swap 150m]"
          + " [--cpu-shares N] [--cpus 0.5] [--pids-max N] [--cap-add C] [--cap-drop C]"
          + " [--network none|bridge] [--memory-reservation 32m] [--memory-swappiness 0..100]"
          + " [--oom-kill-disable] [--oom-group] [--kernel-memory 16m]"
          + " [--feature F]… [--no-FEATURE]… -- CMD ARGS…";

  static RunOptions parse(List<String> args, Map<String, String> localEnv) throws UsageException {
    RunOptions o = new RunOptions();
    int i = 0;
    for (; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        i++;
        break;
      }
      if (!a.startsWith("-")) {
        break;
      }
      switch (a) {
        case "-i", "--image" -> o.image = value(args, ++i, a);
        case "--level" -> o.level = integer(value(args, ++i, a), a, 0, Feature.MAX_LEVEL);
        case "-e", "--env" -> o.env(value(args, ++i, a), localEnv);
        case "-w", "--workdir" -> o.workdir = value(args, ++i, a);
        case "-t", "--tty" -> o.tty = true;
        case "-d", "--detach" -> o.detach = true;
        case "--rm" -> o.rm = true;
        case "--name" -> o.name = value(args, ++i, a);
        case "--hostname", "-h" -> o.hostname = value(args, ++i, a);
        case "--user", "-u" -> o.user = value(args, ++i, a);
        case "--memory", "-m" -> o.memory = size(value(args, ++i, a), a);
        case "--memory-swap" -> o.memorySwap = size(value(args, ++i, a), a);
        case "--cpu-shares", "-c" -> o.cpuShares = integer(value(args, ++i, a), a, 2, 262144);
        case "--cpus" -> o.cpus = cpus(value(args, ++i, a));
        case "--pids-max", "--pids-limit" ->
            o.pidsMax = integer(value(args, ++i, a), a, 1, 4194304);
        case "--network", "--net" -> o.network = network(value(args, ++i, a));
        case "--memory-reservation" -> o.memoryReservation = size(value(args, ++i, a), a);
        case "--memory-swappiness" -> o.memorySwappiness = integer(value(args, ++i, a), a, 0, 100);
        case "--oom-kill-disable" -> o.oomKillDisable = true;
        case "--oom-group" -> o.oomGroup = true;
        case "--kernel-memory" -> o.kernelMemory = size(value(args, ++i, a), a);
        case "--cap-add" -> o.capAdd.add(value(args, ++i, a));
        case "--cap-drop" -> o.capDrop.add(value(args, ++i, a));
        case "--feature" -> o.added.add(feature(value(args, ++i, a)));
        default -> {
          if (a.startsWith("--no-")) {
            o.removed.add(feature(a.substring("--no-".length())));
          } else {
            throw new UsageException("unknown option '" + a + "' (" + USAGE + ")");
          }
        }
      }
    }
    o.argv.addAll(args.subList(Math.min(i, args.size()), args.size()));
    if (o.argv.isEmpty()) {
      throw new UsageException("no command given (" + USAGE + ")");
    }
    return o;
  }

  RunSpec spec() {
    Set<Feature> features = null;
    Integer specLevel = level;
    if (!added.isEmpty() || !removed.isEmpty()) {
      // Free play: the level's features, plus and minus what was asked, as an explicit set.
      features = EnumSet.noneOf(Feature.class);
      features.addAll(Feature.upTo(level == null ? 0 : level));
      features.addAll(added);
      features.removeAll(removed);
      specLevel = null;
    }
    int[] size = tty ? Terminal.size() : null;
    Limits all =
        new Limits(
            memory,
            memorySwap,
            cpuShares,
            cpus,
            pidsMax,
            memoryReservation,
            memorySwappiness,
            oomKillDisable ? Boolean.TRUE : null,
            oomGroup ? Boolean.TRUE : null,
            kernelMemory);
    Limits limits = all.equals(Limits.NONE) ? null : all;
    boolean needsImage = features != null ? !features.isEmpty() : level != null && level > 0;
    return new RunSpec(
        image == null && needsImage ? "busybox" : image,
        List.copyOf(argv),
        Map.copyOf(env),
        workdir,
        tty,
        size == null ? null : size[0],
        size == null ? null : size[1],
        specLevel,
        features,
        limits,
        user,
        hostname,
        name,
        rm,
        capAdd.isEmpty() ? null : List.copyOf(capAdd),
        capDrop.isEmpty() ? null : List.copyOf(capDrop),
        network);
  }

  private static String network(String s) throws UsageException {
    if (!s.equals(RunSpec.NETWORK_BRIDGE) && !s.equals(RunSpec.NETWORK_NONE)) {
      throw new UsageException("--network must be none or bridge, got '" + s + "'");
    }
    return s;
  }

  private void env(String kv, Map<String, String> localEnv) throws UsageException {
    int eq = kv.indexOf('=');
    if (eq == 0) {
      throw new UsageException("-e needs NAME=VALUE, got '" + kv + "'");
    }
    if (eq < 0) {
      // docker's rule: -e NAME alone passes the local value, when there is one.
      String v = localEnv.get(kv);
      if (v != null) {
        env.put(kv, v);
      }
      return;
    }
    env.put(kv.substring(0, eq), kv.substring(eq + 1));
  }

  static String value(List<String> args, int i, String option) throws UsageException {
    if (i >= args.size()) {
      throw new UsageException("option " + option + " needs a value");
    }
    return args.get(i);
  }

  static int integer(String s, String option, int min, int max) throws UsageException {
    try {
      int v = Integer.parseInt(s);
      if (v < min || v > max) {
        throw new UsageException(option + " must be between " + min + " and " + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " needs a whole number, got '" + s + "'");
    }
  }

  /** docker's sizes: a number of bytes with an optional b, k, m or g suffix (powers of 1024). */
  static long size(String s, String option) throws UsageException {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    if (!t.isEmpty()) {
      char c = t.charAt(t.length() - 1);
      unit =
          switch (c) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
          };
      if (unit != 1) {
        t = t.substring(0, t.length() - 1);
      }
    }
    try {
      long v = Long.parseLong(t);
      if (v <= 0 || v > (1L << 42) / unit) {
        throw new UsageException(option + " is out of range: " + s);
      }
      return v * unit;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " needs a size like 64m or 1g, got '" + s + "'");
    }
  }

  private static double cpus(String s) throws UsageException {
    try {
      double v = Double.parseDouble(s);
      if (!(v > 0 && v <= 1024)) {
        throw new UsageException("--cpus must be greater than 0 and at most 1024");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("--cpus needs a number like 0.5, got '" + s + "'");
    }
  }

  private static Feature feature(String name) throws UsageException {
    try {
      return Feature.fromWireName(name);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
