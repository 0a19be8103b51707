package org.glasshouse.helper.inspect;

import org.glasshouse.helper.mountinfo.MountTree;
import org.glasshouse.protocol.Findmnt;

/**
 * Renders a {@link MountTree} the way {@code findmnt} does: one line per mount, the target indented
 * with tree branches, then SOURCE FSTYPE OPTIONS PROPAGATION in aligned columns. The drawing is
 * {@link Findmnt}'s, in the protocol package, which the app's export uses too.
 */
public final class FindmntRenderer {

  private FindmntRenderer() {}

  /** The whole tree as text, a header line first, lines ending in {@code \n}. */
  public static String render(MountTree tree) {
    return Findmnt.render(tree.entries().stream().map(e -> e.toWire(tree, null)).toList());
  }
}
