package org.glasshouse.app.mounts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.protocol.inspect.MountsResult;

/**
 * One live mount table (a container's or the host's) kept current from the helper's {@code mounts}
 * events, by mount id, in mount order. Each change says which ids came, went or changed, so a view
 * updates those rows only. Whether a mount is hidden by another ({@code overmounted}) is worked out
 * here from the whole table: the helper's change events do not recompute it for mounts they do not
 * name. Not thread-safe: the UI thread owns it.
 */
public final class MountTable {

  /**
   * What one update did, by mount id.
   *
   * @param added mounts that appeared
   * @param removed mounts that went
   * @param updated mounts whose fields changed (or whose overmounted mark did)
   */
  public record Change(Set<Integer> added, Set<Integer> removed, Set<Integer> updated) {
    /** Nothing changed. */
    public static final Change NONE = new Change(Set.of(), Set.of(), Set.of());

    /** Whether nothing changed. */
    public boolean isEmpty() {
      return added.isEmpty() && removed.isEmpty() && updated.isEmpty();
    }
  }

  private final Map<Integer, MountsResult.Mount> byId = new LinkedHashMap<>();
  private final Map<Integer, List<MountsResult.Mount>> children = new HashMap<>();
  private final List<MountsResult.Mount> roots = new ArrayList<>();
  private final Set<Integer> overmounted = new HashSet<>();

  /** Every mount, in mount order. */
  public Collection<MountsResult.Mount> all() {
    return byId.values();
  }

  /** How many mounts the table has. */
  public int size() {
    return byId.size();
  }

  /** Whether it has none (no table yet, or it was cleared). */
  public boolean isEmpty() {
    return byId.isEmpty();
  }

  /** The mount with this id, or null. */
  public MountsResult.Mount get(int id) {
    return byId.get(id);
  }

  /** The mounts whose parent is not in the table, in mount order. */
  public List<MountsResult.Mount> roots() {
    return roots;
  }

  /** The direct children of a mount, in mount order. */
  public List<MountsResult.Mount> children(int id) {
    return children.getOrDefault(id, List.of());
  }

  /** The parent of a mount, or null for a root. */
  public MountsResult.Mount parent(MountsResult.Mount m) {
    return m.parentId() == m.id() ? null : byId.get(m.parentId());
  }

  /**
   * Whether another mount hides this one: a later mount on the same mount point under the same
   * parent, or a child mounted on this mount's own mount point.
   */
  public boolean isOvermounted(int id) {
    return overmounted.contains(id);
  }

  /** Replaces the whole table (a snapshot, or an event {@code against: "none"}). */
  public Change replace(List<MountsResult.Mount> mounts) {
    Map<Integer, MountsResult.Mount> next = new LinkedHashMap<>();
    for (MountsResult.Mount m : mounts) {
      next.put(m.id(), m);
    }
    Set<Integer> added = new HashSet<>();
    Set<Integer> removed = new HashSet<>();
    Set<Integer> updated = new HashSet<>();
    for (Integer id : byId.keySet()) {
      if (!next.containsKey(id)) {
        removed.add(id);
      }
    }
    next.forEach(
        (id, m) -> {
          MountsResult.Mount was = byId.get(id);
          if (was == null) {
            added.add(id);
          } else if (!was.equals(m)) {
            updated.add(id);
          }
        });
    byId.clear();
    byId.putAll(next);
    return reindex(added, removed, updated);
  }

  /**
   * Applies a {@code mounts} event's diff: {@code none} replaces the table, {@code previous} adds,
   * removes and changes by id (an id already there is replaced, one not there is not removed, so a
   * diff that overlaps a snapshot still ends in the right table).
   */
  public Change apply(MountsResult.Diff diff) {
    if (diff == null) {
      return Change.NONE;
    }
    if ("none".equals(diff.against())) {
      return replace(diff.added() == null ? List.of() : diff.added());
    }
    Set<Integer> added = new HashSet<>();
    Set<Integer> removed = new HashSet<>();
    Set<Integer> updated = new HashSet<>();
    for (MountsResult.Mount m : nz(diff.removed())) {
      if (byId.remove(m.id()) != null) {
        removed.add(m.id());
      }
    }
    List<MountsResult.Mount> in = new ArrayList<>(nz(diff.added()));
    for (MountsResult.Change c : nz(diff.changed())) {
      if (c.before() != null && c.after() != null && c.before().id() != c.after().id()) {
        if (byId.remove(c.before().id()) != null) {
          removed.add(c.before().id());
        }
      }
      if (c.after() != null) {
        in.add(c.after());
      }
    }
    for (MountsResult.Mount m : in) {
      MountsResult.Mount was = byId.put(m.id(), m);
      if (was == null) {
        if (!removed.remove(m.id())) {
          added.add(m.id());
        } else {
          updated.add(m.id());
        }
      } else if (!was.equals(m)) {
        updated.add(m.id());
      }
    }
    return reindex(added, removed, updated);
  }

  /** Empties the table. */
  public Change clear() {
    return replace(List.of());
  }

  private Change reindex(Set<Integer> added, Set<Integer> removed, Set<Integer> updated) {
    children.clear();
    roots.clear();
    for (MountsResult.Mount m : byId.values()) {
      if (m.parentId() == m.id() || !byId.containsKey(m.parentId())) {
        roots.add(m);
      } else {
        children.computeIfAbsent(m.parentId(), k -> new ArrayList<>()).add(m);
      }
    }
    Set<Integer> hidden = new HashSet<>();
    Map<String, Integer> lastAt = new HashMap<>();
    for (MountsResult.Mount m : byId.values()) {
      Integer previous = lastAt.put(m.parentId() + "\u0000" + m.mountPoint(), m.id());
      if (previous != null) {
        hidden.add(previous);
      }
      MountsResult.Mount parent = byId.get(m.parentId());
      if (parent != null && parent != m && parent.mountPoint().equals(m.mountPoint())) {
        hidden.add(parent.id());
      }
    }
    for (Integer id : byId.keySet()) {
      if (hidden.contains(id) != overmounted.contains(id) && !added.contains(id)) {
        updated.add(id);
      }
    }
    overmounted.clear();
    overmounted.addAll(hidden);
    updated.removeAll(added);
    return new Change(Set.copyOf(added), Set.copyOf(removed), Set.copyOf(updated));
  }

  private static <T> List<T> nz(List<T> l) {
    return l == null ? List.of() : l;
  }
}
