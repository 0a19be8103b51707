package org.glasshouse.helper.mountinfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A mount table as a tree: each mount under its parent, in mountinfo order (which is mount order).
 * Immutable; built from one snapshot.
 */
public final class MountTree {

  private final List<MountEntry> entries;
  private final Map<Integer, MountEntry> byId = new HashMap<>();
  private final Map<Integer, List<MountEntry>> children = new HashMap<>();
  private final List<MountEntry> roots = new ArrayList<>();
  private final Set<Integer> overmounted = new HashSet<>();

  private MountTree(List<MountEntry> entries) {
    this.entries = List.copyOf(entries);
    for (MountEntry e : this.entries) {
      byId.putIfAbsent(e.id(), e);
    }
    // Mounts on the same mount point under the same parent stack up: only the last one mounted is
    // visible, the earlier ones are hidden below it (still in the table, still holding the fs).
    Map<String, MountEntry> lastAt = new LinkedHashMap<>();
    for (MountEntry e : this.entries) {
      boolean root = e.parentId() == e.id() || !byId.containsKey(e.parentId());
      if (root) {
        roots.add(e);
      } else {
        children.computeIfAbsent(e.parentId(), k -> new ArrayList<>()).add(e);
      }
      MountEntry previous = lastAt.put(e.parentId() + "\u0000" + e.mountPoint(), e);
      if (previous != null) {
        overmounted.add(previous.id());
      }
      // Mounting onto a path that already is a mount point makes the new mount a child of the old
      // one at the very same path: the parent is then hidden just the same.
      MountEntry parent = byId.get(e.parentId());
      if (parent != null && parent != e && parent.mountPoint().equals(e.mountPoint())) {
        overmounted.add(parent.id());
      }
    }
  }

  /** Builds the tree of one snapshot. */
  public static MountTree of(List<MountEntry> entries) {
    return new MountTree(entries);
  }

  /** Every entry in mountinfo order. */
  public List<MountEntry> entries() {
    return entries;
  }

  /**
   * Mounts whose parent is not in this table (normally exactly one: the namespace's root; a process
   * under chroot or in a copied namespace can show more).
   */
  public List<MountEntry> roots() {
    return Collections.unmodifiableList(roots);
  }

  /** Direct children of a mount, in mount order. */
  public List<MountEntry> children(MountEntry parent) {
    return children.getOrDefault(parent.id(), List.of());
  }

  /**
   * Whether another mount hides this one: a later mount on the same mount point under the same
   * parent, or a child mounted on this mount's own mount point.
   */
  public boolean isOvermounted(MountEntry e) {
    return overmounted.contains(e.id());
  }

  /** The mount at {@code /} that is visible (the last one mounted there), if any. */
  public java.util.Optional<MountEntry> visibleRoot() {
    MountEntry found = null;
    for (MountEntry e : entries) {
      if (e.mountPoint().equals("/") && !isOvermounted(e)) {
        found = e;
      }
    }
    return java.util.Optional.ofNullable(found);
  }

  /** Depth-first walk: each visitor call gets the entry and its depth (roots are depth 0). */
  public void walk(Visitor visitor) {
    Set<Integer> seen = new HashSet<>();
    for (MountEntry r : roots) {
      walk(r, 0, visitor, seen);
    }
  }

  private void walk(MountEntry e, int depth, Visitor visitor, Set<Integer> seen) {
    // A corrupt or racing table could contain a cycle; never loop forever on it.
    if (!seen.add(e.id())) {
      return;
    }
    visitor.visit(e, depth);
    for (MountEntry c : children(e)) {
      walk(c, depth + 1, visitor, seen);
    }
  }

  /** Receives the entries of {@link #walk}. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * @param entry the mount
     * @param depth 0 for a root
     */
    void visit(MountEntry entry, int depth);
  }
}
