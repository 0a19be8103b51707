package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Everything the kernel says about a container (or the host), the result of the {@code inspect} op.
 *
 * @param target the container id, or "host"
 * @param pid the host pid everything was read from (the container's first process, or 1)
 * @param gone true when that process exited before or while it was read; the other parts are then
 *     absent or partial
 * @param namespaces per type in display order
 * @param processes the container's processes (for the host: PID 1 only)
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

  /** A result without {@link #accounts} and {@link #devices} (the shape before they were read). */
  public InspectResult(
      String target,
      long pid,
      boolean gone,
      Map<String, NamespaceView> namespaces,
      List<ProcessInfo> processes,
      CgroupView cgroup,
      NetworkInfo network,
      OverlayInfo overlay,
      MountSummary mounts,
      List<UpperDirEntry> upperDir) {
    this(
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
        null,
        null);
  }

  /** A result for a process that is gone. */
  public static InspectResult gone(String target, long pid) {
    return new InspectResult(
        target, pid, true, null, null, null, null, null, null, null, null, null);
  }

  /** This result with another network part (the container's wiring added). */
  public InspectResult withNetwork(NetworkInfo n) {
    return new InspectResult(
        target,
        pid,
        gone,
        namespaces,
        processes,
        cgroup,
        n,
        overlay,
        mounts,
        upperDir,
        accounts,
        devices);
  }

  /** This result with the upper dir's listing added. */
  public InspectResult withUpperDir(List<UpperDirEntry> entries) {
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
        entries,
        accounts,
        devices);
  }

  /** This result with the names of its ids added. */
  public InspectResult withAccounts(Accounts names) {
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
        names,
        devices);
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
