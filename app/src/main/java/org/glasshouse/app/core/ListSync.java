package org.glasshouse.app.core;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Brings a list in line with another by the fewest removals and insertions, never by replacing it
 * whole: a tree's selection model drops a selected item that leaves its parent's children list even
 * for an instant, so live trees re-link children with this, not {@code setAll}.
 */
public final class ListSync {
  private ListSync() {}

  /**
   * Makes {@code have} hold exactly {@code want}'s elements (compared by identity) in {@code
   * want}'s order. Elements in both keep their place in {@code have}; only when their relative
   * order differs is the list rebuilt.
   *
   * @return whether {@code have} changed
   */
  public static <T> boolean sync(List<T> have, List<T> want) {
    Set<T> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
    wanted.addAll(want);
    boolean changed = false;
    for (int i = have.size() - 1; i >= 0; i--) {
      if (!wanted.contains(have.get(i))) {
        have.remove(i);
        changed = true;
      }
    }
    Set<T> present = Collections.newSetFromMap(new IdentityHashMap<>());
    present.addAll(have);
    for (int i = 0; i < want.size(); i++) {
      T w = want.get(i);
      if (i < have.size() && have.get(i) == w) {
        continue;
      }
      if (present.contains(w)) {
        // The kept elements are in another order: nothing better than rebuilding.
        have.clear();
        have.addAll(want);
        return true;
      }
      have.add(i, w);
      changed = true;
    }
    return changed;
  }
}
