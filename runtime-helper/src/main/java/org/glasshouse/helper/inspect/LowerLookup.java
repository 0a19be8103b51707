package org.glasshouse.helper.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.linux.Dir;
import org.glasshouse.helper.linux.FsCalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.protocol.inspect.UpperDirEntry;

/**
 * Tells, for each entry of an overlay's upper directory, whether a lower layer has the same path: a
 * file that is also below was copied up and changed, one that is not is new. Each lower layer is
 * looked into with {@link Dir#exists}, which follows no link: at levels 01–03 a container writes
 * into the shared image directly, so the image that later serves as a lower layer is not trusted to
 * hold only directories where a path passes. The layers are the ones the helper gave the container,
 * never the {@code lowerdir=} of its mount table (a workload with CAP_SYS_ADMIN can mount an
 * overlay of its own naming a host path, and would learn which host paths exist).
 */
final class LowerLookup {
  private LowerLookup() {}

  /** The entries with {@link UpperDirEntry#lower} set (null for whiteouts and when unknowable). */
  static List<UpperDirEntry> mark(FsCalls fs, List<Path> lowers, List<UpperDirEntry> entries) {
    if (lowers == null || lowers.isEmpty() || entries.isEmpty()) {
      return entries;
    }
    List<Dir> layers = new ArrayList<>();
    try {
      for (Path l : lowers) {
        try {
          layers.add(Dir.open(fs, l));
        } catch (SyscallException e) {
          // A layer that cannot be opened is left out; its paths read as absent.
        }
      }
      List<UpperDirEntry> out = new ArrayList<>(entries.size());
      for (UpperDirEntry e : entries) {
        out.add("whiteout".equals(e.kind()) ? e : e.withLower(inAny(layers, e.path())));
      }
      return out;
    } finally {
      layers.forEach(Dir::close);
    }
  }

  private static Boolean inAny(List<Dir> layers, String path) {
    if (layers.isEmpty()) {
      return null;
    }
    try {
      for (Dir d : layers) {
        if (d.exists(path)) {
          return true;
        }
      }
      return false;
    } catch (SyscallException e) {
      return null;
    }
  }
}
