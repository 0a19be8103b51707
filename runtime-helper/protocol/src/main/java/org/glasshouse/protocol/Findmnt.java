package org.glasshouse.protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.protocol.inspect.MountsResult;

/**
 * Mount tables as people read them: a tree the way {@code findmnt} draws it (the target indented
 * with tree branches, then SOURCE FSTYPE OPTIONS PROPAGATION in aligned columns), and a mount's
 * line of {@code /proc/PID/mountinfo}. The one renderer the helper's command line and the app's
 * export share.
 */
public final class Findmnt {

  private Findmnt() {}

  /**
   * One mount of a tree to draw.
   *
   * @param mount the mount
   * @param children the mounts below it, in the order to draw them
   * @param note a last column ({@code NOTE}) when not null: what a viewer marked on it
   */
  public record Node(MountsResult.Mount mount, List<Node> children, String note) {}

  /** A whole table as a tree, built from the mounts' ids and parent ids, in mount order. */
  public static String render(List<MountsResult.Mount> table) {
    return renderTrees(tree(table));
  }

  /**
   * The mounts of {@code table} as trees: each under its parent, in mount order; a mount whose
   * parent is not in the table is a root. Without notes.
   */
  public static List<Node> tree(List<MountsResult.Mount> table) {
    Set<Integer> ids = new HashSet<>();
    table.forEach(m -> ids.add(m.id()));
    Map<Integer, List<MountsResult.Mount>> kids = new HashMap<>();
    List<MountsResult.Mount> roots = new ArrayList<>();
    for (MountsResult.Mount m : table) {
      if (m.parentId() == m.id() || !ids.contains(m.parentId())) {
        roots.add(m);
      } else {
        kids.computeIfAbsent(m.parentId(), k -> new ArrayList<>()).add(m);
      }
    }
    List<Node> out = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (MountsResult.Mount r : roots) {
      out.add(node(r, kids, seen));
    }
    return out;
  }

  private static Node node(
      MountsResult.Mount m, Map<Integer, List<MountsResult.Mount>> kids, Set<Integer> seen) {
    List<Node> children = new ArrayList<>();
    // A corrupt or racing table could contain a cycle; never loop forever on it.
    if (seen.add(m.id())) {
      for (MountsResult.Mount c : kids.getOrDefault(m.id(), List.of())) {
        if (!seen.contains(c.id())) {
          children.add(node(c, kids, seen));
        }
      }
    }
    return new Node(m, children, null);
  }

  /**
   * Trees as text, a header line first, lines ending in {@code \n}; a {@code NOTE} column is added
   * when any node has a note.
   */
  public static String renderTrees(List<Node> roots) {
    boolean notes = hasNote(roots);
    List<String[]> rows = new ArrayList<>();
    rows.add(
        notes
            ? new String[] {"TARGET", "SOURCE", "FSTYPE", "OPTIONS", "PROPAGATION", "NOTE"}
            : new String[] {"TARGET", "SOURCE", "FSTYPE", "OPTIONS", "PROPAGATION"});
    for (Node r : roots) {
      addRows(r, "", "", rows, notes);
    }
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      for (int i = 0; i < columns - 1; i++) {
        b.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 1));
      }
      b.append(r[columns - 1].stripTrailing());
      // A row without a note still ends where its last filled column does.
      int end = b.length();
      while (end > 0 && b.charAt(end - 1) == ' ') {
        end--;
      }
      b.setLength(end);
      b.append('\n');
    }
    return b.toString();
  }

  private static boolean hasNote(List<Node> nodes) {
    for (Node n : nodes) {
      if (n.note() != null || hasNote(n.children())) {
        return true;
      }
    }
    return false;
  }

  private static void addRows(
      Node n, String prefix, String childPrefix, List<String[]> rows, boolean notes) {
    MountsResult.Mount m = n.mount();
    String propagation = m.propagation() + (m.overmounted() ? ",overmounted" : "");
    String target = prefix + m.mountPoint();
    rows.add(
        notes
            ? new String[] {
              target,
              source(m),
              m.fsType(),
              m.options(),
              propagation,
              n.note() == null ? "" : n.note()
            }
            : new String[] {target, source(m), m.fsType(), m.options(), propagation});
    List<Node> kids = n.children();
    for (int i = 0; i < kids.size(); i++) {
      boolean last = i == kids.size() - 1;
      addRows(
          kids.get(i),
          childPrefix + (last ? "└─" : "├─"),
          childPrefix + (last ? "  " : "│ "),
          rows,
          notes);
    }
  }

  /** The SOURCE column: the source, with the mount's root in brackets when it is not "/". */
  public static String source(MountsResult.Mount m) {
    return "/".equals(m.root()) ? m.source() : m.source() + "[" + m.root() + "]";
  }

  /**
   * The mount's line of {@code /proc/PID/mountinfo}, as the kernel wrote it: {@code 36 35 98:0
   * /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue}. Paths and the
   * source are escaped as the kernel escapes them (space, tab, newline and backslash as {@code
   * \040} {@code \011} {@code \012} {@code \134}), so the line is the one the parser read.
   */
  public static String mountinfoLine(MountsResult.Mount m) {
    StringBuilder b = new StringBuilder();
    b.append(m.id()).append(' ').append(m.parentId()).append(' ').append(m.device());
    b.append(' ').append(escape(m.root())).append(' ').append(escape(m.mountPoint()));
    b.append(' ').append(m.options());
    if (m.optionalFields() != null) {
      for (String f : m.optionalFields()) {
        b.append(' ').append(f);
      }
    }
    b.append(" - ").append(escape(m.fsType())).append(' ').append(escape(m.source()));
    b.append(' ').append(m.superOptions());
    return b.toString();
  }

  private static String escape(String s) {
    if (s == null) {
      return "none";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case ' ' -> b.append("\\040");
        case '\t' -> b.append("\\011");
        case '\n' -> b.append("\\012");
        case '\\' -> b.append("\\134");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
