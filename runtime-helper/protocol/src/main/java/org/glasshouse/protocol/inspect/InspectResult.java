package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Everything the kernel says about a container (or the host), the result of the {@code inspect} op.
 * Built by name ({@link #builder}), never positionally ({@code NamedConstructionTest}).
 *
 * @param target the container id, or "host"
 * @param pid the host pid everything was read from (the container's first process, or 1)
 * @param gone true when that process exited before or while it was read; the other parts are then
 *     absent or partial
 * @param namespaces per type in display order
 * @param processes the container's processes (for the host: the process that stands for it, then
 *     PID 1 when that is another — the helper stands for the host where PID 1's ns links are
 *     unreadable)
 * @param cgroup where its cgroups are and what they hold
 * @param network interfaces and hostname
 * @param overlay the layers when the root is an overlay
 * @param mounts a summary of the mount table
 * @param upperDir the overlay's upper dir content, only when asked for ({@code "upper":true}), at
 *     most 5000 entries in walk order
 * @param accounts the names of the uids and gids its processes use, in its own and the host's
 *     {@code /etc/passwd} and {@code /etc/group}
 * @param devices which devices it may open, as its cgroups say (issue 12)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InspectResult(
    String target,
    long pid,
    boolean gone,
    Map<String, NamespaceView> namespaces,
    List<ProcessInfo> processes,
    CgroupView cgroup,
    NetworkInfo network,
    OverlayInfo overlay,
    MountSummary mounts,
    List<UpperDirEntry> upperDir,
    Accounts accounts,
    DeviceAccess devices) {

  /** A result for a process that is gone. */
  public static InspectResult gone(String target, long pid) {
    return builder().target(target).pid(pid).gone(true).build();
  }

  /** This result with another network part (the container's wiring added). */
  public InspectResult withNetwork(NetworkInfo n) {
    return toBuilder().network(n).build();
  }

  /** This result with the upper dir's listing added. */
  public InspectResult withUpperDir(List<UpperDirEntry> entries) {
    return toBuilder().upperDir(entries).build();
  }

  /** This result with the names of its ids added. */
  public InspectResult withAccounts(Accounts names) {
    return toBuilder().accounts(names).build();
  }

  /** A builder with every field unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this result's fields, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .target(target)
        .pid(pid)
        .gone(gone)
        .namespaces(namespaces)
        .processes(processes)
        .cgroup(cgroup)
        .network(network)
        .overlay(overlay)
        .mounts(mounts)
        .upperDir(upperDir)
        .accounts(accounts)
        .devices(devices);
  }

  /** Builds a {@link InspectResult} field by field; each setter is named after its component. */
  public static final class Builder {
    private String target;
    private long pid;
    private boolean gone;
    private Map<String, NamespaceView> namespaces;
    private List<ProcessInfo> processes;
    private CgroupView cgroup;
    private NetworkInfo network;
    private OverlayInfo overlay;
    private MountSummary mounts;
    private List<UpperDirEntry> upperDir;
    private Accounts accounts;
    private DeviceAccess devices;

    private Builder() {}

    /** {@link InspectResult#target}. */
    public Builder target(String target) {
      this.target = target;
      return this;
    }

    /** {@link InspectResult#pid}. */
    public Builder pid(long pid) {
      this.pid = pid;
      return this;
    }

    /** {@link InspectResult#gone}. */
    public Builder gone(boolean gone) {
      this.gone = gone;
      return this;
    }

    /** {@link InspectResult#namespaces}. */
    public Builder namespaces(Map<String, NamespaceView> namespaces) {
      this.namespaces = namespaces;
      return this;
    }

    /** {@link InspectResult#processes}. */
    public Builder processes(List<ProcessInfo> processes) {
      this.processes = processes;
      return this;
    }

    /** {@link InspectResult#cgroup}. */
    public Builder cgroup(CgroupView cgroup) {
      this.cgroup = cgroup;
      return this;
    }

    /** {@link InspectResult#network}. */
    public Builder network(NetworkInfo network) {
      this.network = network;
      return this;
    }

    /** {@link InspectResult#overlay}. */
    public Builder overlay(OverlayInfo overlay) {
      this.overlay = overlay;
      return this;
    }

    /** {@link InspectResult#mounts}. */
    public Builder mounts(MountSummary mounts) {
      this.mounts = mounts;
      return this;
    }

    /** {@link InspectResult#upperDir}. */
    public Builder upperDir(List<UpperDirEntry> upperDir) {
      this.upperDir = upperDir;
      return this;
    }

    /** {@link InspectResult#accounts}. */
    public Builder accounts(Accounts accounts) {
      this.accounts = accounts;
      return this;
    }

    /** {@link InspectResult#devices}. */
    public Builder devices(DeviceAccess devices) {
      this.devices = devices;
      return this;
    }

    /** The result. */
    public InspectResult build() {
      return new InspectResult(
          target,
          pid,
          gone,
          namespaces,
          processes,
          cgroup,
          network,
          overlay,
          mounts,
          upperDir,
          accounts,
          devices);
    }
  }

  /**
   * One namespace of the target against the host's.
   *
   * @param inode the target's nsfs inode
   * @param hostInode PID 1's
   * @param sameAsHost whether equal
   * @param sharers how many processes on the machine are in the target's namespace
   * @param sharedWith their pids, at most 64, ascending
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NamespaceView(
      Long inode, Long hostInode, boolean sameAsHost, int sharers, List<Long> sharedWith) {}

  /**
   * The target's cgroups.
   *
   * @param v1 controller → directory on the host
   * @param v2 the unified hierarchy's directory, or null
   * @param stats usage and limits
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CgroupView(Map<String, String> v1, String v2, CgroupStats stats) {}

  /**
   * The mount table in brief (the {@code mounts} op has it all).
   *
   * @param count mounts in the target's table
   * @param overmounted of which hidden by a later mount on the same point
   * @param rootSource source of the visible mount at {@code /}
   * @param rootFsType its filesystem type
   * @param root the target's root directory as the host sees it ({@code /proc/PID/root})
   * @param addedVsHost mounts the target has and the host does not
   * @param removedVsHost mounts the host has and the target does not
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record MountSummary(
      int count,
      int overmounted,
      String rootSource,
      String rootFsType,
      String root,
      int addedVsHost,
      int removedVsHost) {}
}
