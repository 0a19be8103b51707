package org.glasshouse.app.mounts;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.glasshouse.protocol.inspect.MountsResult;

/**
 * Pairs a container's mount table with the host's and marks every mount of both ({@link Mark}).
 *
 * <p>Two mounts are the same when they show the same filesystem (device, root within it, type,
 * source) at the same place — the place as the host sees it. A container under chroot sees its
 * mounts below its root ({@code /proc}); the host sees the very same mount at {@code <root>/proc}:
 * so the container's mount points are first put where the host would see them ({@code root} is its
 * root as the host sees it, the {@code mounts} result's {@code root}; {@code /} once it pivoted
 * into a namespace of its own). The helper's own {@code diff: "host"} compares the paths as they
 * are and cannot tell this; hence a pairing here.
 */
public final class MountPairing {

  /**
   * Marks of both tables, and which mount of one is which of the other.
   *
   * @param container mark per mount id of the container's table
   * @param host mark per mount id of the host's table
   * @param containerToHost container mount id → the host's same mount
   * @param hostToContainer host mount id → the container's same mount
   */
  public record Result(
      Map<Integer, Mark> container,
      Map<Integer, Mark> host,
      Map<Integer, Integer> containerToHost,
      Map<Integer, Integer> hostToContainer) {

    /** The mark of a mount of one side (SHARED when unknown). */
    public Mark mark(Side side, int id) {
      return (side == Side.CONTAINER ? container : host).getOrDefault(id, Mark.SHARED);
    }

    /** The same mount in the other tree, or null. */
    public Integer pair(Side side, int id) {
      return (side == Side.CONTAINER ? containerToHost : hostToContainer).get(id);
    }
  }

  private MountPairing() {}

  /**
   * @param container the container's table (empty: nothing to compare, only leaks are marked)
   * @param root the container's root as the host sees it; null or "/" when it is the host's or its
   *     own namespace's
   * @param host the host's table
   */
  public static Result pair(MountTable container, String root, MountTable host) {
    Map<String, Deque<MountsResult.Mount>> hostByKey = new HashMap<>();
    for (MountsResult.Mount h : host.all()) {
      hostByKey.computeIfAbsent(key(h, h.mountPoint()), k -> new ArrayDeque<>()).add(h);
    }
    Map<Integer, Mark> c = new HashMap<>();
    Map<Integer, Mark> h = new HashMap<>();
    Map<Integer, Integer> c2h = new HashMap<>();
    Map<Integer, Integer> h2c = new HashMap<>();
    for (MountsResult.Mount m : container.all()) {
      Deque<MountsResult.Mount> same = hostByKey.get(key(m, hostPath(root, m.mountPoint())));
      MountsResult.Mount twin = same == null ? null : same.pollFirst();
      if (twin == null) {
        c.put(m.id(), Mark.ONLY_CONTAINER);
        continue;
      }
      Mark mark = twin.leakedFrom() != null ? Mark.LEAKED : Mark.SHARED;
      c.put(m.id(), mark);
      h.put(twin.id(), mark);
      c2h.put(m.id(), twin.id());
      h2c.put(twin.id(), m.id());
    }
    boolean comparing = !container.isEmpty();
    for (MountsResult.Mount m : host.all()) {
      if (h.containsKey(m.id())) {
        continue;
      }
      if (m.leakedFrom() != null) {
        h.put(m.id(), Mark.LEAKED);
      } else {
        h.put(m.id(), comparing ? Mark.NOT_IN_CONTAINER : Mark.SHARED);
      }
    }
    return new Result(c, h, c2h, h2c);
  }

  /** Where the host sees a mount point of a container whose root it sees at {@code root}. */
  static String hostPath(String root, String point) {
    if (root == null || root.equals("/") || root.isEmpty()) {
      return point;
    }
    return point.equals("/") ? root : root + point;
  }

  private static String key(MountsResult.Mount m, String place) {
    return place
        + '\u0000'
        + m.device()
        + '\u0000'
        + m.root()
        + '\u0000'
        + m.fsType()
        + '\u0000'
        + m.source();
  }
}
