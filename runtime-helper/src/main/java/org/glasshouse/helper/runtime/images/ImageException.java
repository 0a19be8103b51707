package org.glasshouse.helper.runtime.images;

import java.io.IOException;

/**
 * An image cannot be used: unknown name, missing tarball, or an entry refused by the hardened
 * extraction. The message is one sentence naming the image, the entry and the reason.
 */
public class ImageException extends IOException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the image and the reason. */
  public ImageException(String message) {
    super(message);
  }

  /** With a message naming the image and the reason, and the I/O error behind it. */
  public ImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
