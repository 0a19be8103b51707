package org.glasshouse.helper.inspect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.protocol.inspect.MountsResult;

/**
 * What changed between two mount snapshots. Mount ids are useless as keys (they differ across
 * namespaces and are reused), so a mount is identified by mount point + source + fs type; two
 * mounts with the same key are matched in mount order.
 *
 * @param added mounts only in the newer snapshot
 * @param removed mounts only in the older snapshot
 * @param changed mounts in both whose options, propagation, root or super options differ
 */
public record MountDiff(List<MountEntry> added, List<MountEntry> removed, List<Change> changed) {

  /**
   * One mount present in both snapshots but different.
   *
   * @param before as in the older snapshot
   * @param after as in the newer snapshot
   * @param fields names of what differs: options, propagation, root, superOptions
   */
  public record Change(MountEntry before, MountEntry after, List<String> fields) {}

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }

  /**
   * These differences as the protocol carries them.
   *
   * @param against what was compared: "host", "previous" or "none"
   */
  public MountsResult.Diff toWire(String against) {
    List<MountsResult.Change> wireChanged = new ArrayList<>();
    for (Change c : changed) {
      wireChanged.add(
          new MountsResult.Change(
              c.before().toWire(null, null), c.after().toWire(null, null), c.fields()));
    }
    return new MountsResult.Diff(
        against,
        added.stream().map(e -> e.toWire(null, null)).toList(),
        removed.stream().map(e -> e.toWire(null, null)).toList(),
        wireChanged);
  }

  /** Compares {@code before} with {@code after}. */
  public static MountDiff between(List<MountEntry> before, List<MountEntry> after) {
    Map<String, Deque<MountEntry>> old = new LinkedHashMap<>();
    for (MountEntry e : before) {
      old.computeIfAbsent(key(e), k -> new ArrayDeque<>()).add(e);
    }
    List<MountEntry> added = new ArrayList<>();
    List<Change> changed = new ArrayList<>();
    for (MountEntry e : after) {
      Deque<MountEntry> candidates = old.get(key(e));
      MountEntry was = candidates == null ? null : candidates.pollFirst();
      if (was == null) {
        added.add(e);
        continue;
      }
      List<String> fields = new ArrayList<>();
      if (!was.options().equals(e.options())) {
        fields.add("options");
      }
      if (!was.propagation().equals(e.propagation())) {
        fields.add("propagation");
      }
      if (!was.root().equals(e.root())) {
        fields.add("root");
      }
      if (!Objects.equals(was.superOptions(), e.superOptions())) {
        fields.add("superOptions");
      }
      if (!fields.isEmpty()) {
        changed.add(new Change(was, e, List.copyOf(fields)));
      }
    }
    List<MountEntry> removed = new ArrayList<>();
    old.values().forEach(removed::addAll);
    return new MountDiff(List.copyOf(added), List.copyOf(removed), List.copyOf(changed));
  }

  /**
   * Compares two tables as the protocol carries them, matched the same way (mount point + source +
   * fs type, in mount order); besides the fields {@link #between(List, List)} compares, a change of
   * {@code overmounted}, {@code leakedFrom} or {@code step} counts (the host's table carries them).
   *
   * @param against "previous" or "none"
   */
  public static MountsResult.Diff between(
      List<MountsResult.Mount> before, List<MountsResult.Mount> after, String against) {
    Map<String, Deque<MountsResult.Mount>> old = new LinkedHashMap<>();
    for (MountsResult.Mount m : before) {
      old.computeIfAbsent(key(m), k -> new ArrayDeque<>()).add(m);
    }
    List<MountsResult.Mount> added = new ArrayList<>();
    List<MountsResult.Change> changed = new ArrayList<>();
    for (MountsResult.Mount m : after) {
      Deque<MountsResult.Mount> candidates = old.get(key(m));
      MountsResult.Mount was = candidates == null ? null : candidates.pollFirst();
      if (was == null) {
        added.add(m);
        continue;
      }
      List<String> fields = new ArrayList<>();
      compare(fields, "options", was.options(), m.options());
      compare(fields, "propagation", was.propagation(), m.propagation());
      compare(fields, "root", was.root(), m.root());
      compare(fields, "superOptions", was.superOptions(), m.superOptions());
      compare(fields, "overmounted", was.overmounted(), m.overmounted());
      compare(fields, "leakedFrom", was.leakedFrom(), m.leakedFrom());
      compare(fields, "step", was.step(), m.step());
      if (!fields.isEmpty()) {
        changed.add(new MountsResult.Change(was, m, List.copyOf(fields)));
      }
    }
    List<MountsResult.Mount> removed = new ArrayList<>();
    old.values().forEach(removed::addAll);
    return new MountsResult.Diff(against, List.copyOf(added), List.copyOf(removed), changed);
  }

  private static void compare(List<String> fields, String name, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      fields.add(name);
    }
  }

  private static String key(MountsResult.Mount m) {
    return m.mountPoint() + "\u0000" + m.source() + "\u0000" + m.fsType();
  }

  private static String key(MountEntry e) {
    return e.mountPoint() + "\u0000" + e.source() + "\u0000" + e.fsType();
  }
}
