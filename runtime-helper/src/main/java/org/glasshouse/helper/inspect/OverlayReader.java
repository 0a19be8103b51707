package org.glasshouse.helper.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountTree;
import org.glasshouse.protocol.inspect.OverlayInfo;

/** Reads the layers of an overlay mount ({@link OverlayInfo}) from its super options. */
public final class OverlayReader {

  private OverlayReader() {}

  /** The overlay at the process's root, if its root is one: the visible mount at {@code /}. */
  public static Optional<OverlayInfo> ofRoot(MountTree tree) {
    return tree.visibleRoot().filter(e -> e.fsType().equals("overlay")).map(OverlayReader::of);
  }

  /**
   * Parses {@code lowerdir=/a:/b,upperdir=/u,workdir=/w}; newer kernels may list {@code lowerdir+=}
   * once per layer instead. Colons inside a lower path are escaped with {@code \}.
   */
  public static OverlayInfo of(MountEntry e) {
    List<String> lower = new ArrayList<>();
    String upper = null;
    String work = null;
    for (String opt : e.superOptions().split(",")) {
      if (opt.startsWith("lowerdir=")) {
        lower.addAll(splitLower(opt.substring("lowerdir=".length())));
      } else if (opt.startsWith("lowerdir+=")) {
        lower.add(opt.substring("lowerdir+=".length()));
      } else if (opt.startsWith("upperdir=")) {
        upper = opt.substring("upperdir=".length());
      } else if (opt.startsWith("workdir=")) {
        work = opt.substring("workdir=".length());
      }
    }
    return new OverlayInfo(e.mountPoint(), List.copyOf(lower), upper, work);
  }

  private static List<String> splitLower(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(s.charAt(++i));
      } else if (c == ':') {
        if (cur.length() > 0) {
          out.add(cur.toString());
        }
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }
}
