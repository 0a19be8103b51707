package org.glasshouse.helper.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.glasshouse.protocol.inspect.NamespacesEvent;
import org.glasshouse.protocol.inspect.NamespacesEvent.Change;

/**
 * What changed between two readings of the namespaces of a container's processes, each reading a
 * map pid → (namespace type → nsfs inode) as {@link Namespaces#inodes()} gives. The {@code diff} of
 * a {@code namespaces} event.
 *
 * @param added pids in the new reading only, ascending
 * @param removed pids in the old reading only, ascending
 * @param changed per pid present in both (ascending), per type in {@link Namespaces#TYPES} order:
 *     the namespaces whose inode differs (the protocol's {@link NamespacesEvent.Change})
 */
public record NamespaceChanges(List<Long> added, List<Long> removed, List<Change> changed) {

  /** Compact canonical constructor: keeps copies. */
  public NamespaceChanges {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  /** The changes from {@code before} to {@code after} (a pure function of the two readings). */
  public static NamespaceChanges between(
      Map<Long, Map<String, Long>> before, Map<Long, Map<String, Long>> after) {
    TreeSet<Long> pids = new TreeSet<>(before.keySet());
    pids.addAll(after.keySet());
    List<Long> added = new ArrayList<>();
    List<Long> removed = new ArrayList<>();
    List<Change> changed = new ArrayList<>();
    for (long pid : pids) {
      Map<String, Long> b = before.get(pid);
      Map<String, Long> a = after.get(pid);
      if (b == null) {
        added.add(pid);
      } else if (a == null) {
        removed.add(pid);
      } else {
        for (String type : Namespaces.TYPES) {
          Long x = b.get(type);
          Long y = a.get(type);
          if (!Objects.equals(x, y)) {
            changed.add(new Change(pid, type, x, y));
          }
        }
      }
    }
    return new NamespaceChanges(added, removed, changed);
  }

  /**
   * These changes as the protocol carries them.
   *
   * @param against "previous", or "none" for the first reading of a container
   */
  public NamespacesEvent.Diff toWire(String against) {
    return new NamespacesEvent.Diff(against, added, removed, changed);
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }
}
