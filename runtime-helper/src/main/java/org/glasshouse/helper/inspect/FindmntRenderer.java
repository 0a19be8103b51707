package org.glasshouse.helper.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link MountTree} the way {@code findmnt} does: one line per mount, the target indented
 * with tree branches, then SOURCE FSTYPE OPTIONS PROPAGATION in aligned columns.
 */
public final class FindmntRenderer {

  private FindmntRenderer() {}

  /** The whole tree as text, a header line first, lines ending in {@code \n}. */
  public static String render(MountTree tree) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TARGET", "SOURCE", "FSTYPE", "OPTIONS", "PROPAGATION"});
    for (MountEntry root : tree.roots()) {
      addRows(tree, root, "", "", rows, new java.util.HashSet<>());
    }
    int[] width = new int[4];
    for (String[] r : rows) {
      for (int i = 0; i < 4; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      for (int i = 0; i < 4; i++) {
        b.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 1));
      }
      b.append(r[4]).append('\n');
    }
    return b.toString();
  }

  private static void addRows(
      MountTree tree,
      MountEntry e,
      String prefix,
      String childPrefix,
      List<String[]> rows,
      java.util.Set<Integer> seen) {
    if (!seen.add(e.id())) {
      return;
    }
    String source = e.root().equals("/") ? e.source() : e.source() + "[" + e.root() + "]";
    String propagation = e.propagation() + (tree.isOvermounted(e) ? ",overmounted" : "");
    rows.add(new String[] {prefix + e.mountPoint(), source, e.fsType(), e.options(), propagation});
    List<MountEntry> kids = tree.children(e);
    for (int i = 0; i < kids.size(); i++) {
      boolean last = i == kids.size() - 1;
      addRows(
          tree,
          kids.get(i),
          childPrefix + (last ? "└─" : "├─"),
          childPrefix + (last ? "  " : "│ "),
          rows,
          seen);
    }
  }
}
