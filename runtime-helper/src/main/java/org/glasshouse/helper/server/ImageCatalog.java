package org.glasshouse.helper.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Lists the image tarballs ({@code <name>.tar}) of the helper's images directory. */
final class ImageCatalog {

  /**
   * One image.
   *
   * @param ready the tarball is a readable regular file
   */
  record Image(String name, long sizeBytes, boolean ready) {}

  private ImageCatalog() {}

  static List<Image> list(Path dir) {
    List<Image> out = new ArrayList<>();
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
        out.add(new Image(name, size, regular && Files.isReadable(p)));
      }
    } catch (IOException e) {
      return out;
    }
    out.sort(Comparator.comparing(Image::name));
    return out;
  }
}
