package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A mount table, the result of the {@code mounts} op.
 *
 * @param target the container id or "host"
 * @param pid whose {@code /proc/PID/mountinfo} was read
 * @param gone true when the process is gone (nothing else is then set)
 * @param root the process's root as the host sees it ({@code /proc/PID/root}; "/" for the host)
 * @param entries every mount in mountinfo (= mount) order
 * @param malformed lines of mountinfo that could not be parsed, one sentence each
 * @param diff changes relative to another snapshot, when asked for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MountsResult(
    String target,
    long pid,
    boolean gone,
    String root,
    List<Mount> entries,
    List<String> malformed,
    Diff diff) {

  /**
   * One mount on the wire.
   *
   * @param id mount id
   * @param parentId parent mount id
   * @param device {@code major:minor}
   * @param root root of the mount within its filesystem
   * @param mountPoint mount point
   * @param options per-mount options
   * @param optionalFields shared:N master:N propagate_from:N unbindable
   * @param propagation shared, slave, shared,slave, private or unbindable
   * @param fsType filesystem type
   * @param source source
   * @param superOptions per-superblock options
   * @param overmounted hidden by a later mount on the same mount point under the same parent
   * @param leakedFrom on the host table: the container whose root this mount lies under while that
   *     container shares the host's mount namespace (the level-01 leak); else null
   * @param step the {@code seq} of the step-log entry whose {@code mount} made this mount: a step
   *     of this container, or on the host's table of the {@code leakedFrom} container; null for a
   *     mount no start step made (the host's own, or one the workload made)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Mount(
      int id,
      int parentId,
      String device,
      String root,
      String mountPoint,
      String options,
      List<String> optionalFields,
      String propagation,
      String fsType,
      String source,
      String superOptions,
      boolean overmounted,
      String leakedFrom,
      Integer step) {

    /** This mount with {@code step} set (null: none). */
    public Mount withStep(Integer step) {
      return new Mount(
          id,
          parentId,
          device,
          root,
          mountPoint,
          options,
          optionalFields,
          propagation,
          fsType,
          source,
          superOptions,
          overmounted,
          leakedFrom,
          step);
    }
  }

  /**
   * Differences between two mount tables. Mounts are matched by mount point + source + fs type (ids
   * differ across namespaces and are reused).
   *
   * @param against what the target was compared with: "host" in a {@code mounts} result; "previous"
   *     or "none" (the first event) in a {@code mounts} event
   * @param added in the target, not in the other
   * @param removed in the other, not in the target
   * @param changed in both, different
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Diff(
      String against, List<Mount> added, List<Mount> removed, List<Change> changed) {}

  /**
   * A mount present in both, different.
   *
   * @param before in the other table
   * @param after in the target's
   * @param fields what differs
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Change(Mount before, Mount after, List<String> fields) {}
}
