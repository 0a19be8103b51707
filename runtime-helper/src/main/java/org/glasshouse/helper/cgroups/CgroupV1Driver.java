package org.glasshouse.helper.cgroups;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;

/**
 * cgroup v1 (and hybrid): one dir per controller hierarchy, found from mountinfo — cpu (+ cpuacct,
 * for usage figures, on its own or the same mount), devices, memory, pids.
 *
 * <p>devices: the container's cgroup starts with its parent's list (everything), so {@code
 * devices.deny ← a} empties it first, then each {@link DeviceRule#DEFAULT} entry goes into {@code
 * devices.allow}, one write each.
 *
 * <p>{@code --memory-swap} on a kernel without swap accounting ({@code memory.memsw.*} missing)
 * fails the step with an explanation rather than silently running without the limit the student
 * asked for.
 */
public final class CgroupV1Driver implements CgroupDriver {

  private final CgroupLayout layout;
  private final String parent;
  private final CgroupFs fs;

  /**
   * @param layout the host's hierarchies (mount points are where the files are; tests point them
   *     into a temp dir)
   * @param parent the parent cgroup's name
   */
  public CgroupV1Driver(CgroupLayout layout, String parent, CgroupFs fs) {
    this.layout = layout;
    this.parent = CgroupDriver.checkName("parent", parent);
    this.fs = fs;
  }

  @Override
  public String mode() {
    return layout.mode().wireName();
  }

  private static final Map<Feature, List<String>> CONTROLLERS =
      Map.of(
          Feature.CGROUP_CPU, List.of("cpu", "cpuacct"),
          Feature.CGROUP_DEVICES, List.of("devices"),
          Feature.CGROUP_MEMORY, List.of("memory"),
          Feature.CGROUP_PIDS, List.of("pids"));

  private static final List<Feature> ORDER =
      List.of(
          Feature.CGROUP_CPU, Feature.CGROUP_DEVICES, Feature.CGROUP_MEMORY, Feature.CGROUP_PIDS);

  @Override
  public List<Path> parentPaths() {
    List<Path> out = new ArrayList<>();
    for (Feature f : ORDER) {
      for (String c : CONTROLLERS.get(f)) {
        layout
            .controller(c)
            .filter(h -> h.version() == 1)
            .map(h -> h.mountPoint().resolve(parent))
            .filter(p -> !out.contains(p))
            .ifPresent(out::add);
      }
    }
    return out;
  }

  @Override
  public ContainerCgroup create(String id, Limits limits, Set<Feature> features, StepLog log)
      throws StepLog.StepException {
    CgroupDriver.checkName("container", id);
    Limits l = CgroupLimits.validate(limits);
    if (ORDER.stream().noneMatch(features::contains)) {
      throw new IllegalArgumentException("no cgroup feature is enabled: nothing to create");
    }
    // mount point → its dir, so cpu and cpuacct sharing a mount get one dir.
    Map<Path, FsContainerCgroup.Dir> dirs = new LinkedHashMap<>();
    for (Feature f : ORDER) {
      if (!features.contains(f)) {
        continue;
      }
      for (String c : CONTROLLERS.get(f)) {
        var h = layout.controller(c).filter(x -> x.version() == 1);
        if (h.isEmpty()) {
          if (c.equals("cpuacct")) {
            continue; // only for usage figures; cpu alone does the limiting
          }
          log.run(
              f.wireName(),
              "helper",
              "mkdir",
              parent + "/" + id + " in the " + c + " hierarchy",
              "this host has no cgroup v1 " + c + " hierarchy (mode " + mode() + ")",
              () -> {
                throw new IOException("the " + c + " controller is not mounted as cgroup v1");
              });
        }
        Path mount = h.get().mountPoint();
        dirs.putIfAbsent(
            mount,
            new FsContainerCgroup.Dir(mount, mount.resolve(parent).resolve(id), f.wireName()));
      }
    }
    V1Cgroup cg = new V1Cgroup(id, new ArrayList<>(dirs.values()), fs, log);
    List<FsContainerCgroup.Dir> made = new ArrayList<>();
    try {
      for (FsContainerCgroup.Dir d : cg.dirs) {
        mkdir(log, d.step(), d.path().getParent(), true);
        mkdir(log, d.step(), d.path(), false);
        made.add(d);
      }
      for (FsContainerCgroup.Dir d : cg.dirs) {
        writeLimits(cg, log, d, l);
      }
      return cg;
    } catch (StepLog.StepException | RuntimeException e) {
      // Only what this call made is undone: a dir that already existed is not ours to remove.
      try {
        new V1Cgroup(id, made, fs, log).destroy();
      } catch (IOException ce) {
        e.addSuppressed(ce);
      }
      throw e;
    }
  }

  private void writeLimits(V1Cgroup cg, StepLog log, FsContainerCgroup.Dir d, Limits l)
      throws StepLog.StepException {
    Path p = d.path();
    boolean cpuDir =
        layout
            .controller("cpu")
            .map(h -> h.version() == 1 && p.startsWith(h.mountPoint()))
            .orElse(false);
    if (cpuDir) {
      if (l.cpuShares() != null) {
        cg.write(log, d.step(), p.resolve("cpu.shares"), l.cpuShares().toString(), null);
      }
      if (l.cpus() != null) {
        // The period first: the quota is a share of it.
        cg.write(
            log,
            d.step(),
            p.resolve("cpu.cfs_period_us"),
            Long.toString(CgroupLimits.CPU_PERIOD_US),
            null);
        cg.write(
            log,
            d.step(),
            p.resolve("cpu.cfs_quota_us"),
            Long.toString(CgroupLimits.quotaMicros(l.cpus())),
            "the kernel needs CONFIG_CFS_BANDWIDTH for a CPU quota");
      }
    }
    if (d.step().equals(Feature.CGROUP_DEVICES.wireName())) {
      cg.write(
          log,
          d.step(),
          p.resolve("devices.deny"),
          "a",
          "the devices controller takes a list only while the cgroup has no process");
      for (DeviceRule r : DeviceRule.DEFAULT) {
        cg.write(log, d.step(), p.resolve("devices.allow"), r.v1(), null);
      }
    }
    if (d.step().equals(Feature.CGROUP_MEMORY.wireName())) {
      if (l.memoryBytes() != null) {
        // memory before memory+swap: the kernel refuses memsw below the memory limit.
        cg.write(
            log, d.step(), p.resolve("memory.limit_in_bytes"), l.memoryBytes().toString(), null);
      }
      if (l.memorySwapBytes() != null) {
        // A kernel without swap accounting has no such file: the write fails with ENOENT (the
        // store never creates a control file).
        cg.write(
            log,
            d.step(),
            p.resolve("memory.memsw.limit_in_bytes"),
            l.memorySwapBytes().toString(),
            "this kernel has no swap accounting (memory.memsw.* is missing): boot it with"
                + " swapaccount=1, or leave the memory+swap limit unset");
      }
      MemoryBonus.writeV1(cg, log, d.step(), p, l, fs);
    }
    if (d.step().equals(Feature.CGROUP_PIDS.wireName()) && l.pidsMax() != null) {
      cg.write(log, d.step(), p.resolve("pids.max"), l.pidsMax().toString(), null);
    }
  }

  private void mkdir(StepLog log, String step, Path dir, boolean ifMissing)
      throws StepLog.StepException {
    if (ifMissing && fs.exists(dir)) {
      return;
    }
    log.run(
        step,
        "helper",
        Call.mkdir(dir.toString(), TrackingCgroup.DIR_MODE),
        ifMissing ? null : "a cgroup of that name exists already: a leftover of a dead helper?",
        () -> {
          try {
            fs.mkdir(dir);
          } catch (FileAlreadyExistsException e) {
            if (!ifMissing) {
              throw e;
            }
            // The parent, made meanwhile by a concurrent start: what was wanted.
          }
          return null;
        });
  }

  /**
   * The parent of the tracking cgroups on the unified hierarchy (hybrid hosts: a cgroup2 mount
   * without controllers, {@code /sys/fs/cgroup/unified}), or empty on a v1-only host.
   */
  private java.util.Optional<Path> trackingParent() {
    return layout.unifiedMount().map(u -> u.resolve(parent + TRACKING_SUFFIX));
  }

  @Override
  public ContainerCgroup track(String id, StepLog log) throws StepLog.StepException {
    java.util.Optional<Path> tp = trackingParent();
    if (tp.isEmpty()) {
      return null;
    }
    return TrackingCgroup.create(layout.unifiedMount().get(), tp.get(), id, fs, log);
  }

  @Override
  public boolean unified() {
    return false;
  }

  @Override
  public List<String> containers() throws IOException {
    Set<String> ids = new TreeSet<>();
    for (Path p : parentPaths()) {
      ids.addAll(fs.children(p));
    }
    if (trackingParent().isPresent()) {
      ids.addAll(fs.children(trackingParent().get()));
    }
    return new ArrayList<>(ids);
  }

  @Override
  public ContainerCgroup open(String id, StepLog log) {
    CgroupDriver.checkName("container", id);
    List<FsContainerCgroup.Dir> dirs = new ArrayList<>();
    for (Path p : parentPaths()) {
      // A v1 parent is made right under its hierarchy's mount (parentPaths): its parent is the
      // root.
      dirs.add(new FsContainerCgroup.Dir(p.getParent(), p.resolve(id), "cleanup"));
    }
    trackingParent()
        .ifPresent(tp -> dirs.add(TrackingCgroup.cleanup(layout.unifiedMount().get(), tp, id)));
    return new V1Cgroup(id, dirs, fs, log);
  }

  @Override
  public void removeParent() throws IOException {
    List<Path> all = new ArrayList<>(parentPaths());
    trackingParent().ifPresent(all::add);
    FsContainerCgroup.removeParents(fs, all);
  }

  /** A container's v1 cgroups. */
  private static final class V1Cgroup extends FsContainerCgroup {
    V1Cgroup(String id, List<Dir> dirs, CgroupFs fs, StepLog log) {
      super(id, dirs, fs, log);
    }

    @Override
    public long oomKills() throws IOException {
      for (Dir d : dirs) {
        Path f = d.path().resolve("memory.oom_control");
        if (fs.exists(f)) {
          return keyed(f, "oom_kill");
        }
      }
      return 0;
    }
  }
}
