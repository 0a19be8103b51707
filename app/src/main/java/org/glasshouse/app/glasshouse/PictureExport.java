package org.glasshouse.app.glasshouse;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.transform.Transform;
import javax.imageio.ImageIO;

/**
 * The glass house as a picture for slides and handouts: a snapshot of its nodes (shapes and text,
 * so any scale is crisp) written as PNG or put on the clipboard. Runs on the FX thread; the PNG is
 * encoded there too (a few tens of milliseconds for a 2× picture of a full window).
 */
final class PictureExport {
  /** Exported pictures are twice the size on screen: crisp on a projector and in print. */
  static final double SCALE = 2;

  private PictureExport() {}

  /** A snapshot of {@code node} at {@code scale}. */
  static WritableImage snapshot(Node node, double scale) {
    SnapshotParameters p = new SnapshotParameters();
    p.setTransform(Transform.scale(scale, scale));
    p.setFill(javafx.scene.paint.Color.TRANSPARENT);
    return node.snapshot(p, null);
  }

  /** Writes {@code image} as a PNG file. */
  static void writePng(WritableImage image, Path file) throws IOException {
    int w = (int) image.getWidth();
    int h = (int) image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    PixelReader r = image.getPixelReader();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      r.getPixels(0, y, w, 1, javafx.scene.image.PixelFormat.getIntArgbInstance(), row, 0, w);
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".part");
    if (!ImageIO.write(out, "png", tmp.toFile())) {
      throw new IOException("no PNG writer in this JDK");
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Puts {@code image} on the system clipboard. */
  static void copy(WritableImage image) {
    ClipboardContent c = new ClipboardContent();
    c.putImage(image);
    Clipboard.getSystemClipboard().setContent(c);
  }
}
