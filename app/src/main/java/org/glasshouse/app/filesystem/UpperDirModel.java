package org.glasshouse.app.filesystem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.protocol.inspect.UpperDirEntry;
import org.glasshouse.protocol.inspect.UpperEvent;

/**
 * A container's overlay upper dir as the helper's {@code upper} events describe it, kept current by
 * path: each entry classified (new, copied up, deleted, opaque …), copy-ups timed, and counts for a
 * summary. Plain Java, no JavaFX: the Filesystem tab builds on it, and so can any view that shows
 * an overlay (the glass house's layers box). Not thread-safe: the UI thread owns it.
 */
public final class UpperDirModel {

  /** What an entry of the upper dir is, in the lesson's words. */
  public enum Kind {
    NEW("new", "the container made it; the image has no such path"),
    COPIED_UP("copied up", "a copy of the image's file, made when it was first opened for writing"),
    WHITEOUT("whiteout", "deleted: a 0:0 character device that hides the image's file"),
    OPAQUE_DIR(
        "opaque dir",
        "made anew over a deleted dir of the image: hides all of the image's content"),
    MERGED_DIR(
        "dir (merged)", "the image has this dir too: the two merge, this one holds the changes"),
    NEW_DIR("new dir", "the container made it; the image has no such dir"),
    OTHER("other", "a device, socket or fifo the container made");

    private final String label;
    private final String meaning;

    Kind(String label, String meaning) {
      this.label = label;
      this.meaning = meaning;
    }

    /** One sentence on what it means. */
    public String meaning() {
      return meaning;
    }

    /** The word for it in a row. */
    public String label() {
      return label;
    }
  }

  /**
   * One entry and what it is.
   *
   * @param raw as the helper listed it
   * @param kind its classification
   * @param copyUpNanos for a copy-up: how long the copy took, from its birth to its last change in
   *     the upper dir when first seen; null otherwise or where the filesystem has no birth times
   */
  public record Entry(UpperDirEntry raw, Kind kind, Long copyUpNanos) {
    /** The last path component. */
    public String name() {
      String p = raw.path();
      int slash = p.lastIndexOf('/');
      return slash < 0 ? p : p.substring(slash + 1);
    }
  }

  /**
   * What one event did, by path.
   *
   * @param added entries that appeared
   * @param removed entries that went
   * @param updated entries that changed
   */
  public record Change(Set<String> added, Set<String> removed, Set<String> updated) {
    /** Nothing changed. */
    public static final Change NONE = new Change(Set.of(), Set.of(), Set.of());
  }

  /**
   * Totals for a summary line.
   *
   * @param created files, links and dirs the container made new
   * @param copiedUp files copied up from the image
   * @param copiedUpBytes their size
   * @param deleted whiteouts: image files the container deleted
   * @param opaque opaque dirs
   */
  public record Counts(int created, int copiedUp, long copiedUpBytes, int deleted, int opaque) {}

  private final Map<String, Entry> byPath = new LinkedHashMap<>();
  private final Map<String, List<String>> children = new HashMap<>();
  private final List<String> roots = new ArrayList<>();
  private UpperEvent.Layers layers;
  private boolean truncated;
  private Entry lastCopyUp;

  /** Every entry, in the order the helper walked them. */
  public Collection<Entry> entries() {
    return byPath.values();
  }

  /** The entry at {@code path}, or null. */
  public Entry get(String path) {
    return byPath.get(path);
  }

  /** Paths of the top-level entries. */
  public List<String> roots() {
    return roots;
  }

  /** Paths of the entries directly in the directory {@code path}. */
  public List<String> children(String path) {
    return children.getOrDefault(path, List.of());
  }

  /** The overlay's directories (null before the first event). */
  public UpperEvent.Layers layers() {
    return layers;
  }

  /** Whether the helper's listing was cut short at its limit. */
  public boolean truncated() {
    return truncated;
  }

  /** The copy-up seen last (the newest by birth), or null. */
  public Entry lastCopyUp() {
    return lastCopyUp;
  }

  /** Totals over every entry. */
  public Counts counts() {
    int created = 0;
    int copied = 0;
    long bytes = 0;
    int deleted = 0;
    int opaque = 0;
    for (Entry e : byPath.values()) {
      switch (e.kind()) {
        case NEW, NEW_DIR -> created++;
        case COPIED_UP -> {
          copied++;
          bytes += e.raw().size();
        }
        case WHITEOUT -> deleted++;
        case OPAQUE_DIR -> opaque++;
        default -> {
          // merged dirs only hold the changes below them
        }
      }
    }
    return new Counts(created, copied, bytes, deleted, opaque);
  }

  /** Applies an {@code upper} event ({@code none}: replaces everything). */
  public Change apply(UpperEvent e) {
    if (e == null || e.diff() == null) {
      return Change.NONE;
    }
    if (e.layers() != null) {
      layers = e.layers();
    }
    truncated = e.truncated();
    Set<String> added = new HashSet<>();
    Set<String> removed = new HashSet<>();
    Set<String> updated = new HashSet<>();
    if ("none".equals(e.diff().against())) {
      Set<String> next = new HashSet<>();
      nz(e.diff().added()).forEach(x -> next.add(x.path()));
      for (String p : List.copyOf(byPath.keySet())) {
        if (!next.contains(p)) {
          byPath.remove(p);
          removed.add(p);
        }
      }
    }
    for (UpperDirEntry x : nz(e.diff().removed())) {
      if (byPath.remove(x.path()) != null) {
        removed.add(x.path());
      }
    }
    List<UpperDirEntry> in = new ArrayList<>(nz(e.diff().added()));
    in.addAll(nz(e.diff().changed()));
    for (UpperDirEntry x : in) {
      Entry was = byPath.get(x.path());
      Entry now = classify(x, was);
      byPath.put(x.path(), now);
      if (was == null) {
        added.add(x.path());
        removed.remove(x.path());
      } else if (!was.equals(now)) {
        updated.add(x.path());
      }
      if (now.kind() == Kind.COPIED_UP
          && (was == null || was.kind() != Kind.COPIED_UP)
          && newer(now, lastCopyUp)) {
        lastCopyUp = now;
      }
    }
    if (lastCopyUp != null && !byPath.containsKey(lastCopyUp.raw().path())) {
      lastCopyUp = null;
    }
    reindex();
    return new Change(Set.copyOf(added), Set.copyOf(removed), Set.copyOf(updated));
  }

  /** Forgets everything (another container, or none). */
  public Change clear() {
    Set<String> removed = Set.copyOf(byPath.keySet());
    byPath.clear();
    layers = null;
    truncated = false;
    lastCopyUp = null;
    reindex();
    return new Change(Set.of(), removed, Set.of());
  }

  /**
   * What {@code x} is. A copy-up's time is taken when it is first seen: a later write moves its
   * change time, not the copy.
   */
  static Entry classify(UpperDirEntry x, Entry was) {
    Kind kind;
    boolean lower = Boolean.TRUE.equals(x.inLower());
    switch (x.kind()) {
      case "whiteout" -> kind = Kind.WHITEOUT;
      case "dir" ->
          kind =
              Boolean.TRUE.equals(x.opaque())
                  ? Kind.OPAQUE_DIR
                  : lower ? Kind.MERGED_DIR : Kind.NEW_DIR;
      case "file", "symlink" -> kind = lower ? Kind.COPIED_UP : Kind.NEW;
      default -> kind = Kind.OTHER;
    }
    Long took = null;
    if (kind == Kind.COPIED_UP) {
      if (was != null && was.kind() == Kind.COPIED_UP) {
        took = was.copyUpNanos();
      } else if (x.createdNs() != null && x.changedNs() != null) {
        long d = x.changedNs() - x.createdNs();
        took = d >= 0 ? d : null;
      }
    }
    return new Entry(x, kind, took);
  }

  private static boolean newer(Entry a, Entry b) {
    if (b == null) {
      return true;
    }
    long ta = a.raw().createdNs() == null ? 0 : a.raw().createdNs();
    long tb = b.raw().createdNs() == null ? 0 : b.raw().createdNs();
    return ta >= tb;
  }

  private void reindex() {
    children.clear();
    roots.clear();
    for (String p : byPath.keySet()) {
      int slash = p.lastIndexOf('/');
      String parent = slash < 0 ? null : p.substring(0, slash);
      if (parent == null || !byPath.containsKey(parent)) {
        roots.add(p);
      } else {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(p);
      }
    }
  }

  private static <T> List<T> nz(List<T> l) {
    return l == null ? List.of() : l;
  }
}
