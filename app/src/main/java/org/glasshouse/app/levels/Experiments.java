package org.glasshouse.app.levels;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.glasshouse.app.containers.RunViewModel;
import org.glasshouse.app.core.Navigator.View;
import org.glasshouse.protocol.Feature;

/**
 * The guides' experiments as one-click actions. A guide's experiment bullet ends in its id ({@code
 * {#02-tmpfs}}); this table says what "Try it" sets in the run panel (level, steps in free play,
 * command exactly as the guide writes it, limits, user, capabilities), how many containers it
 * starts, and which view shows the effect. {@code GuideExperimentsTest} (root) runs every one on
 * the real kernel and asserts its effect; a guide bullet with an id missing here or there fails.
 */
public final class Experiments {

  /**
   * One experiment.
   *
   * @param id as in the guide
   * @param level the level it runs at
   * @param features the steps in free play, or null for exactly the level's steps
   * @param command the Command field's text
   * @param memoryMib memory limit field, or null
   * @param memorySwapMib memory+swap field, or null
   * @param cpuShares CPU shares field, or null
   * @param cpus CPUs field, or null
   * @param pidsMax pids field, or null
   * @param user user field, or null
   * @param capAdd capabilities added back
   * @param copies how many containers to start with it (2: side by side)
   * @param secondShares the second container's CPU shares, or null for the same
   * @param view where the effect shows, or null (the terminal)
   * @param extra the bonus rounds' fields (level 07's bridge, level 09's memory controls) and the
   *     command for the debian image
   */
  public record TryIt(
      String id,
      int level,
      Set<Feature> features,
      String command,
      String memoryMib,
      String memorySwapMib,
      String cpuShares,
      String cpus,
      String pidsMax,
      String user,
      List<String> capAdd,
      int copies,
      String secondShares,
      View view,
      Extra extra) {

    private TryIt with(Extra e) {
      return new TryIt(
          id,
          level,
          features,
          command,
          memoryMib,
          memorySwapMib,
          cpuShares,
          cpus,
          pidsMax,
          user,
          capAdd,
          copies,
          secondShares,
          view,
          e);
    }

    /** Level 07's bonus: wired to the helper's bridge. */
    TryIt bridged() {
      return with(
          new Extra(
              true,
              extra.softMib(),
              extra.swappiness(),
              extra.oomKillDisable(),
              extra.oomGroup(),
              extra.kernelMib(),
              extra.debianCommand()));
    }

    /** Level 09's bonus controls; null or false leaves one unset. */
    TryIt memoryBonus(
        String softMib, String swappiness, boolean oomOff, boolean oomGroup, String kernelMib) {
      return with(
          new Extra(
              extra.bridge(),
              softMib,
              swappiness,
              oomOff,
              oomGroup,
              kernelMib,
              extra.debianCommand()));
    }

    /** The command when the run panel's image is debian (stress-ng instead of a busybox loop). */
    TryIt onDebian(String cmd) {
      return with(
          new Extra(
              extra.bridge(),
              extra.softMib(),
              extra.swappiness(),
              extra.oomKillDisable(),
              extra.oomGroup(),
              extra.kernelMib(),
              cmd));
    }

    /** The Command field's text for {@code image}: the debian command there, when it has one. */
    public String commandFor(String image) {
      return "debian".equals(image) && extra.debianCommand() != null
          ? extra.debianCommand()
          : command;
    }

    static TryIt at(String id, int level, String command, View view) {
      return new TryIt(
          id,
          level,
          null,
          command,
          null,
          null,
          null,
          null,
          null,
          null,
          List.of(),
          1,
          null,
          view,
          Extra.NONE);
    }

    /** In free play: the level's steps without these. */
    TryIt without(Feature... off) {
      Set<Feature> f = EnumSet.noneOf(Feature.class);
      f.addAll(features == null ? Feature.upTo(level) : features);
      f.removeAll(List.of(off));
      return new TryIt(
          id,
          level,
          f,
          command,
          memoryMib,
          memorySwapMib,
          cpuShares,
          cpus,
          pidsMax,
          user,
          capAdd,
          copies,
          secondShares,
          view,
          extra);
    }

    TryIt memory(String mib, String swapMib) {
      return new TryIt(
          id,
          level,
          features,
          command,
          mib,
          swapMib,
          cpuShares,
          cpus,
          pidsMax,
          user,
          capAdd,
          copies,
          secondShares,
          view,
          extra);
    }

    TryIt cpu(String shares, String cpuCount) {
      return new TryIt(
          id,
          level,
          features,
          command,
          memoryMib,
          memorySwapMib,
          shares,
          cpuCount,
          pidsMax,
          user,
          capAdd,
          copies,
          secondShares,
          view,
          extra);
    }

    TryIt pids(String max) {
      return new TryIt(
          id,
          level,
          features,
          command,
          memoryMib,
          memorySwapMib,
          cpuShares,
          cpus,
          max,
          user,
          capAdd,
          copies,
          secondShares,
          view,
          extra);
    }

    TryIt user(String u) {
      return new TryIt(
          id,
          level,
          features,
          command,
          memoryMib,
          memorySwapMib,
          cpuShares,
          cpus,
          pidsMax,
          u,
          capAdd,
          copies,
          secondShares,
          view,
          extra);
    }

    TryIt add(String cap) {
      Set<Feature> f = features == null ? EnumSet.copyOf(Feature.upTo(level)) : features;
      return new TryIt(
          id,
          level,
          f,
          command,
          memoryMib,
          memorySwapMib,
          cpuShares,
          cpus,
          pidsMax,
          user,
          List.of(cap),
          copies,
          secondShares,
          view,
          extra);
    }

    TryIt twice(String otherShares) {
      return new TryIt(
          id,
          level,
          features,
          command,
          memoryMib,
          memorySwapMib,
          cpuShares,
          cpus,
          pidsMax,
          user,
          capAdd,
          2,
          otherShares,
          view,
          extra);
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
      if (memoryMib != null) {
        sb.append(", memory ").append(memoryMib).append(" MiB");
      }
      if (memorySwapMib != null) {
        sb.append(", mem+swap ").append(memorySwapMib).append(" MiB");
      }
      if (cpuShares != null) {
        sb.append(", CPU shares ").append(cpuShares);
        if (secondShares != null) {
          sb.append(" and ").append(secondShares);
        }
      }
      if (cpus != null) {
        sb.append(", CPUs ").append(cpus);
      }
      if (pidsMax != null) {
        sb.append(", pids max ").append(pidsMax);
      }
      if (user != null) {
        sb.append(", user ").append(user);
      }
      capAdd.forEach(c -> sb.append(", adding ").append(c));
      if (extra.softMib() != null) {
        sb.append(", soft limit ").append(extra.softMib()).append(" MiB");
      }
      if (extra.swappiness() != null) {
        sb.append(", swappiness ").append(extra.swappiness());
      }
      if (extra.oomKillDisable()) {
        sb.append(", OOM killer off");
      }
      if (extra.oomGroup()) {
        sb.append(", OOM group");
      }
      if (extra.kernelMib() != null) {
        sb.append(", kernel memory ").append(extra.kernelMib()).append(" MiB");
      }
      if (extra.bridge()) {
        sb.append(", on the bridge");
      }
      if (extra.debianCommand() != null) {
        sb.append(" (with the debian image: ").append(extra.debianCommand()).append(')');
      }
      if (view != null) {
        sb.append("; shows ").append(view.tabId().replace("-tab", "").replace('-', ' '));
      }
      return sb.toString();
    }
  }

  /**
   * What the bonus rounds add to an experiment.
   *
   * @param bridge level 07's bridge option
   * @param softMib soft limit field (v1 soft limit, v2 memory.high), or null
   * @param swappiness v1 swappiness field, or null
   * @param oomKillDisable v1 OOM killer off
   * @param oomGroup v2 OOM group
   * @param kernelMib v1 kernel memory field, or null
   * @param debianCommand the command when the image is debian, or null for the same
   */
  public record Extra(
      boolean bridge,
      String softMib,
      String swappiness,
      boolean oomKillDisable,
      boolean oomGroup,
      String kernelMib,
      String debianCommand) {
    static final Extra NONE = new Extra(false, null, null, false, false, null, null);
  }

  /** Every experiment of every guide, by id. */
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
            TryIt.at("01-ls", 1, "ls /", View.MOUNTS),
            TryIt.at("01-leak", 1, "/bin/sh", View.MOUNTS),
            TryIt.at("01-proc1", 1, "cat /proc/1/cmdline", View.INSIDE_OUTSIDE),
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
            TryIt.at("05-hostname", 5, "hostname", View.INSIDE_OUTSIDE),
            TryIt.at("05-rename", 5, "sh -c \"hostname other && hostname\"", View.INSIDE_OUTSIDE),
            TryIt.at("05-no-uts", 5, "hostname", View.STEP_LOG).without(Feature.UTS_NS),
            TryIt.at("06-ps", 6, "sh -c \"ps; exec sh\"", View.INSIDE_OUTSIDE),
            TryIt.at("06-kill1", 6, "sh -c \"kill -TERM 1; echo still here\"", null),
            TryIt.at("06-orphan", 6, "sh -c \"sleep 100 & echo started\"", null),
            TryIt.at("07-lo", 7, "ip link", View.INSIDE_OUTSIDE),
            TryIt.at("07-ping", 7, "ping -c 1 8.8.8.8", null),
            TryIt.at("07-port80", 7, "nc -l -p 80", View.INSIDE_OUTSIDE).twice(null),
            TryIt.at("08-cgroup", 8, "cat /proc/self/cgroup", View.STEP_LOG),
            TryIt.at("07-bridge", 7, "/bin/sh", View.INSIDE_OUTSIDE).twice(null).bridged(),
            TryIt.at("08-quota", 8, busy, View.CHARTS)
                .cpu(null, "0.5")
                .onDebian("stress-ng --cpu 1 --timeout 60"),
            TryIt.at("08-contention", 8, twoBusy, View.CHARTS)
                .cpu("1024", null)
                .twice("256")
                .onDebian("stress-ng --cpu 2 --timeout 60"),
            TryIt.at("08-devices", 8, kmsgHi, null).without(Feature.NODEV),
            TryIt.at("09-oom", 9, hog, View.CHARTS).memory("16", "16"),
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
            TryIt.at("10-id", 10, "id", View.INSIDE_OUTSIDE).user("1000:1000"),
            TryIt.at("10-touch", 10, "touch /etc/x", null).user("1000:1000"),
            TryIt.at("10-host-ps", 10, "sleep 100", View.INSIDE_OUTSIDE)
                .without(Feature.PID_NS)
                .user("1000:1000"),
            TryIt.at("10-owner", 10, "sh -c \"touch /tmp/mine; exec sh\"", View.FILESYSTEM)
                .user("1000:1000"),
            TryIt.at("11-hostname", 11, "hostname x", View.INSIDE_OUTSIDE),
            TryIt.at("11-caps", 11, "cat /proc/self/status | grep Cap", View.INSIDE_OUTSIDE),
            TryIt.at("11-add-back", 11, "hostname x", View.STEP_LOG).add("CAP_SYS_ADMIN"),
            TryIt.at("11-mknod", 11, "mknod /tmp/k c 1 11", null),
            TryIt.at("11-mknod-add", 11, kmsgHi, null).add("CAP_MKNOD"),
            TryIt.at(
                "11-masked",
                11,
                "sh -c \"wc -c /proc/kcore /proc/keys; echo 1 > /proc/sys/kernel/domainname\"",
                null),
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
            TryIt.at("13-unshare", 13, "unshare -U true", View.STEP_LOG),
            TryIt.at(
                "13-unshare-at-12",
                12,
                "unshare -U -r -m sh -c 'mount -t tmpfs x /tmp && echo mounted'",
                null),
            TryIt.at(
                "13-mknod",
                13,
                "sh -c \"mkfifo /tmp/f && echo fifo made; mknod /tmp/n c 1 3\"",
                null),
            TryIt.at("13-linux32", 13, "linux32 uname -m", null),
            TryIt.at(
                "13-walls",
                13,
                "sh -c \"swapoff /dev/null; date -s 2000-01-01; hostname x\"",
                null),
            TryIt.at("13-filter-alone", 13, "mount -t tmpfs x /tmp", View.STEP_LOG)
                .without(Feature.CAPABILITIES),
            TryIt.at("13-no-filter", 13, "mount -t tmpfs x /tmp", View.STEP_LOG)
                .without(Feature.CAPABILITIES, Feature.SECCOMP),
            TryIt.at("13-nnp", 13, "id", View.STEP_LOG)
                .without(Feature.CAPABILITIES)
                .user("1000:1000"));
    Map<String, TryIt> m = new LinkedHashMap<>();
    all.forEach(t -> m.put(t.id(), t));
    return Map.copyOf(m);
  }

  /**
   * Sets the run panel to an experiment: its level, its steps (free play when it needs other steps
   * than the level's), its command, limits, user and capabilities. The second container of a
   * side-by-side experiment differs only in its CPU shares ({@link TryIt#secondShares}).
   */
  public static void apply(TryIt t, RunViewModel run) {
    run.levelProperty().set(t.level());
    run.freePlayProperty().set(t.freePlay());
    if (t.freePlay()) {
      for (Feature f : Feature.values()) {
        run.feature(f).set(t.features().contains(f));
      }
    }
    run.commandProperty().set(t.commandFor(run.imageProperty().get()));
    run.memoryMibProperty().set(orEmpty(t.memoryMib()));
    run.memorySwapMibProperty().set(orEmpty(t.memorySwapMib()));
    run.cpuSharesProperty().set(orEmpty(t.cpuShares()));
    run.cpusProperty().set(orEmpty(t.cpus()));
    run.pidsMaxProperty().set(orEmpty(t.pidsMax()));
    run.userProperty().set(orEmpty(t.user()));
    run.memorySoftMibProperty().set(orEmpty(t.extra().softMib()));
    run.swappinessProperty().set(orEmpty(t.extra().swappiness()));
    run.oomKillDisableProperty().set(t.extra().oomKillDisable());
    run.oomGroupProperty().set(t.extra().oomGroup());
    run.kernelMemoryMibProperty().set(orEmpty(t.extra().kernelMib()));
    run.bridgeProperty().set(t.extra().bridge());
    // A bonus experiment opens the folded group that holds its values.
    Extra x = t.extra();
    if (x.softMib() != null
        || x.swappiness() != null
        || x.kernelMib() != null
        || x.oomKillDisable()
        || x.oomGroup()) {
      run.moreMemoryProperty().set(true);
    }
    run.capAdd().setAll(t.capAdd());
    run.capDrop().clear();
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
