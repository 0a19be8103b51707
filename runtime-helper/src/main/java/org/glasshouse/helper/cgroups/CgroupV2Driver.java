package org.glasshouse.helper.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.glasshouse.helper.linux.Bpf;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.Fd;
import org.glasshouse.helper.linux.SyscallArgs;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;

/**
 * cgroup v2: one dir {@code <base>/<parent>/<id>}, where the base is the unified root or, under a
 * service manager, the cgroup it delegated to the helper ({@link CgroupDelegation}: systemd's
 * {@code Delegate=yes}, the helper itself moved to a leaf beside the parent). A controller works in
 * a cgroup only when every ancestor lists it in {@code cgroup.subtree_control}, so the base's and
 * the parent's are extended ({@code +cpu +memory +pids}) as needed — above a delegated base that is
 * the manager's business, and done; the parent itself never holds a process (v2's
 * no-internal-processes rule would forbid enabling controllers for its children).
 *
 * <p>v2 has no devices controller: the device allow-list is a {@link DeviceFilter} BPF program
 * attached to the container's dir ({@code BPF_CGROUP_DEVICE}), which needs no controller at all.
 */
public final class CgroupV2Driver implements CgroupDriver {

  private final CgroupLayout layout;
  private final Path unified;
  private final Path base;
  private final String parent;
  private final CgroupFs fs;

  /**
   * @param layout the host's layout; its unified mount is where the files are (tests point it into
   *     a temp dir)
   * @param parent the parent cgroup's name
   */
  public CgroupV2Driver(CgroupLayout layout, String parent, CgroupFs fs) {
    this(layout, "", parent, fs);
  }

  /**
   * @param base the cgroup, relative to the unified root, under which the parent is made: {@code
   *     ""} for the root, or the delegated one ({@code system.slice/glasshouse.service})
   */
  public CgroupV2Driver(CgroupLayout layout, String base, String parent, CgroupFs fs) {
    this.layout = layout;
    this.unified =
        layout
            .unifiedMount()
            .orElseThrow(() -> new IllegalArgumentException("no cgroup2 mount on this host"));
    this.base = CgroupDelegation.under(unified, base);
    this.parent = CgroupDriver.checkName("parent", parent);
    this.fs = fs;
  }

  @Override
  public String mode() {
    return layout.mode().wireName();
  }

  @Override
  public List<Path> parentPaths() {
    return List.of(base.resolve(parent));
  }

  @Override
  public ContainerCgroup create(String id, Limits limits, Set<Feature> features, StepLog log)
      throws StepLog.StepException {
    CgroupDriver.checkName("container", id);
    Limits l = CgroupLimits.validate(limits);
    List<String> controllers = new ArrayList<>();
    String step = null;
    for (Feature f : List.of(Feature.CGROUP_CPU, Feature.CGROUP_MEMORY, Feature.CGROUP_PIDS)) {
      if (features.contains(f)) {
        controllers.add(
            f == Feature.CGROUP_CPU ? "cpu" : f == Feature.CGROUP_MEMORY ? "memory" : "pids");
        step = step == null ? f.wireName() : step;
      }
    }
    if (step == null && features.contains(Feature.CGROUP_DEVICES)) {
      step = Feature.CGROUP_DEVICES.wireName();
    }
    if (step == null) {
      throw new IllegalArgumentException("no cgroup feature is enabled: nothing to create");
    }
    Path parentDir = base.resolve(parent);
    Path dir = parentDir.resolve(id);
    V2Cgroup cg = new V2Cgroup(id, List.of(new FsContainerCgroup.Dir(unified, dir, step)), fs, log);
    String s = step;
    boolean made = false;
    try {
      List<String> available = words(log, s, base.resolve("cgroup.controllers"));
      for (String c : controllers) {
        if (!available.contains(c)) {
          log.run(
              stepOf(c),
              "helper",
              "check",
              base + "/cgroup.controllers has " + c,
              "on this host the "
                  + c
                  + " controller is not available on cgroup v2 (it is bound"
                  + " to a v1 hierarchy or disabled)",
              () -> {
                throw new IOException(
                    base + "/cgroup.controllers lists only " + String.join(" ", available));
              });
        }
      }
      enable(log, s, base, controllers);
      if (!fs.exists(parentDir)) {
        try {
          mkdir(log, s, parentDir, null);
        } catch (StepLog.StepException e) {
          // A concurrent start may have made the parent meanwhile: only then is this fine.
          if (!fs.exists(parentDir)) {
            throw e;
          }
        }
      }
      enable(log, s, parentDir, controllers);
      mkdir(log, s, dir, "a cgroup of that name exists already: a leftover of a dead helper?");
      made = true;
      if (features.contains(Feature.CGROUP_CPU)) {
        String cs = Feature.CGROUP_CPU.wireName();
        if (l.cpuShares() != null) {
          cg.write(
              log,
              cs,
              dir.resolve("cpu.weight"),
              Long.toString(CgroupLimits.sharesToWeight(l.cpuShares())),
              null);
        }
        if (l.cpus() != null) {
          cg.write(
              log,
              cs,
              dir.resolve("cpu.max"),
              CgroupLimits.quotaMicros(l.cpus()) + " " + CgroupLimits.CPU_PERIOD_US,
              null);
        }
      }
      if (features.contains(Feature.CGROUP_MEMORY)) {
        String ms = Feature.CGROUP_MEMORY.wireName();
        if (l.memoryBytes() != null) {
          cg.write(log, ms, dir.resolve("memory.max"), l.memoryBytes().toString(), null);
        }
        if (l.memorySwapBytes() != null) {
          // v2 limits swap alone: memory+swap − memory.
          cg.write(
              log,
              ms,
              dir.resolve("memory.swap.max"),
              Long.toString(l.memorySwapBytes() - l.memoryBytes()),
              "memory.swap.max exists only on kernels with swap accounting (CONFIG_MEMCG_SWAP)");
        }
        MemoryBonus.writeV2(cg, log, ms, dir, l);
      }
      if (features.contains(Feature.CGROUP_PIDS) && l.pidsMax() != null) {
        cg.write(
            log,
            Feature.CGROUP_PIDS.wireName(),
            dir.resolve("pids.max"),
            l.pidsMax().toString(),
            null);
      }
      if (features.contains(Feature.CGROUP_DEVICES)) {
        attachDeviceFilter(log, dir);
      }
      return cg;
    } catch (StepLog.StepException | RuntimeException e) {
      // Only what this call made is undone: a dir that already existed is not ours to remove.
      if (made) {
        try {
          cg.destroy();
        } catch (IOException ce) {
          e.addSuppressed(ce);
        }
      }
      throw e;
    }
  }

  /**
   * Loads the {@link DeviceRule#DEFAULT} allow-list as a BPF program and attaches it to {@code
   * dir}: three steps (open, load, attach); the fds are closed at once, the cgroup keeps the
   * program until it is removed.
   */
  private void attachDeviceFilter(StepLog log, Path dir) throws StepLog.StepException {
    String step = Feature.CGROUP_DEVICES.wireName();
    DeviceFilter filter = DeviceFilter.allowing(DeviceRule.DEFAULT);
    Fd cgroup =
        log.run(
            step,
            "helper",
            "open",
            SyscallArgs.q(dir.toString()) + ", O_RDONLY|O_DIRECTORY|O_CLOEXEC",
            null,
            () -> fs.openCgroup(dir));
    try {
      int prog =
          log.run(
              step,
              "helper",
              "bpf",
              // The rules the program was compiled from, as v1 would write them: the step log
              // says what the program allows, not only how long it is.
              Bpf.loadArgs(filter.instructions().size(), DeviceFilter.LICENSE)
                  + " /* allow "
                  + String.join(", ", DeviceRule.DEFAULT.stream().map(DeviceRule::v1).toList())
                  + " */",
              "loading a BPF program needs CAP_BPF (or CAP_SYS_ADMIN) and a kernel with"
                  + " CONFIG_CGROUP_BPF",
              () -> fs.loadDeviceFilter(filter));
      try {
        log.run(
            step,
            "helper",
            "bpf",
            Bpf.attachArgs(cgroup, prog),
            null,
            () -> {
              fs.attachDeviceFilter(cgroup, prog);
              return null;
            });
      } finally {
        fs.close(prog);
      }
    } finally {
      fs.close(cgroup.number());
    }
  }

  private static String stepOf(String controller) {
    return switch (controller) {
      case "cpu" -> Feature.CGROUP_CPU.wireName();
      case "memory" -> Feature.CGROUP_MEMORY.wireName();
      default -> Feature.CGROUP_PIDS.wireName();
    };
  }

  /** Adds the missing controllers to {@code dir}'s subtree_control in one write. */
  private void enable(StepLog log, String step, Path dir, List<String> controllers)
      throws StepLog.StepException {
    List<String> on = words(log, step, dir.resolve("cgroup.subtree_control"));
    StringBuilder add = new StringBuilder();
    for (String c : controllers) {
      if (!on.contains(c)) {
        add.append(add.length() == 0 ? "" : " ").append('+').append(c);
      }
    }
    if (add.length() > 0) {
      FsContainerCgroup.write(
          log,
          step,
          fs,
          dir.resolve("cgroup.subtree_control"),
          add.toString(),
          "a cgroup with processes of its own cannot enable controllers for its children");
    }
  }

  /** The words of a control file; an unreadable one fails as a step naming it. */
  private List<String> words(StepLog log, String step, Path file) throws StepLog.StepException {
    try {
      if (!fs.exists(file)) {
        return List.of();
      }
      return Arrays.stream(fs.read(file).trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    } catch (IOException e) {
      return log.run(
          step,
          "helper",
          "read",
          file.toString(),
          null,
          () -> {
            throw e;
          });
    }
  }

  private void mkdir(StepLog log, String step, Path dir, String explanation)
      throws StepLog.StepException {
    log.run(
        step,
        "helper",
        Call.mkdir(dir.toString(), TrackingCgroup.DIR_MODE),
        explanation,
        () -> {
          fs.mkdir(dir);
          return null;
        });
  }

  /** The parent of the tracking cgroups, beside the containers' parent. */
  private Path trackingParent() {
    return base.resolve(parent + TRACKING_SUFFIX);
  }

  @Override
  public ContainerCgroup track(String id, StepLog log) throws StepLog.StepException {
    return TrackingCgroup.create(unified, trackingParent(), id, fs, log);
  }

  @Override
  public boolean unified() {
    return true;
  }

  @Override
  public List<String> containers() throws IOException {
    java.util.Set<String> ids = new java.util.TreeSet<>(fs.children(base.resolve(parent)));
    ids.addAll(fs.children(trackingParent()));
    return new ArrayList<>(ids);
  }

  @Override
  public ContainerCgroup open(String id, StepLog log) {
    CgroupDriver.checkName("container", id);
    return new V2Cgroup(
        id,
        List.of(
            // The container's own first: its memory.events is the one read for OOM kills.
            new FsContainerCgroup.Dir(unified, base.resolve(parent).resolve(id), "cleanup"),
            TrackingCgroup.cleanup(unified, trackingParent(), id)),
        fs,
        log);
  }

  @Override
  public void removeParent() throws IOException {
    FsContainerCgroup.removeParents(fs, List.of(base.resolve(parent), trackingParent()));
  }

  /** A container's v2 cgroup. */
  private static final class V2Cgroup extends FsContainerCgroup {
    V2Cgroup(String id, List<Dir> dirs, CgroupFs fs, StepLog log) {
      super(id, dirs, fs, log);
    }

    @Override
    public long oomKills() throws IOException {
      return keyed(dirs.get(0).path().resolve("memory.events"), "oom_kill");
    }
  }
}
