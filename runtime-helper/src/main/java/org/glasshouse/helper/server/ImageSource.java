package org.glasshouse.helper.server;

import java.io.IOException;
import java.util.List;
import org.glasshouse.helper.runtime.images.ImageInfo;

/**
 * Where the {@code images} op gets its list: the runtime's image store in the helper, a plain
 * directory listing ({@link ImageCatalog}) in tests.
 */
@FunctionalInterface
public interface ImageSource {

  /** Every image, by name. */
  List<ImageInfo> list() throws IOException;
}
