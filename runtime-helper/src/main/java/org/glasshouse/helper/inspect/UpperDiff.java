package org.glasshouse.helper.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.glasshouse.protocol.inspect.UpperDirEntry;
import org.glasshouse.protocol.inspect.UpperEvent;

/** What changed between two listings of an upper dir, entries keyed by path. A pure function. */
public final class UpperDiff {

  private UpperDiff() {}

  /**
   * Compares two listings.
   *
   * @param against "previous" or "none"
   */
  public static UpperEvent.Diff between(
      List<UpperDirEntry> before, List<UpperDirEntry> after, String against) {
    Map<String, UpperDirEntry> old = new LinkedHashMap<>();
    before.forEach(e -> old.put(e.path(), e));
    List<UpperDirEntry> added = new ArrayList<>();
    List<UpperDirEntry> changed = new ArrayList<>();
    for (UpperDirEntry e : after) {
      UpperDirEntry was = old.remove(e.path());
      if (was == null) {
        added.add(e);
      } else if (!same(was, e)) {
        changed.add(e);
      }
    }
    return new UpperEvent.Diff(against, added, new ArrayList<>(old.values()), changed);
  }

  /**
   * Whether nothing a viewer sees changed. The birth time is left out: it cannot change without the
   * entry being replaced, which changes its change time too.
   */
  private static boolean same(UpperDirEntry a, UpperDirEntry b) {
    return a.kind().equals(b.kind())
        && a.size() == b.size()
        && a.uid() == b.uid()
        && a.gid() == b.gid()
        && a.mode().equals(b.mode())
        && Objects.equals(a.opaque(), b.opaque())
        && Objects.equals(a.inLower(), b.inLower())
        && Objects.equals(a.changedNs(), b.changedNs());
  }
}
