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
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.transform.Transform;
import javax.imageio.ImageIO;

/**
 * The glass house as a picture for slides and handouts: a snapshot of its nodes (shapes and text,
 * so any scale is crisp) on the theme's background, written as PNG or put on the clipboard. Runs on
 * the FX thread; the PNG is encoded there too (a few tens of milliseconds for a 2× picture of a
 * full window).
 */
final class PictureExport {
  /** Exported pictures are twice the size on screen: crisp on a projector and in print. */
  static final double SCALE = 2;

  private PictureExport() {}

  /**
   * A snapshot of {@code node} at {@code scale} on {@code backdrop}: the picture's text and lines
   * are coloured for the theme's background (light grey on near-black in the dark theme), so on a
   * transparent ground they vanish into a white slide.
   */
  static WritableImage snapshot(Node node, double scale, Paint backdrop) {
    SnapshotParameters p = new SnapshotParameters();
    p.setTransform(Transform.scale(scale, scale));
    p.setFill(backdrop);
    return node.snapshot(p, null);
  }

  /**
   * The background {@code node} is drawn on: the fill of the nearest region above it that has an
   * opaque one (the window's root has the theme's), else white.
   */
  static Paint backdrop(Node node) {
    for (Node n = node; n != null; n = n.getParent()) {
      if (n instanceof Region r && r.getBackground() != null) {
        for (BackgroundFill f : r.getBackground().getFills()) {
          if (f.getFill() instanceof Color c && c.getOpacity() >= 1) {
            return c;
          }
        }
      }
    }
    if (node.getScene() != null && node.getScene().getFill() instanceof Color c && c.isOpaque()) {
      return c;
    }
    return Color.WHITE;
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
