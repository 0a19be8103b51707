package org.glasshouse.app.containers;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;

/**
 * The run panel: image, command, the level's steps as toggles, limits, user and hostname. Outside
 * free play the toggles follow the level ({@link Feature#upTo}); in free play any combination goes,
 * and the kernel's answer to a combination that cannot work is the lesson.
 */
public final class RunViewModel {
  private final ContainersViewModel containers;
  private final IntegerProperty level = new SimpleIntegerProperty(0);
  private final BooleanProperty freePlay = new SimpleBooleanProperty(false);
  private final StringProperty image = new SimpleStringProperty("busybox");

  /** What a level's Command field holds until the student types another: every guide starts so. */
  public static final String SUGGESTED_COMMAND = "/bin/sh";

  private final StringProperty command = new SimpleStringProperty(SUGGESTED_COMMAND);
  private final Map<Integer, String> commands;
  private final StringProperty memoryMib = new SimpleStringProperty("");
  private final StringProperty memorySwapMib = new SimpleStringProperty("");
  private final StringProperty cpuShares = new SimpleStringProperty("");
  private final StringProperty cpus = new SimpleStringProperty("");
  private final StringProperty pidsMax = new SimpleStringProperty("");
  // Level 09's bonus controls (v1 or v2: a control the host's cgroups lack fails the start with
  // its counterpart named) and level 07's bonus wiring.
  private final StringProperty memorySoftMib = new SimpleStringProperty("");
  private final StringProperty swappiness = new SimpleStringProperty("");
  private final StringProperty kernelMemoryMib = new SimpleStringProperty("");
  private final BooleanProperty oomKillDisable = new SimpleBooleanProperty(false);
  private final BooleanProperty oomGroup = new SimpleBooleanProperty(false);
  private final BooleanProperty bridge = new SimpleBooleanProperty(false);
  // Level 09's bonus controls fold away at the other levels: at level 12 they took the views'
  // height. Open at level 09 and in free play until the student says otherwise, per level.
  private final BooleanProperty moreMemory = new SimpleBooleanProperty(false);
  private final Map<Integer, Boolean> moreMemoryChoice = new java.util.HashMap<>();
  private static final int FREE_PLAY = -1;
  private final BooleanBinding bridgeShown;
  private final StringProperty user = new SimpleStringProperty("");
  private final StringProperty hostname = new SimpleStringProperty("");
  private final StringProperty validation = new SimpleStringProperty("");
  private final StringProperty applied = new SimpleStringProperty("");
  private final StringProperty tryItNote = new SimpleStringProperty("");
  private final BooleanProperty busy = new SimpleBooleanProperty(false);
  private final ObservableList<String> capAdd = FXCollections.observableArrayList();
  private final ObservableList<String> capDrop = FXCollections.observableArrayList();
  private final StringProperty shellNote = new SimpleStringProperty("");
  private final Map<Feature, BooleanProperty> features = new EnumMap<>(Feature.class);
  // The classic terminal size; the widget sends its real size with resize once it is laid out.
  private static final int COLS = 80;
  private static final int ROWS = 24;

  public RunViewModel(ContainersViewModel containers) {
    this(containers, new java.util.HashMap<>());
  }

  /**
   * @param commands each level's Command field where it differs from the suggestion, read and
   *     written as the student types (the app passes the preferences' map, so a restart keeps them)
   */
  public RunViewModel(ContainersViewModel containers, Map<Integer, String> commands) {
    this.containers = containers;
    this.commands = commands;
    for (Feature f : Feature.values()) {
      features.put(f, new SimpleBooleanProperty(false));
    }
    // Free play ends with its level: a Try it's free-play steps (03-nodev-off: no overlay) kept for
    // the next level ran level 04 without overlay, level 06 without a PID namespace, level 09
    // without its memory cgroup, and the toggle was the only sign. An experiment that needs free
    // play at another level sets the level first, then free play.
    level.addListener((o, a, b) -> freePlay.set(false));
    level.addListener((o, a, b) -> resetFeatures());
    command.addListener((o, a, b) -> shellNote.set(shellNote(b)));
    freePlay.addListener((o, a, b) -> resetFeatures());
    level.addListener((o, a, b) -> applyDefaults(b.intValue()));
    level.addListener((o, a, b) -> tryItNote.set(""));
    // Each level keeps its own last command: a level-12 fork bomb must not wait in the field at
    // level 03, where no pids cgroup would stop it.
    level.addListener(
        (o, a, b) -> command.set(commands.getOrDefault(b.intValue(), SUGGESTED_COMMAND)));
    command.set(commands.getOrDefault(level.get(), SUGGESTED_COMMAND));
    // Written as it changes, not when the level does: a window closed at this level keeps it too.
    command.addListener(
        (o, a, b) -> {
          if (b == null || b.strip().equals(SUGGESTED_COMMAND) || b.isBlank()) {
            commands.remove(level.get());
          } else {
            commands.put(level.get(), b);
          }
        });
    applyDefaults(level.get());
    BooleanProperty net = features.get(Feature.NET_NS);
    bridgeShown =
        Bindings.createBooleanBinding(
            () -> net.get() && (freePlay.get() || level.get() == Feature.NET_NS.level()),
            net,
            freePlay,
            level);
    moreMemory.set(moreMemoryOpen());
    Runnable recallMoreMemory = () -> moreMemory.set(moreMemoryOpen());
    level.addListener((o, a, b) -> recallMoreMemory.run());
    freePlay.addListener((o, a, b) -> recallMoreMemory.run());
    moreMemory.addListener((o, a, open) -> moreMemoryChoice.put(moreMemoryKey(), open));
    applied.bind(
        Bindings.createStringBinding(
            () -> {
              ContainerItem item = containers.selected();
              if (item == null || item.spec() == null) {
                return "";
              }
              // ps does not say an adopted container's limits: unless an earlier window of this
              // app ran it (and kept its spec), the kernel's are in Inside vs outside.
              return !item.limitsKnown()
                  ? item.shortId()
                      + " was started before this window: its limits are in Inside vs"
                      + " outside."
                  : "Applied to " + item.shortId() + ": " + AppliedLimits.describe(item.spec());
            },
            containers.selectedProperty()));
  }

  /** Puts the level's suggested command back in the Command field (and forgets the student's). */
  public void useSuggestedCommand() {
    command.set(SUGGESTED_COMMAND);
  }

  /**
   * The values a level starts with ({@link LevelDefaults}): real ones, the fields show them and Run
   * applies them; empty means none, and the field's prompt says so in words. Every other field is
   * emptied, whatever the level before held.
   */
  private void applyDefaults(int n) {
    LevelDefaults d = LevelDefaults.of(n);
    cpuShares.set(d.cpuShares());
    cpus.set("");
    memoryMib.set(d.memoryMib());
    memorySwapMib.set("");
    memorySoftMib.set("");
    swappiness.set("");
    kernelMemoryMib.set("");
    oomKillDisable.set(false);
    oomGroup.set(false);
    bridge.set(false);
    // Capabilities too: Try it 11-add-back's CAP_SYS_ADMIN stayed in Add caps for levels 12, 13.
    capAdd.clear();
    capDrop.clear();
    user.set(d.user());
    pidsMax.set(d.pidsMax());
    hostname.set("");
  }

  private int moreMemoryKey() {
    return freePlay.get() ? FREE_PLAY : level.get();
  }

  private boolean moreMemoryOpen() {
    return moreMemoryChoice.getOrDefault(
        moreMemoryKey(), freePlay.get() || level.get() == Feature.CGROUP_MEMORY.level());
  }

  /**
   * Whether the "More memory controls" group (soft limit, swappiness, kernel memory, the OOM
   * switches) is open: at level 09 and in free play until the student folds it, folded elsewhere;
   * each level (and free play) remembers the student's choice.
   */
  public BooleanProperty moreMemoryProperty() {
    return moreMemory;
  }

  /** Whether any of the "More memory controls" holds a value (folded, they still apply). */
  public boolean memoryBonusSet() {
    return !memorySoftMib.get().isBlank()
        || !swappiness.get().isBlank()
        || !kernelMemoryMib.get().isBlank()
        || oomKillDisable.get()
        || oomGroup.get();
  }

  /**
   * Whether the Bridge option shows: level 07's bonus, so at level 07 and in free play (with the
   * network step on), not at every later level.
   */
  public BooleanBinding bridgeShown() {
    return bridgeShown;
  }

  /**
   * What the last Try it changed in the panel, in one sentence (the fields it set and what they
   * held before; the others kept); empty until one runs, and again on another level.
   */
  public StringProperty tryItNoteProperty() {
    return tryItNote;
  }

  /** The limits and user the selected container was started with, in words; empty when none. */
  public ReadOnlyStringProperty appliedProperty() {
    return applied;
  }

  public IntegerProperty levelProperty() {
    return level;
  }

  /**
   * Whether {@code f} is the step the current level is about (pids at 12, capabilities at 11 …):
   * its fields and words come first. In free play no step is.
   */
  public boolean isOwnStep(Feature f) {
    return !freePlay.get() && f.level() == level.get();
  }

  public BooleanProperty freePlayProperty() {
    return freePlay;
  }

  public StringProperty imageProperty() {
    return image;
  }

  public StringProperty commandProperty() {
    return command;
  }

  public StringProperty memoryMibProperty() {
    return memoryMib;
  }

  public StringProperty memorySwapMibProperty() {
    return memorySwapMib;
  }

  public StringProperty cpuSharesProperty() {
    return cpuShares;
  }

  public StringProperty cpusProperty() {
    return cpus;
  }

  public StringProperty pidsMaxProperty() {
    return pidsMax;
  }

  /** Soft limit: v1 {@code memory.soft_limit_in_bytes}, v2 {@code memory.high}. */
  public StringProperty memorySoftMibProperty() {
    return memorySoftMib;
  }

  /** v1 {@code memory.swappiness}, 0..100. */
  public StringProperty swappinessProperty() {
    return swappiness;
  }

  /** v1 {@code memory.kmem.limit_in_bytes} (a kernel that drops it fails the start). */
  public StringProperty kernelMemoryMibProperty() {
    return kernelMemoryMib;
  }

  /**
   * v1 {@code memory.oom_control} ← 1: at the limit the group waits instead of losing a process.
   */
  public BooleanProperty oomKillDisableProperty() {
    return oomKillDisable;
  }

  /** v2 {@code memory.oom.group} ← 1: the OOM killer takes the whole group. */
  public BooleanProperty oomGroupProperty() {
    return oomGroup;
  }

  /** Level 07's bonus: a veth pair to the helper's bridge ({@code "network":"bridge"}). */
  public BooleanProperty bridgeProperty() {
    return bridge;
  }

  public StringProperty userProperty() {
    return user;
  }

  public StringProperty hostnameProperty() {
    return hostname;
  }

  /** Capabilities added back to the default set (level 11 and free play), e.g. CAP_SYS_ADMIN. */
  public ObservableList<String> capAdd() {
    return capAdd;
  }

  /** Capabilities dropped from the default set. */
  public ObservableList<String> capDrop() {
    return capDrop;
  }

  /**
   * Says how the command will run when that is not word by word: "runs as sh -c '…'" for a line
   * with a pipe, a redirection or a {@code $}; empty otherwise.
   */
  public ReadOnlyStringProperty shellNoteProperty() {
    return shellNote;
  }

  private static String shellNote(String line) {
    if (line == null || !CommandLine.needsShell(line)) {
      return "";
    }
    return "runs as: sh -c '" + line.strip().replace("'", "'\\''") + "'";
  }

  /** Why the last Run was not sent (bad input), or empty. */
  public ReadOnlyStringProperty validationProperty() {
    return validation;
  }

  public ReadOnlyBooleanProperty busyProperty() {
    return busy;
  }

  /**
   * The panel's settings in one line, for the folded run panel (presenter mode with a chart on
   * show): "level 12: 19 steps · pids max 32 · CPU shares 1024 · memory 64 MiB · … · user
   * 1000:1000". Only the fields of the steps that are on, each as Run would apply it; the level's
   * own setting first, so that a line cut at the window's edge loses the older ones.
   */
  public javafx.beans.binding.StringBinding settingsSummary() {
    List<javafx.beans.Observable> deps =
        new java.util.ArrayList<>(
            List.of(
                level,
                freePlay,
                cpuShares,
                cpus,
                memoryMib,
                memorySwapMib,
                user,
                pidsMax,
                hostname,
                capAdd,
                capDrop));
    deps.addAll(features.values());
    return Bindings.createStringBinding(
        () -> {
          Set<Feature> on = selectedFeatures();
          // Each step's words, in the steps' order; the level's own step moves to the front.
          java.util.Map<Feature, List<String>> byStep = new java.util.LinkedHashMap<>();
          if (on.contains(Feature.UTS_NS) && !hostname.get().isBlank()) {
            byStep.put(Feature.UTS_NS, List.of("hostname " + hostname.get().strip()));
          }
          if (on.contains(Feature.CGROUP_CPU)) {
            List<String> cpu = new java.util.ArrayList<>();
            cpu.add("CPU shares " + orWords(cpuShares, "", AppliedLimits.KERNEL_DEFAULT));
            if (!cpus.get().isBlank()) {
              cpu.add("CPUs " + cpus.get().strip());
            }
            byStep.put(Feature.CGROUP_CPU, cpu);
          }
          if (on.contains(Feature.CGROUP_MEMORY)) {
            List<String> memory = new java.util.ArrayList<>();
            memory.add("memory " + orWords(memoryMib, " MiB", AppliedLimits.NO_LIMIT));
            if (!memorySwapMib.get().isBlank()) {
              memory.add("mem+swap " + memorySwapMib.get().strip() + " MiB");
            }
            byStep.put(Feature.CGROUP_MEMORY, memory);
          }
          if (on.contains(Feature.SETUID)) {
            byStep.put(Feature.SETUID, List.of("user " + orWords(user, "", AppliedLimits.ROOT)));
          }
          if (on.contains(Feature.CAPABILITIES)) {
            byStep.put(Feature.CAPABILITIES, List.of(AppliedLimits.capabilities(capAdd, capDrop)));
          }
          if (on.contains(Feature.CGROUP_PIDS)) {
            byStep.put(
                Feature.CGROUP_PIDS,
                List.of("pids max " + orWords(pidsMax, "", AppliedLimits.NO_LIMIT)));
          }
          List<String> parts = new java.util.ArrayList<>();
          parts.add(
              (freePlay.get() ? "free play" : String.format("level %02d", level.get()))
                  + ": "
                  + (on.isEmpty()
                      ? "no steps, a plain child of the helper"
                      : on.size() + (on.size() == 1 ? " step" : " steps")));
          byStep.entrySet().stream()
              .filter(e -> isOwnStep(e.getKey()))
              .forEach(e -> parts.addAll(e.getValue()));
          byStep.entrySet().stream()
              .filter(e -> !isOwnStep(e.getKey()))
              .forEach(e -> parts.addAll(e.getValue()));
          return String.join(" · ", parts);
        },
        deps.toArray(javafx.beans.Observable[]::new));
  }

  private static String orWords(StringProperty p, String unit, String empty) {
    String v = p.get() == null ? "" : p.get().strip();
    return v.isEmpty() ? empty : v + unit;
  }

  /** The toggle of one step. */
  public BooleanProperty feature(Feature f) {
    return features.get(f);
  }

  /** Whether a step's toggle is shown: the level's steps, or every step in free play. */
  public BooleanBinding shown(Feature f) {
    return Bindings.createBooleanBinding(
        () -> freePlay.get() || f.level() <= level.get(), freePlay, level);
  }

  /** Whether a field that belongs to {@code f} is shown: when that step is on. */
  public BooleanBinding fieldShown(Feature f) {
    return Bindings.createBooleanBinding(() -> features.get(f).get(), features.get(f));
  }

  /** The steps that are switched on. */
  public Set<Feature> selectedFeatures() {
    EnumSet<Feature> s = EnumSet.noneOf(Feature.class);
    features.forEach(
        (f, p) -> {
          if (p.get()) {
            s.add(f);
          }
        });
    return s;
  }

  private void resetFeatures() {
    if (!freePlay.get()) {
      Set<Feature> on = Feature.upTo(level.get());
      features.forEach((f, p) -> p.set(on.contains(f)));
    }
  }

  /** The spec Run would send; throws IllegalArgumentException with a readable message. */
  public RunSpec spec() {
    List<String> argv = CommandLine.argv(command.get() == null ? "" : command.get());
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("type a command to run, e.g. /bin/sh");
    }
    Set<Feature> on = selectedFeatures();
    boolean mem = on.contains(Feature.CGROUP_MEMORY);
    Limits limits =
        new Limits(
            on.contains(Feature.CGROUP_MEMORY) ? mib(memoryMib, "memory limit") : null,
            on.contains(Feature.CGROUP_MEMORY) ? mib(memorySwapMib, "memory+swap limit") : null,
            on.contains(Feature.CGROUP_CPU) ? integer(cpuShares, "cpu shares") : null,
            on.contains(Feature.CGROUP_CPU) ? decimal(cpus, "cpus") : null,
            on.contains(Feature.CGROUP_PIDS) ? integer(pidsMax, "pids limit") : null,
            mem ? mib(memorySoftMib, "soft limit") : null,
            mem ? percent(swappiness, "swappiness") : null,
            mem && oomKillDisable.get() ? Boolean.TRUE : null,
            mem && oomGroup.get() ? Boolean.TRUE : null,
            mem ? mib(kernelMemoryMib, "kernel memory limit") : null);
    boolean anyLimit = !limits.equals(Limits.NONE);
    return RunSpec.builder()
        .image(blankToNull(image.get()))
        .argv(argv)
        .env(Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", "TERM", "xterm-256color", "HOME", "/"))
        .tty(true)
        .cols(COLS)
        .rows(ROWS)
        .level(level.get())
        .features(freePlay.get() ? on : null)
        .limits(anyLimit ? limits : null)
        .user(on.contains(Feature.SETUID) ? blankToNull(user.get()) : null)
        .hostname(on.contains(Feature.UTS_NS) ? blankToNull(hostname.get()) : null)
        .capAdd(on.contains(Feature.CAPABILITIES) && !capAdd.isEmpty() ? List.copyOf(capAdd) : null)
        .capDrop(
            on.contains(Feature.CAPABILITIES) && !capDrop.isEmpty() ? List.copyOf(capDrop) : null)
        .network(bridgeShown.get() && bridge.get() ? RunSpec.NETWORK_BRIDGE : null)
        .build();
  }

  /** Sends Run. Bad input shows in {@link #validationProperty()} and sends nothing. */
  public CompletableFuture<ContainerItem> run() {
    RunSpec spec;
    try {
      spec = spec();
    } catch (IllegalArgumentException e) {
      validation.set(e.getMessage());
      return CompletableFuture.failedFuture(e);
    }
    return run(spec);
  }

  /**
   * Runs {@code spec} as Run does (busy while it starts): a Try it's later containers run the specs
   * it read when it began, whatever the panel shows by the time the first has started.
   */
  public CompletableFuture<ContainerItem> run(RunSpec spec) {
    validation.set("");
    busy.set(true);
    return containers.run(spec, false).whenComplete((r, t) -> busy.set(false));
  }

  /** Runs a level's check command with the level's steps; see {@code LevelsViewModel}. */
  public CompletableFuture<ContainerItem> runCheck(RunSpec spec) {
    return containers.run(spec, true);
  }

  private static Long mib(StringProperty p, String what) {
    Double d = decimal(p, what);
    return d == null ? null : (long) (d * 1024 * 1024);
  }

  /** 0..100, where 0 is a value (swappiness 0: never swap this group's anonymous memory). */
  private static Integer percent(StringProperty p, String what) {
    String s = p.get() == null ? "" : p.get().strip();
    if (s.isEmpty()) {
      return null;
    }
    try {
      int v = Integer.parseInt(s);
      if (v < 0 || v > 100) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a whole number 0..100, got '" + s + "'");
    }
  }

  private static Integer integer(StringProperty p, String what) {
    String s = p.get() == null ? "" : p.get().strip();
    if (s.isEmpty()) {
      return null;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a whole number, got '" + s + "'");
    }
  }

  private static Double decimal(StringProperty p, String what) {
    String s = p.get() == null ? "" : p.get().strip();
    if (s.isEmpty()) {
      return null;
    }
    try {
      double d = Double.parseDouble(s);
      if (d <= 0) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a positive number, got '" + s + "'");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
