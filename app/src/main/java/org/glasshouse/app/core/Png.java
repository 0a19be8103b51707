package org.glasshouse.app.core;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/** Pictures of views, for a student's notes or a presenter's slides. */
public final class Png {
  private Png() {}

  /**
   * Writes what {@code node} shows now as a PNG file. Call on the FX thread (the snapshot); the
   * encoding is small enough for it (a view of a few hundred thousand pixels).
   */
  public static void write(Node node, Path file) throws IOException {
    WritableImage image = node.snapshot(new SnapshotParameters(), null);
    int w = (int) image.getWidth();
    int h = (int) image.getHeight();
    int[] argb = new int[w * h];
    image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    out.setRGB(0, 0, w, h, argb, 0, w);
    if (!ImageIO.write(out, "png", file.toFile())) {
      throw new IOException("no PNG writer in this Java runtime");
    }
  }
}
