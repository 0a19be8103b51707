package org.glasshouse.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options of {@code glasshouse run}, turned into a {@link RunSpec}. Flags follow docker's where
 * docker has them ({@code -e -w -t -d --rm --name -h/--hostname -u/--user -m/--memory --memory-swap
 * -c/--cpu-shares --cpus --pids-limit --cap-add --cap-drop --network/--net --memory-reservation
 * --memory-swappiness --oom-kill-disable --kernel-memory}); {@code -i} is the image, {@code
 * --oom-group} (v2's memory.oom.group) has no docker counterpart. An option is one annotated field
 * here plus its line in {@link #spec}: the help, the completion and the man page's test pick it up.
 */
final class RunOptions {

  @Option(
      names = {"-i", "--image"},
      paramLabel = "IMAGE",
      description = "the image (default: busybox from level 01 on, none at level 00)")
  String image;

  @Option(
      names = {"-l", "--level"},
      paramLabel = "N",
      converter = Converters.Level.class,
      description = "0 to 13: which isolation steps run (default 0)")
  Integer level;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "NAME[=VALUE]",
      description = "set a variable; NAME alone passes this shell's value, when it has one")
  final List<String> env = new ArrayList<>();

  @Option(
      names = {"-w", "--workdir"},
      paramLabel = "DIR",
      description = "the command's working directory")
  String workdir;

  @Option(
      names = {"-t", "--tty"},
      description = "a pseudo-terminal: this terminal in raw mode, its size followed")
  boolean tty;

  @Option(
      names = {"-d", "--detach"},
      description = "start it, print its id and return")
  boolean detach;

  @Option(names = "--rm", description = "remove the container once it has exited")
  boolean rm;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "its name, for ps, rm, exec… (default: the helper picks one)")
  String name;

  @Option(
      names = {"-h", "--hostname"},
      paramLabel = "NAME",
      description = "its hostname (needs the UTS namespace, level 05; default: its id)")
  String hostname;

  @Option(
      names = {"-u", "--user"},
      paramLabel = "UID[:GID]",
      description = "run the command as this user (level 10)")
  String user;

  @Option(
      names = {"-m", "--memory"},
      paramLabel = "SIZE",
      converter = Converters.Size.class,
      description = "memory limit, e.g. 64m (level 09)")
  Long memory;

  @Option(
      names = "--memory-swap",
      paramLabel = "SIZE",
      converter = Converters.Size.class,
      description = "memory+swap limit, e.g. 150m (level 09)")
  Long memorySwap;

  @Option(
      names = {"-c", "--cpu-shares"},
      paramLabel = "N",
      converter = Converters.CpuShares.class,
      description = "relative CPU weight, 2 to 262144 (v1 cpu.shares; level 08)")
  Integer cpuShares;

  @Option(
      names = "--cpus",
      paramLabel = "N",
      converter = Converters.Cpus.class,
      description = "CPU quota in CPUs, e.g. 0.5 (level 08)")
  Double cpus;

  @Option(
      names = {"--pids-max", "--pids-limit"},
      paramLabel = "N",
      converter = Converters.PidsMax.class,
      description = "at most N processes (level 12)")
  Integer pidsMax;

  @Option(
      names = {"--network", "--net"},
      paramLabel = "none|bridge",
      converter = Converters.Network.class,
      completionCandidates = Converters.NetworkNames.class,
      description =
          "none: only the namespace's loopback (default); bridge: a veth to the helper's bridge")
  String network;

  @Option(
      names = "--memory-reservation",
      paramLabel = "SIZE",
      converter = Converters.Size.class,
      description = "memory soft limit, e.g. 32m (level 09)")
  Long memoryReservation;

  @Option(
      names = "--memory-swappiness",
      paramLabel = "N",
      converter = Converters.Swappiness.class,
      description = "0 to 100: how readily its memory is swapped (v1 memory.swappiness; level 09)")
  Integer memorySwappiness;

  @Option(
      names = "--oom-kill-disable",
      description = "the OOM killer leaves it alone; at its limit it waits (v1; level 09)")
  boolean oomKillDisable;

  @Option(
      names = "--oom-group",
      description = "an OOM kill takes the whole group (v2 memory.oom.group; level 09)")
  boolean oomGroup;

  @Option(
      names = "--kernel-memory",
      paramLabel = "SIZE",
      converter = Converters.Size.class,
      description = "kernel memory limit, e.g. 16m (v1 memory.kmem.limit_in_bytes; level 09)")
  Long kernelMemory;

  @Option(
      names = "--cap-add",
      paramLabel = "CAP",
      description = "keep this capability too (level 11), e.g. NET_ADMIN")
  final List<String> capAdd = new ArrayList<>();

  @Option(
      names = "--cap-drop",
      paramLabel = "CAP",
      description = "drop this capability too (level 11)")
  final List<String> capDrop = new ArrayList<>();

  @Option(
      names = "--feature",
      paramLabel = "FEATURE",
      converter = Converters.FeatureName.class,
      completionCandidates = Converters.FeatureNames.class,
      description = "free play: add this step to the level's (--no-FEATURE leaves one out)")
  final Set<Feature> added = EnumSet.noneOf(Feature.class);

  /** Filled by the {@code --no-FEATURE} switches {@link #addFeatureSwitches} declares. */
  final Set<Feature> removed = EnumSet.noneOf(Feature.class);

  @Parameters(
      arity = "1..*",
      paramLabel = "CMD",
      description = "the command and its arguments (after -- when it starts with -)")
  final List<String> argv = new ArrayList<>();

  /**
   * One {@code --no-FEATURE} switch per feature (free play: leave that step out), declared from
   * {@link Feature} so a new step gets its switch, its help line and its completion with no edit.
   */
  static void addFeatureSwitches(CommandSpec run) {
    RunOptions o = ((RunCommand) run.userObject()).options;
    for (Feature f : Feature.values()) {
      run.addOption(
          OptionSpec.builder("--no-" + f.wireName())
              .arity("0")
              .type(boolean.class)
              // Not String.format: its Formatter loads the locale data, ~20 ms of every run.
              .description(
                  "free play: leave out "
                      + f.wireName()
                      + " (level "
                      + (f.level() < 10 ? "0" : "")
                      + f.level()
                      + ")")
              .setter(
                  new CommandLine.Model.ISetter() {
                    @Override
                    public <T> T set(T value) {
                      if (Boolean.TRUE.equals(value)) {
                        o.removed.add(f);
                      }
                      return null;
                    }
                  })
              .build());
    }
  }

  /**
   * Parses {@code run}'s arguments alone (the tests' way in).
   *
   * @throws UsageException with picocli's sentence when they are wrong
   */
  static RunOptions parse(List<String> args, Map<String, String> localEnv) throws UsageException {
    CommandLine cl = Main.commandLine();
    List<String> all = new ArrayList<>();
    all.add("run");
    all.addAll(args);
    try {
      cl.parseArgs(all.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(e.getMessage());
    }
    RunOptions o = ((RunCommand) cl.getSubcommands().get("run").getCommand()).options;
    o.localEnv = localEnv;
    return o;
  }

  /** This shell's environment, for {@code -e NAME}. */
  Map<String, String> localEnv = System.getenv();

  RunSpec spec() throws UsageException {
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
    // Not all.equals(Limits.NONE): a record's first equals() spins its method handles (~50
    // classes, tens of ms of a fresh CLI JVM, issue 16) to find what these fields say at once.
    boolean anyLimit =
        memory != null
            || memorySwap != null
            || cpuShares != null
            || cpus != null
            || pidsMax != null
            || memoryReservation != null
            || memorySwappiness != null
            || oomKillDisable
            || oomGroup
            || kernelMemory != null;
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
    Limits limits = anyLimit ? all : null;
    boolean needsImage = features != null ? !features.isEmpty() : level != null && level > 0;
    return RunSpec.builder()
        .image(image == null && needsImage ? "busybox" : image)
        .argv(List.copyOf(argv))
        .env(Map.copyOf(environment()))
        .workdir(workdir)
        .tty(tty)
        .cols(size == null ? null : size[0])
        .rows(size == null ? null : size[1])
        .level(specLevel)
        .features(features)
        .limits(limits)
        .user(user)
        .hostname(hostname)
        .name(name)
        .rm(rm)
        .capAdd(capAdd.isEmpty() ? null : List.copyOf(capAdd))
        .capDrop(capDrop.isEmpty() ? null : List.copyOf(capDrop))
        .network(network)
        .build();
  }

  /** {@code -e} as docker reads it: NAME=VALUE, or NAME alone for this shell's value. */
  private Map<String, String> environment() throws UsageException {
    return environment(env, localEnv);
  }

  /**
   * {@code -e} of {@code run} and {@code exec}, as docker reads it: NAME=VALUE, or NAME alone for
   * {@code local}'s value (left out when it has none); in their order, a later one winning.
   */
  static Map<String, String> environment(List<String> env, Map<String, String> local)
      throws UsageException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : env) {
      int eq = kv.indexOf('=');
      if (eq == 0) {
        throw new UsageException("-e needs NAME=VALUE, got '" + kv + "'");
      }
      if (eq < 0) {
        String v = local.get(kv);
        if (v != null) {
          m.put(kv, v);
        }
      } else {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return m;
  }
}
