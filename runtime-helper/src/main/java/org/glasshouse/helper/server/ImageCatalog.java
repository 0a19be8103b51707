package org.glasshouse.helper.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.glasshouse.helper.runtime.images.ImageInfo;

/**
 * The simplest {@link ImageSource}: the {@code <name>.tar} files of a directory, ready when the
 * tarball is a readable regular file (nothing is extracted).
 */
public final class ImageCatalog implements ImageSource {
  private final Path dir;

  /** Lists {@code dir}; a missing directory is an empty list. */
  public ImageCatalog(Path dir) {
    this.dir = dir;
  }

  @Override
  public List<ImageInfo> list() throws IOException {
    List<ImageInfo> out = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.tar")) {
      for (Path p : s) {
        String file = p.getFileName().toString();
        String name = file.substring(0, file.length() - ".tar".length());
        if (!Validation.IMAGE.matcher(name).matches()) {
          continue;
        }
        boolean regular = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
        long size = regular ? Files.size(p) : 0;
        out.add(new ImageInfo(name, size, regular && Files.isReadable(p)));
      }
    }
    out.sort(Comparator.comparing(ImageInfo::name));
    return out;
  }
}
