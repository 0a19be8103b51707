package org.glasshouse.app.levels;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.Property;
import javafx.beans.property.StringProperty;
import org.glasshouse.app.containers.AppliedLimits;
import org.glasshouse.app.containers.RunViewModel;
import org.glasshouse.app.core.Navigator.View;
import org.glasshouse.protocol.Feature;

/**
 * The guides' experiments as one-click actions. A guide's experiment bullet ends in its id ({@code
 * {#02-tmpfs}}); this table says what "Try it" sets in the run panel (level, steps in free play,
 * command exactly as the guide writes it, and the fields its lesson needs), how many containers it
 * starts, and which view shows the effect. {@code GuideExperimentsTest} (root) runs every one on
 * the real kernel and asserts its effect; a guide bullet with an id missing here or there fails.
 *
 * <p>An experiment sets only the fields its lesson depends on ({@link TryIt#settings}); every other
 * field keeps what the student (or the level's defaults) put there, and the run panel says what Try
 * it changed ({@link #apply}). A field the lesson needs empty ("no limit", "root") is set to empty
 * on purpose: level 11's {@code hostname x} must fail as root, not as the level's default user.
 */
public final class Experiments {

  /** A run panel field an experiment can set. */
  public enum Setting {
    CPU_SHARES("CPU shares", "", AppliedLimits.KERNEL_DEFAULT, RunViewModel::cpuSharesProperty),
    CPUS("CPUs", "", AppliedLimits.NO_QUOTA, RunViewModel::cpusProperty),
    MEMORY("memory", " MiB", AppliedLimits.NO_LIMIT, RunViewModel::memoryMibProperty),
    MEMORY_SWAP("mem+swap", " MiB", AppliedLimits.NO_LIMIT, RunViewModel::memorySwapMibProperty),
    SOFT("soft limit", " MiB", AppliedLimits.NO_LIMIT, RunViewModel::memorySoftMibProperty),
    SWAPPINESS("swappiness", "", AppliedLimits.KERNEL_DEFAULT, RunViewModel::swappinessProperty),
    KERNEL_MEMORY(
        "kernel memory", " MiB", AppliedLimits.NO_LIMIT, RunViewModel::kernelMemoryMibProperty),
    OOM_KILL_DISABLE("OOM killer off", null, null, RunViewModel::oomKillDisableProperty),
    OOM_GROUP("OOM group", null, null, RunViewModel::oomGroupProperty),
    PIDS_MAX("pids max", "", AppliedLimits.NO_LIMIT, RunViewModel::pidsMaxProperty),
    USER("user", "", AppliedLimits.ROOT, RunViewModel::userProperty),
    HOSTNAME("hostname", "", AppliedLimits.CONTAINER_ID, RunViewModel::hostnameProperty),
    BRIDGE("bridge", null, null, RunViewModel::bridgeProperty);

    private final String label;
    private final String unit;
    private final String empty;
    private final Function<RunViewModel, ? extends Property<?>> field;

    /**
     * @param label as the run panel's summary writes it
     * @param unit after a value, or null for an on/off field
     * @param empty what an empty field means
     * @param field the run panel's property it reads and writes (a BooleanProperty for an on/off
     *     field, else a StringProperty)
     */
    Setting(
        String label,
        String unit,
        String empty,
        Function<RunViewModel, ? extends Property<?>> field) {
      this.label = label;
      this.unit = unit;
      this.empty = empty;
      this.field = field;
    }

    private boolean onOff() {
      return unit == null;
    }

    /** The field's value as text: "" for empty, "true"/"false" for an on/off field. */
    String get(RunViewModel run) {
      Object v = field.apply(run).getValue();
      return v instanceof Boolean b ? String.valueOf(b) : (String) v;
    }

    void set(RunViewModel run, String v) {
      if (field.apply(run) instanceof BooleanProperty b) {
        b.set(Boolean.parseBoolean(v));
      } else {
        ((StringProperty) field.apply(run)).set(v);
      }
    }

    /** "memory 16 MiB", "user: root (0:0)", "OOM killer off" / "OOM killer off: no". */
    String describe(String v) {
      if (onOff()) {
        return Boolean.parseBoolean(v) ? label : label + ": no";
      }
      return v == null || v.isBlank() ? label + ": " + empty : label + " " + v.strip() + unit;
    }

    /** The value alone, for "(was …)". */
    String value(String v) {
      if (onOff()) {
        return Boolean.parseBoolean(v) ? "on" : "off";
      }
      return v == null || v.isBlank() ? empty : v.strip() + unit;
    }
  }

  /**
   * One experiment.
   *
   * @param id as in the guide
   * @param level the level it runs at
   * @param features the steps in free play, or null for exactly the level's steps
   * @param command the Command field's text
   * @param settings the fields its lesson needs, each with its value ("" for empty: no limit,
   *     root); the fields not named keep the student's values
   * @param capAdd capabilities added back (and none dropped), or null to keep the student's
   * @param copies how many containers to start with it (2: side by side)
   * @param secondShares the second container's CPU shares, or null for the same
   * @param view where the effect shows, or null (the terminal)
   * @param debianCommand the command when the image is debian, or null for the same
   */
  public record TryIt(
      String id,
      int level,
      Set<Feature> features,
      String command,
      Map<Setting, String> settings,
      List<String> capAdd,
      int copies,
      String secondShares,
      View view,
      String debianCommand) {

    public TryIt {
      EnumMap<Setting, String> copy = new EnumMap<>(Setting.class);
      copy.putAll(settings);
      settings = Collections.unmodifiableMap(copy);
    }

    static TryIt at(String id, int level, String command, View view) {
      return new TryIt(
          id, level, null, command, new EnumMap<>(Setting.class), null, 1, null, view, null);
    }

    private TryIt with(Setting s, String v) {
      EnumMap<Setting, String> m = new EnumMap<>(Setting.class);
      m.putAll(settings);
      m.put(s, v);
      return new TryIt(
          id, level, features, command, m, capAdd, copies, secondShares, view, debianCommand);
    }

    private TryIt caps(List<String> add) {
      Set<Feature> f =
          features == null && !add.isEmpty() ? EnumSet.copyOf(Feature.upTo(level)) : features;
      return new TryIt(
          id, level, f, command, settings, add, copies, secondShares, view, debianCommand);
    }

    /** The value it sets for a field, or null when it keeps the student's. */
    public String setting(Setting s) {
      return settings.get(s);
    }

    /** Level 07's bonus: wired to the helper's bridge. Every level-07 experiment says which. */
    TryIt bridged() {
      return with(Setting.BRIDGE, "true");
    }

    /** No bridge: {@code ip link} must show only {@code lo}. */
    TryIt unbridged() {
      return with(Setting.BRIDGE, "false");
    }

    /** Level 09's bonus controls; null or false leaves one at its neutral value. */
    TryIt memoryBonus(
        String softMib, String swappiness, boolean oomOff, boolean oomGroup, String kernelMib) {
      return with(Setting.SOFT, orEmpty(softMib))
          .with(Setting.SWAPPINESS, orEmpty(swappiness))
          .with(Setting.OOM_KILL_DISABLE, String.valueOf(oomOff))
          .with(Setting.OOM_GROUP, String.valueOf(oomGroup))
          .with(Setting.KERNEL_MEMORY, orEmpty(kernelMib));
    }

    /** The command when the run panel's image is debian (stress-ng instead of a busybox loop). */
    TryIt onDebian(String cmd) {
      return new TryIt(
          id, level, features, command, settings, capAdd, copies, secondShares, view, cmd);
    }

    /** The Command field's text for {@code image}: the debian command there, when it has one. */
    public String commandFor(String image) {
      return "debian".equals(image) && debianCommand != null ? debianCommand : command;
    }

    /** In free play: the level's steps without these. */
    TryIt without(Feature... off) {
      Set<Feature> f = EnumSet.noneOf(Feature.class);
      f.addAll(features == null ? Feature.upTo(level) : features);
      f.removeAll(List.of(off));
      return new TryIt(
          id, level, f, command, settings, capAdd, copies, secondShares, view, debianCommand);
    }

    /**
     * The memory limit and memory+swap ({@code null}: no limit) — and the rest of the memory group
     * at neutral values, since a soft limit, a kernel limit or the OOM killer switched off from an
     * earlier experiment would change what a memory lesson shows.
     */
    TryIt memory(String mib, String swapMib) {
      return with(Setting.MEMORY, mib)
          .with(Setting.MEMORY_SWAP, orEmpty(swapMib))
          .memoryBonus(null, null, false, false, null);
    }

    /** CPU shares and CPUs; null keeps the student's value, "" clears it. */
    TryIt cpu(String shares, String cpuCount) {
      TryIt t = this;
      if (shares != null) {
        t = t.with(Setting.CPU_SHARES, shares);
      }
      if (cpuCount != null) {
        t = t.with(Setting.CPUS, cpuCount);
      }
      return t;
    }

    TryIt pids(String max) {
      return with(Setting.PIDS_MAX, max);
    }

    TryIt user(String u) {
      return with(Setting.USER, u);
    }

    /**
     * As root with the level's capability set: the lesson of levels 11 and 13 is what root cannot
     * do there, which a user the student typed (such as level 10's 1000:1000) or a capability the
     * student added would hide.
     */
    TryIt asRoot() {
      return with(Setting.USER, "").caps(capAdd == null ? List.of() : capAdd);
    }

    /** The hostname the helper gives (the container's id): the lesson prints it. */
    TryIt ownHostname() {
      return with(Setting.HOSTNAME, "");
    }

    TryIt add(String cap) {
      return caps(List.of(cap));
    }

    TryIt twice(String otherShares) {
      return new TryIt(
          id, level, features, command, settings, capAdd, 2, otherShares, view, debianCommand);
    }

    /**
     * Whether what its command prints is the lesson (ls /, id, hostname, env, an escape's words):
     * the terminal then keeps its rows in presenter mode rather than yield them to the view brought
     * to the front, which showed the last three lines, the shell's banner, and not the output. Not
     * for the charts' loads, a plain shell (its banner alone) or one of {@link #PRINT_NOTHING}.
     */
    public boolean printsTheLesson() {
      return view != View.CHARTS && !"/bin/sh".equals(command) && !PRINT_NOTHING.contains(id);
    }

    /** Whether it needs free play (steps other than the level's, or capabilities added). */
    public boolean freePlay() {
      return features != null;
    }

    /** What Try it does, in words, for its tooltip. */
    public String summary() {
      StringBuilder sb = new StringBuilder("Runs ");
      sb.append(copies == 2 ? "two containers: " : "").append(command);
      sb.append(String.format(" at level %02d", level));
      if (features != null) {
        Set<Feature> off = EnumSet.copyOf(Feature.upTo(level));
        off.removeAll(features);
        sb.append(" in free play");
        off.forEach(f -> sb.append(", without ").append(f.wireName()));
      }
      settings.forEach(
          (s, v) -> {
            // Neutral on/off values and empty bonus fields say nothing to a reader of the tooltip.
            if ((s.onOff() && !Boolean.parseBoolean(v))
                || (v.isEmpty()
                    && (s == Setting.SOFT
                        || s == Setting.SWAPPINESS
                        || s == Setting.KERNEL_MEMORY
                        || s == Setting.HOSTNAME))) {
              return;
            }
            sb.append(", ").append(s.describe(v));
            if (s == Setting.CPU_SHARES && secondShares != null) {
              sb.append(" and ").append(secondShares);
            }
          });
      if (capAdd != null) {
        capAdd.forEach(c -> sb.append(", adding ").append(c));
      }
      if (debianCommand != null) {
        sb.append(" (with the debian image: ").append(debianCommand).append(')');
      }
      sb.append("; your other settings are kept");
      if (view != null) {
        sb.append("; shows ").append(view.tabId().replace("-tab", "").replace('-', ' '));
      }
      return sb.toString();
    }
  }

  /**
   * The experiments whose command prints nothing worth reading, only busybox's banner: they wait
   * (sleep, nc -l), hold memory for their view, or write a file, mount or set a name that their
   * view (Filesystem, Mounts, Step log) shows. Their view takes the idle terminal's height.
   */
  static final Set<String> PRINT_NOTHING =
      Set.of(
          "02-tmpfs",
          "04-motd",
          "04-whiteout",
          "04-big-file",
          "04-two",
          "07-port80",
          "09-soft",
          "09-oom-off",
          "10-host-ps",
          "10-owner",
          "11-add-back");

  /**
   * Every experiment of every guide, by id. One that points at Inside vs outside keeps a shell open
   * after its command ({@code sh -c "id; exec sh"}): that view compares a running container with
   * the host, and Check reads a running one; a command that ended at once left "not running any
   * more" in both.
   */
  public static final Map<String, TryIt> ALL = table();

  private static Map<String, TryIt> table() {
    String hog = "sh -c \"x=\\$(head -c 64m /dev/zero | tr '\\\\0' x)\"";
    String busy = "sh -c \"while :; do :; done\"";
    String twoBusy = "sh -c \"while :; do :; done & while :; do :; done\"";
    String kmsg = "sh -c \"mknod /tmp/k c 1 11 && echo hello > /tmp/k\"";
    String kmsgHi = "sh -c \"mknod /tmp/k c 1 11 && echo hi > /tmp/k\"";
    String awkHog =
        "awk 'BEGIN { s = sprintf(\"%1048576s\", \"\"); for (i = 0; i < 64; i++)"
            + " { a[i] = s i; system(\"usleep 200000\") } }'";
    String awkSoft =
        "awk 'BEGIN { s = sprintf(\"%1048576s\", \"\"); for (i = 0; i < 32; i++) a[i] = s i;"
            + " system(\"sleep 20\") }'";
    String groupHog = "sh -c \"sleep 100 & x=\\$(head -c 64m /dev/zero | tr '\\\\0' x)\"";
    String mkdirLoop = "sh -c \"i=0; while mkdir /tmp/d\\$i; do i=\\$((i+1)); done\"";
    String tmpfsMkdirLoop =
        "sh -c \"mount -t tmpfs t /tmp; i=0; while mkdir /tmp/d\\$i; do i=\\$((i+1)); done\"";
    List<TryIt> all =
        List.of(
            TryIt.at("00-shell", 0, "/bin/sh", View.INSIDE_OUTSIDE),
            TryIt.at("00-exit", 0, "sh -c \"exit 3\"", null),
            TryIt.at("00-env", 0, "env", null),
            TryIt.at("01-ls", 1, "sh -c \"ls /; exec sh\"", View.MOUNTS),
            TryIt.at("01-leak", 1, "/bin/sh", View.MOUNTS),
            TryIt.at("01-proc1", 1, "sh -c \"cat /proc/1/cmdline; exec sh\"", View.INSIDE_OUTSIDE),
            TryIt.at("01-escape", 1, "/bin/chroot-escape", null),
            TryIt.at("01-proc-root", 1, "ls /proc/1/root/", null),
            TryIt.at("02-tmpfs", 2, "sh -c \"mount -t tmpfs none /tmp; exec sh\"", View.MOUNTS),
            TryIt.at("02-dev", 2, "ls -l /dev", null),
            TryIt.at("02-leak", 2, "/bin/sh", View.MOUNTS).without(Feature.MOUNT_NS),
            TryIt.at("02-kmsg", 2, kmsg, null),
            TryIt.at("03-ebusy", 3, "/bin/sh", View.STEP_LOG).without(Feature.BIND_ROOT),
            TryIt.at("03-escape", 3, "/bin/chroot-escape", null),
            TryIt.at("03-nodev", 3, kmsg, null),
            TryIt.at("03-nodev-off", 3, kmsg, null).without(Feature.NODEV),
            TryIt.at("04-motd", 4, "sh -c \"echo hi > /etc/motd; exec sh\"", View.FILESYSTEM),
            TryIt.at("04-whiteout", 4, "sh -c \"rm /bin/vi; exec sh\"", View.FILESYSTEM),
            TryIt.at(
                "04-big-file",
                4,
                "sh -c \"echo more >> /usr/share/big-file; exec sh\"",
                View.FILESYSTEM),
            TryIt.at("04-two", 4, "sh -c \"echo \\$\\$ > /etc/motd; exec sh\"", View.FILESYSTEM)
                .twice(null),
            TryIt.at("05-hostname", 5, "sh -c \"hostname; exec sh\"", View.INSIDE_OUTSIDE)
                .ownHostname(),
            TryIt.at(
                    "05-rename",
                    5,
                    "sh -c \"hostname other && hostname; exec sh\"",
                    View.INSIDE_OUTSIDE)
                .ownHostname(),
            TryIt.at("05-no-uts", 5, "hostname", View.STEP_LOG).without(Feature.UTS_NS),
            TryIt.at("06-ps", 6, "sh -c \"ps; exec sh\"", View.INSIDE_OUTSIDE),
            TryIt.at("06-kill1", 6, "sh -c \"kill -TERM 1; echo still here\"", null),
            TryIt.at("06-orphan", 6, "sh -c \"sleep 100 & echo started\"", null),
            TryIt.at("07-lo", 7, "sh -c \"ip link; exec sh\"", View.INSIDE_OUTSIDE).unbridged(),
            TryIt.at("07-ping", 7, "ping -c 1 8.8.8.8", null).unbridged(),
            TryIt.at("07-port80", 7, "nc -l -p 80", View.INSIDE_OUTSIDE).twice(null).unbridged(),
            TryIt.at("08-cgroup", 8, "cat /proc/self/cgroup", View.STEP_LOG),
            TryIt.at("07-bridge", 7, "/bin/sh", View.INSIDE_OUTSIDE).twice(null).bridged(),
            TryIt.at("08-quota", 8, busy, View.CHARTS)
                .cpu(null, "0.5")
                .onDebian("stress-ng --cpu 1 --timeout 60"),
            TryIt.at("08-contention", 8, twoBusy, View.CHARTS)
                .cpu("1024", "")
                .twice("256")
                .onDebian("stress-ng --cpu 2 --timeout 60"),
            TryIt.at("08-devices", 8, kmsgHi, null).without(Feature.NODEV),
            TryIt.at("09-oom", 9, hog, View.CHARTS)
                .memory("16", "16")
                .onDebian(
                    "stress-ng --vm 1 --vm-bytes 64m --vm-keep --oomable --sleep 1 --sleep-max 1 --timeout 60"),
            TryIt.at("09-raise", 9, hog, View.CHARTS).memory("256", "256"),
            TryIt.at("09-awk", 9, awkHog, View.CHARTS).memory("32", "32"),
            TryIt.at("09-soft", 9, awkSoft, View.INSIDE_OUTSIDE)
                .memory("64", null)
                .memoryBonus("16", null, false, false, null),
            TryIt.at("09-oom-off", 9, hog, View.INSIDE_OUTSIDE)
                .memory("16", "16")
                .memoryBonus(null, null, true, false, null),
            TryIt.at("09-oom-group", 9, groupHog, View.CHARTS)
                .memory("16", "16")
                .memoryBonus(null, null, false, true, null),
            TryIt.at("09-swappiness", 9, hog, View.CHARTS)
                .memory("32", null)
                .memoryBonus(null, "0", false, false, null),
            TryIt.at("09-kmem", 9, mkdirLoop, View.STEP_LOG)
                .memory("64", null)
                .memoryBonus(null, null, false, false, "16"),
            TryIt.at("09-mkdir", 9, tmpfsMkdirLoop, View.CHARTS).memory("16", "16"),
            TryIt.at("10-id", 10, "sh -c \"id; exec sh\"", View.INSIDE_OUTSIDE).user("1000:1000"),
            TryIt.at("10-touch", 10, "touch /etc/x", null).user("1000:1000"),
            TryIt.at("10-host-ps", 10, "sleep 100", View.INSIDE_OUTSIDE)
                .without(Feature.PID_NS)
                .user("1000:1000"),
            TryIt.at("10-owner", 10, "sh -c \"touch /tmp/mine; exec sh\"", View.FILESYSTEM)
                .user("1000:1000"),
            TryIt.at("11-hostname", 11, "sh -c \"hostname x; exec sh\"", View.INSIDE_OUTSIDE)
                .asRoot(),
            TryIt.at(
                    "11-caps",
                    11,
                    "sh -c \"cat /proc/self/status | grep Cap; exec sh\"",
                    View.INSIDE_OUTSIDE)
                .asRoot(),
            TryIt.at("11-add-back", 11, "hostname x", View.STEP_LOG).add("CAP_SYS_ADMIN").asRoot(),
            TryIt.at("11-mknod", 11, "mknod /tmp/k c 1 11", null).asRoot(),
            TryIt.at("11-mknod-add", 11, kmsgHi, null).add("CAP_MKNOD").asRoot(),
            TryIt.at(
                    "11-masked",
                    11,
                    "sh -c \"wc -c /proc/kcore /proc/keys; echo 1 > /proc/sys/kernel/domainname\"",
                    null)
                .asRoot(),
            TryIt.at(
                    "12-fork-bomb",
                    12,
                    "sh -c \"(for i in \\$(seq 1 100); do sleep 30 & done; wait); exec sh\"",
                    View.CHARTS)
                .pids("32"),
            TryIt.at(
                    "12-awk-flood",
                    12,
                    "awk 'BEGIN { while (1) system(\"sleep 30 &\") }'",
                    View.CHARTS)
                .pids("16"),
            TryIt.at("13-unshare", 13, "unshare -U true", View.STEP_LOG).asRoot(),
            TryIt.at(
                    "13-unshare-at-12",
                    12,
                    "unshare -U -r -m sh -c 'mount -t tmpfs x /tmp && echo mounted'",
                    null)
                .asRoot(),
            TryIt.at(
                    "13-mknod",
                    13,
                    "sh -c \"mkfifo /tmp/f && echo fifo made; mknod /tmp/n c 1 3\"",
                    null)
                .asRoot(),
            TryIt.at("13-linux32", 13, "linux32 uname -m", null).asRoot(),
            TryIt.at(
                    "13-walls",
                    13,
                    "sh -c \"swapoff /dev/null; date -s 2000-01-01; hostname x\"",
                    null)
                .asRoot(),
            TryIt.at("13-filter-alone", 13, "mount -t tmpfs x /tmp", View.STEP_LOG)
                .without(Feature.CAPABILITIES)
                .asRoot(),
            TryIt.at("13-no-filter", 13, "mount -t tmpfs x /tmp", View.STEP_LOG)
                .without(Feature.CAPABILITIES, Feature.SECCOMP)
                .asRoot(),
            TryIt.at("13-nnp", 13, "id", View.STEP_LOG)
                .without(Feature.CAPABILITIES)
                .user("1000:1000"));
    Map<String, TryIt> m = new LinkedHashMap<>();
    all.forEach(t -> m.put(t.id(), t));
    return Map.copyOf(m);
  }

  /**
   * Sets the run panel to an experiment: its level (a level it moves to brings that level's
   * defaults, as choosing the level does), its steps (free play when it needs other steps than the
   * level's), its command, and the fields its lesson needs — only those: every other field keeps
   * the student's value. The second container of a side-by-side experiment differs only in its CPU
   * shares ({@link TryIt#secondShares}). Returns what it changed, in one sentence, which the run
   * panel shows ({@link RunViewModel#tryItNoteProperty()}).
   */
  public static String apply(TryIt t, RunViewModel run) {
    int levelBefore = run.levelProperty().get();
    boolean freeBefore = run.freePlayProperty().get();
    run.levelProperty().set(t.level());
    run.freePlayProperty().set(t.freePlay());
    if (t.freePlay()) {
      for (Feature f : Feature.values()) {
        run.feature(f).set(t.features().contains(f));
      }
    }
    run.commandProperty().set(t.commandFor(run.imageProperty().get()));
    List<String> changed = new java.util.ArrayList<>();
    for (Map.Entry<Setting, String> e : t.settings().entrySet()) {
      String before = e.getKey().get(run);
      String after = e.getValue();
      if (!java.util.Objects.equals(blankToEmpty(before), blankToEmpty(after))) {
        e.getKey().set(run, after);
        changed.add(e.getKey().describe(after) + " (was " + e.getKey().value(before) + ")");
      }
    }
    // A bonus experiment opens the folded group that holds its values.
    for (Setting s :
        List.of(
            Setting.SOFT,
            Setting.SWAPPINESS,
            Setting.KERNEL_MEMORY,
            Setting.OOM_KILL_DISABLE,
            Setting.OOM_GROUP)) {
      String v = t.setting(s);
      if (v != null && !v.isEmpty() && !v.equals("false")) {
        run.moreMemoryProperty().set(true);
      }
    }
    if (t.capAdd() != null) {
      if (!run.capAdd().equals(t.capAdd()) || !run.capDrop().isEmpty()) {
        changed.add(
            t.capAdd().isEmpty()
                ? "capabilities: the level's set"
                : "capabilities: the level's set and " + String.join(", ", t.capAdd()));
      }
      run.capAdd().setAll(t.capAdd());
      run.capDrop().clear();
    }
    StringBuilder note = new StringBuilder("Try it ").append(t.id()).append(": ");
    if (levelBefore != t.level()) {
      note.append(String.format("level %02d with its defaults", t.level()));
    } else {
      note.append(String.format("level %02d", t.level()));
    }
    if (t.freePlay()) {
      note.append(", free play");
    } else if (freeBefore) {
      note.append(", free play off");
    }
    note.append(changed.isEmpty() ? "; " : ", set " + String.join(", ", changed) + "; ");
    if (t.copies() == 2 && t.secondShares() != null) {
      // The second container's shares are its own: the field keeps the first's.
      note.append("the second container ran with CPU shares ")
          .append(t.secondShares())
          .append("; ");
    }
    note.append(
        levelBefore == t.level()
            ? "your other settings are kept."
            : "the other fields are the level's.");
    String text = note.toString();
    run.tryItNoteProperty().set(text);
    return text;
  }

  private static String blankToEmpty(String s) {
    return s == null ? "" : s.strip();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private final Consumer<TryIt> runner;

  /**
   * @param runner sets the run panel to an experiment and runs it (the app's view-model)
   */
  public Experiments(Consumer<TryIt> runner) {
    this.runner = runner;
  }

  public boolean has(String id) {
    return ALL.containsKey(id);
  }

  public TryIt get(String id) {
    return ALL.get(id);
  }

  /** Runs the experiment {@code id}. */
  public void tryIt(String id) {
    TryIt t = ALL.get(id);
    if (t != null) {
      runner.accept(t);
    }
  }
}
