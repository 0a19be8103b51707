package org.glasshouse.helper.runtime.images;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tarballs for the tests, hostile ones included: names are written exactly as given. */
final class Tars implements AutoCloseable {
  private final TarArchiveOutputStream out;
  private final int uid;
  private final int gid;
  static final FileTime MTIME = FileTime.fromMillis(1_600_000_000_000L);

  Tars(Path file, int uid, int gid) throws IOException {
    OutputStream os = Files.newOutputStream(file);
    out = new TarArchiveOutputStream(os);
    out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    this.uid = uid;
    this.gid = gid;
  }

  Tars dir(String name, int mode) throws IOException {
    return add(new TarArchiveEntry(name, TarConstants.LF_DIR, true), mode, null, e -> {});
  }

  Tars file(String name, int mode, String content) throws IOException {
    return file(name, mode, content, e -> {});
  }

  Tars file(String name, int mode, String content, Consumer<TarArchiveEntry> tweak)
      throws IOException {
    return add(new TarArchiveEntry(name, TarConstants.LF_NORMAL, true), mode, content, tweak);
  }

  Tars symlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    return add(e, 0777, null, x -> {});
  }

  Tars hardlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    e.setLinkName(target);
    return add(e, 0644, null, x -> {});
  }

  Tars special(String name, byte type) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setDevMajor(1);
    e.setDevMinor(3);
    return add(e, 0666, null, x -> {});
  }

  private Tars add(TarArchiveEntry e, int mode, String content, Consumer<TarArchiveEntry> tweak)
      throws IOException {
    byte[] data = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
    e.setMode(mode);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setModTime(MTIME);
    e.setSize(data.length);
    tweak.accept(e);
    out.putArchiveEntry(e);
    out.write(data);
    out.closeArchiveEntry();
    return this;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
