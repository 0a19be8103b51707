package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;

/**
 * Mounts a container left in the HOST's mount table: without a mount namespace (level 01) its
 * /proc, /sys, /dev and overlay mounts are made in the host's namespace and outlive it — the leak
 * that level teaches. Cleanup finds them by path and detaches them, deepest first.
 */
final class Mounts {
  private Mounts() {}

  /** Mount points at or under {@code dir} in {@code mountinfo}, deepest (and newest) first. */
  static List<String> under(String mountinfo, Path dir) {
    String prefix = dir.toString();
    List<String> points = new ArrayList<>();
    List<MountEntry> entries = MountInfoParser.parse(mountinfo);
    for (int i = entries.size() - 1; i >= 0; i--) {
      String p = entries.get(i).mountPoint();
      if (p.equals(prefix) || p.startsWith(prefix + "/")) {
        points.add(p);
      }
    }
    // Newest-first keeps stacked mounts in order; a stable sort by depth puts children first.
    points.sort(Comparator.comparingInt((String p) -> p.split("/").length).reversed());
    return points;
  }

  /**
   * Detaches every host mount at or under {@code dir}; returns how many. Repeats while some are
   * left, since stacked mounts on one point come off one at a time.
   */
  static int umountUnder(Syscalls sys, Path dir) throws IOException {
    int count = 0;
    for (int round = 0; round < 8; round++) {
      List<String> points = under(Files.readString(Path.of("/proc/self/mountinfo")), dir);
      if (points.isEmpty()) {
        return count;
      }
      for (String p : points) {
        try {
          sys.umount2(p, Flags.MNT_DETACH);
          count++;
        } catch (SyscallException e) {
          // EINVAL: already gone with its parent; the next round sees what is really left.
        }
      }
    }
    List<String> left = under(Files.readString(Path.of("/proc/self/mountinfo")), dir);
    if (!left.isEmpty()) {
      throw new IOException("could not unmount " + left);
    }
    return count;
  }
}
