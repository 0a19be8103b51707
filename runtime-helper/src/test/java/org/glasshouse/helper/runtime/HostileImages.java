package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Images an attacker would publish: the busybox tarball with some entries replaced by symlinks
 * (absolute targets are legal in images: {@code /bin/sh → /bin/busybox}).
 */
final class HostileImages {
  private HostileImages() {}

  /**
   * Writes {@code <dir>/<name>.tar}: busybox with each key of {@code symlinks} (an entry name
   * without trailing slash, e.g. {@code dev}) and everything under it replaced by a symlink to its
   * value.
   */
  static Path derive(Path busybox, Path dir, String name, Map<String, String> symlinks)
      throws IOException {
    Path out = dir.resolve(name + ".tar");
    try (InputStream fin = Files.newInputStream(busybox);
        TarArchiveInputStream in = new TarArchiveInputStream(fin);
        OutputStream fout = Files.newOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(fout)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry e;
      while ((e = in.getNextTarEntry()) != null) {
        String n = e.getName().replaceAll("/+$", "");
        if (symlinks.keySet().stream().anyMatch(k -> n.equals(k) || n.startsWith(k + "/"))) {
          continue;
        }
        tar.putArchiveEntry(e);
        in.transferTo(tar);
        tar.closeArchiveEntry();
      }
      for (Map.Entry<String, String> s : symlinks.entrySet()) {
        TarArchiveEntry l = new TarArchiveEntry(s.getKey(), TarConstants.LF_SYMLINK, true);
        l.setLinkName(s.getValue());
        l.setMode(0777);
        tar.putArchiveEntry(l);
        tar.closeArchiveEntry();
      }
    }
    return out;
  }
}
