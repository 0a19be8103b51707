package org.glasshouse.helper.inspect;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.glasshouse.helper.linux.SyscallArgs;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.MountsResult;

/**
 * Which step of a container's start made which mount of a table: the {@code step} of {@link
 * MountsResult.Mount}.
 *
 * <p>Done here, in the helper, rather than in a client: the helper wrote the steps' arguments (one
 * formatter, {@link SyscallArgs#mount}, with its parser beside it) and knows for a fact the
 * directory that became the container's root, under which every mount target of its start lies. A
 * client would have to re-parse the argument text and guess that root from other steps (a chroot's
 * argument, the chdir before pivot_root), and after pivot_root the container's table no longer says
 * where its root was.
 *
 * <p>A {@code mount} step that succeeded and made a mount (not a remount, a move or a change of
 * propagation) is matched with the first mount of the table, in mount order, not matched yet, at
 * its target — seen from inside the container's root ({@code <root>/proc} → {@code /proc}), or as
 * the host sees it — with the step's source and filesystem type (for a bind, whose table entry
 * shows the bound filesystem instead, the mount point alone).
 */
public final class MountSteps {

  private MountSteps() {}

  /**
   * Mount id → the {@code seq} of the step that made it.
   *
   * @param table the mount table, in mount order
   * @param steps the container's step log
   * @param root the directory that became the container's root, as the host sees it (null: none,
   *     only targets as the host sees them are matched)
   * @param hostView whether {@code table} is the host's, where the targets appear as the host sees
   *     them (the level-01 leak); else the container's own, where they appear below its root
   */
  public static Map<Integer, Integer> match(
      List<MountsResult.Mount> table, List<StepEntry> steps, String root, boolean hostView) {
    Map<Integer, Integer> out = new HashMap<>();
    if (table == null || steps == null || steps.isEmpty()) {
      return out;
    }
    Set<Integer> claimed = new HashSet<>();
    for (StepEntry s : steps) {
      if (!s.ok() || !"mount".equals(s.call())) {
        continue;
      }
      Optional<SyscallArgs.MountCall> parsed = SyscallArgs.parseMount(s.args());
      if (parsed.isEmpty() || !parsed.get().createsMount()) {
        continue;
      }
      SyscallArgs.MountCall call = parsed.get();
      String inside = hostView ? null : below(root, call.target());
      for (MountsResult.Mount m : table) {
        if (claimed.contains(m.id())) {
          continue;
        }
        boolean at =
            m.mountPoint().equals(call.target())
                || (inside != null && m.mountPoint().equals(inside));
        boolean same =
            call.bind()
                || (m.fsType().equals(call.fstype())
                    && m.source().equals(call.source() == null ? "none" : call.source()));
        if (at && same) {
          claimed.add(m.id());
          out.put(m.id(), s.seq());
          break;
        }
      }
    }
    return out;
  }

  /** {@code table} with each mount's {@code step} set from {@code steps} (null where none). */
  public static List<MountsResult.Mount> annotate(
      List<MountsResult.Mount> mounts, Map<Integer, Integer> steps) {
    return mounts.stream()
        .map(m -> steps.containsKey(m.id()) ? m.withStep(steps.get(m.id())) : m)
        .toList();
  }

  /**
   * {@code target} as seen from inside {@code root}: {@code /r/proc} → {@code /proc}; else null.
   */
  static String below(String root, String target) {
    if (root == null || target == null) {
      return null;
    }
    String r =
        root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
    if (target.equals(r)) {
      return "/";
    }
    return target.startsWith(r + "/") ? target.substring(r.length()) : null;
  }
}
