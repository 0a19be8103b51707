package org.glasshouse.app.glasshouse;

import java.util.List;

/**
 * One container as the glass house draws it: an immutable snapshot built from its step log and the
 * kernel's latest facts ({@link HouseBuilder}); the view diffs one snapshot against the next. Texts
 * meant for people are already in words here (units through the app's one formatter); numbers the
 * view draws as shapes (gauge fractions) stay numbers.
 *
 * @param id container id
 * @param shortId the first twelve characters
 * @param command its command line
 * @param level the level it ran at, or null (free play, or not known yet)
 * @param freePlay whether it ran with a free-play feature set
 * @param phase where it is in its life
 * @param status "running · pid 4242", "OOM-killed", …
 * @param execOf for an exec drawn inside another container's house: that container's id
 * @param walls one per {@link NsType}, outermost first
 * @param processes its processes, a tree in depth-first order
 * @param rootfs its root filesystem
 * @param gauges cpu, memory, pids
 * @param net its network and hostname
 * @param seccomp whether its processes run under a seccomp filter (level 13)
 * @param initBuilt whether its init stage runs at this point of a replay
 * @param commandBuilt whether its command was exec'd at this point of a replay (its processes are
 *     shown from then on)
 * @param built whether the house stands at this point of a replay (its first step reached)
 * @param highlighted whether the selected step built the house itself
 * @param starting while it starts (live, not in a replay): what its rooms say instead of facts not
 *     there yet (the step it is at, what is still to come); null once it runs
 */
public record HouseModel(
    String id,
    String shortId,
    String command,
    Integer level,
    boolean freePlay,
    Phase phase,
    String status,
    String execOf,
    List<WallModel> walls,
    List<ProcessModel> processes,
    RootFsModel rootfs,
    List<GaugeModel> gauges,
    NetModel net,
    Badge seccomp,
    boolean initBuilt,
    boolean commandBuilt,
    boolean built,
    boolean highlighted,
    String starting) {

  /** Where a container is in its life. */
  public enum Phase {
    STARTING,
    RUNNING,
    EXITED,
    OOM_KILLED,
    FAILED,
    LOST;

    public boolean live() {
      return this == STARTING || this == RUNNING;
    }
  }

  /** The wall of one type. */
  public WallModel wall(NsType t) {
    return walls.get(t.ordinal());
  }

  /** The gauge named {@code name} (cpu, memory, pids). */
  public GaugeModel gauge(String name) {
    return gauges.stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * One namespace wall.
   *
   * @param type the namespace type
   * @param own whether the container has a namespace of its own of this type (raised or joined)
   * @param built whether it stands at this point of a replay (own and its step reached)
   * @param joined whether it entered another's namespace (setns) rather than making one (unshare)
   * @param inode the namespace's inode, when read
   * @param hostInode the host's
   * @param number its label's index + 1 ({@link Identities#code}, from the inode), 0 when the
   *     host's or its inode is not read yet
   * @param colour its colour slot, -1 for the host's
   * @param letter its two letters (from the inode), empty for the host's or not read yet
   * @param sharers how many processes of the machine are in it
   * @param sharedWith their pids (at most 64)
   * @param builtBy the call that made it, as strace writes it; null when not known
   * @param builtSeq the step entry of that call, 0 when not known
   * @param note a fact that lives in this namespace (the hostname for uts), or null
   * @param highlighted whether the selected step built it
   * @param planned while the container starts: not standing yet, but its run asks for it (drawn as
   *     an outline of the wall to come, not as the host's open one)
   */
  public record WallModel(
      NsType type,
      boolean own,
      boolean built,
      boolean joined,
      Long inode,
      Long hostInode,
      int number,
      int colour,
      String letter,
      int sharers,
      List<Long> sharedWith,
      String builtBy,
      int builtSeq,
      String note,
      boolean highlighted,
      boolean planned) {

    /** Whether it is drawn as a wall (else it is open: the host's, or planned). */
    public boolean standing() {
      return own && built;
    }

    /** {@code uts:[4026532178]}, as {@code ls -l /proc/PID/ns} writes it; null when unread. */
    public String identity() {
      return inode == null ? null : type.wire() + ":[" + inode + "]";
    }
  }

  /**
   * One process.
   *
   * @param hostPid its pid on the host
   * @param nsPid its pid as it sees itself (the last of its NSpid chain), null when not read yet
   * @param depth its depth in the container's process tree
   * @param command its command line
   * @param uid its effective uid
   * @param user the uid's name in the container's /etc/passwd, or null
   * @param hostUser the uid's name in the host's /etc/passwd, or null
   * @param caps its capabilities
   * @param noNewPrivs the no_new_privs bit
   * @param seccomp 0 none, 1 strict, 2 filter
   * @param state its state in words (sleeping, zombie …)
   * @param first whether it is the container's first process
   * @param pending whether only its pid is known yet (the namespaces event came first)
   * @param exec the id of the exec that started it, or null
   * @param zombies when this row stands for several zombies of one parent: them and their parent;
   *     null for one process
   */
  public record ProcessModel(
      long hostPid,
      Long nsPid,
      int depth,
      String command,
      Long uid,
      String user,
      String hostUser,
      Caps caps,
      boolean noNewPrivs,
      int seccomp,
      String state,
      boolean first,
      boolean pending,
      String exec,
      Zombies zombies) {

    /** This row standing for the zombies {@code z} (its other facts those of the first of them). */
    public ProcessModel withZombies(Zombies z) {
      return new ProcessModel(
          hostPid,
          nsPid,
          depth,
          command,
          uid,
          user,
          hostUser,
          caps,
          noNewPrivs,
          seccomp,
          state,
          first,
          pending,
          exec,
          z);
    }

    /** One process. */
    public ProcessModel(
        long hostPid,
        Long nsPid,
        int depth,
        String command,
        Long uid,
        String user,
        String hostUser,
        Caps caps,
        boolean noNewPrivs,
        int seccomp,
        String state,
        boolean first,
        boolean pending,
        String exec) {
      this(
          hostPid,
          nsPid,
          depth,
          command,
          uid,
          user,
          hostUser,
          caps,
          noNewPrivs,
          seccomp,
          state,
          first,
          pending,
          exec,
          null);
    }

    /**
     * Whether it has exited and waits for its parent to collect its exit status (a zombie): it
     * still holds its PID, and its place under pids.max.
     */
    public boolean zombie() {
      return "zombie".equals(state);
    }
  }

  /**
   * Zombies of one parent drawn as one row (level 12's fork experiment leaves 30 under a PID 1 that
   * never reaps: 30 rows pushed the gauges, the lesson, below the fold).
   *
   * @param hostPids their pids on the host, in order
   * @param nsPids their pids inside (the last of each NSpid chain; the host pid when not read)
   * @param parentPid the parent's pid as the container sees it (inside its PID namespace if any)
   * @param parentName the parent's command name ({@code sh}, {@code sleep})
   */
  public record Zombies(List<Long> hostPids, List<Long> nsPids, long parentPid, String parentName) {

    /** "30 zombies of PID 1 (sh)". */
    public String label() {
      return hostPids.size() + " zombies of PID " + parentPid + " (" + parentName + ")";
    }
  }

  /**
   * A process's capability sets in brief.
   *
   * @param effective how many it has in effect
   * @param bounding how many it could ever gain
   * @param all how many the host's processes can hold (the host's bounding set)
   * @param effectiveNames the effective set, lower case without CAP_
   * @param boundingNames the bounding set
   */
  public record Caps(
      int effective,
      int bounding,
      int all,
      List<String> effectiveNames,
      List<String> boundingNames) {

    /** Whether nothing was cut: the bounding set is the host's. */
    public boolean full() {
      return bounding >= all && all > 0;
    }
  }

  /**
   * The root filesystem.
   *
   * @param kind how the container got its root
   * @param root its root directory as the host sees it ({@code /proc/PID/root})
   * @param rootSource the source of the mount at its /
   * @param rootFsType that mount's filesystem type
   * @param image the image's directory (the overlay's lower layer, or the chroot's target)
   * @param upper the overlay's writable upper directory, or null
   * @param mounts the pseudo filesystems mounted inside (/proc, /sys, /dev …)
   * @param devices whether device nodes were made in its /dev
   * @param masked how many paths were masked or made read-only
   * @param changes what it wrote into the upper directory, null when not read
   * @param leak at level 01: its mounts appear in the host's mount table
   * @param built which of its layers stand at this point of a replay
   * @param highlighted which of them the selected step built
   */
  public record RootFsModel(
      Kind kind,
      String root,
      String rootSource,
      String rootFsType,
      String image,
      String upper,
      List<String> mounts,
      boolean devices,
      int masked,
      Changes changes,
      boolean leak,
      List<String> built,
      List<String> highlighted) {

    /** How a container got its root. */
    public enum Kind {
      /** None of its own: the host's / (level 00). */
      HOST,
      /** chroot into the image (levels 01–02): the host's root is still there around it. */
      CHROOT,
      /** pivot_root into the image (level 03): the old root detached. */
      PIVOT,
      /** pivot_root into an overlay of the image (level 04 on). */
      OVERLAY
    }

    /** Whether layer {@code name} (image, upper, overlay, chroot, pivot, mounts …) stands. */
    public boolean has(String name) {
      return built.contains(name);
    }
  }

  /**
   * What a container changed in its root, from the overlay's upper directory.
   *
   * @param changed files of the image it wrote to (copied up first)
   * @param created files and directories it made that the image does not have
   * @param deleted files of the image it removed (whiteouts)
   * @param opaque directories it replaced wholesale
   * @param examples a few paths of each kind, "+ new", "~ etc/passwd", "- bin/ls"
   * @param truncated whether the listing stopped at the helper's limit
   */
  public record Changes(
      int changed, int created, int deleted, int opaque, List<String> examples, boolean truncated) {
    public static final Changes NONE = new Changes(0, 0, 0, 0, List.of(), false);
  }

  /**
   * One cgroup gauge.
   *
   * @param name cpu, memory or pids
   * @param limited whether the container has a cgroup of its own for it
   * @param fraction how full: value / max, NaN when there is no max
   * @param peak the highest fraction seen while shown, NaN when none
   * @param value the reading in words ("12.0 MiB", "0.42 cores", "3")
   * @param max the limit in words, or null ("no limit")
   * @param note what the limit means, one line
   * @param alarm what went wrong ("OOM-killed", "3 forks refused", "throttled"), or null
   * @param built whether it stands at this point of a replay
   * @param highlighted whether the selected step built it
   * @param settings the limits its cgroup holds, as the kernel reads them back, each with the file
   *     the helper wrote ("limit 32.0 MiB — memory.limit_in_bytes"); empty without a cgroup
   */
  public record GaugeModel(
      String name,
      boolean limited,
      double fraction,
      double peak,
      String value,
      String max,
      String note,
      String alarm,
      boolean built,
      boolean highlighted,
      List<String> settings) {}

  /**
   * Its network namespace and hostname.
   *
   * @param own whether it has a network namespace of its own
   * @param interfaces the interfaces it sees
   * @param hostname the hostname inside
   * @param hostHostname the host's; null before the host was read
   * @param ownHostname whether it has a UTS namespace of its own
   * @param error why interfaces are missing, or null
   * @param wire its veth pair to the helper's bridge (level 07's bonus), or null
   */
  public record NetModel(
      boolean own,
      List<Interface> interfaces,
      String hostname,
      String hostHostname,
      boolean ownHostname,
      String error,
      Wire wire) {}

  /**
   * A container's veth pair to the helper's bridge, as {@code inspect} reports it.
   *
   * @param containerEnd the end inside ({@code eth0})
   * @param address its address as CIDR
   * @param hostEnd the end on the host, a port of the bridge
   * @param bridge the bridge
   * @param bridgeAddress the bridge's address, the gateway
   * @param netns the {@code ip netns} link
   * @param sentBytes bytes the container's end sent (null when unknown)
   * @param receivedBytes bytes it received
   */
  public record Wire(
      String containerEnd,
      String address,
      String hostEnd,
      String bridge,
      String bridgeAddress,
      String netns,
      Long sentBytes,
      Long receivedBytes) {}

  /**
   * One network interface.
   *
   * @param name lo, eth0, veth…
   * @param up whether it is up
   * @param addresses its addresses
   * @param kind loopback, veth or other
   */
  public record Interface(String name, boolean up, List<String> addresses, String kind) {}

  /**
   * A badge on the house's roof.
   *
   * @param on whether it shows
   * @param text its words
   * @param built whether it stands at this point of a replay
   * @param highlighted whether the selected step made it
   */
  public record Badge(boolean on, String text, boolean built, boolean highlighted) {
    public static final Badge OFF = new Badge(false, "", false, false);
  }
}
