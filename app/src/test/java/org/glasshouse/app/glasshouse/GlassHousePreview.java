package org.glasshouse.app.glasshouse;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.presenter.Appearance;

/**
 * Not a test: draws the glass house from recorded fixtures into a PNG, to look at the picture
 * without a helper (headless on Monocle, as the UI tests run).
 *
 * <pre>
 * java -cp … -Dtestfx.headless=true -Dprism.order=sw -Dmonocle.platform=Headless \
 *   -Dglass.platform=Monocle org.glasshouse.app.glasshouse.GlassHousePreview \
 *   OUT.png WIDTH HEIGHT light|dark|presenter FIXTURE[:removed]…
 * </pre>
 *
 * <p>A fixture plays up to its first exit, or with {@code :removed} up to its removal (level 09's
 * OOM kill shows then).
 *
 * <pre>
 * </pre>
 */
public final class GlassHousePreview {
  private GlassHousePreview() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int w = Integer.parseInt(args[1]);
    int h = Integer.parseInt(args[2]);
    String mode = args[3];
    CountDownLatch up = new CountDownLatch(1);
    Platform.startup(up::countDown);
    up.await();
    CountDownLatch done = new CountDownLatch(1);
    Throwable[] failure = {null};
    Platform.runLater(
        () -> {
          try {
            FixtureLab f = new FixtureLab(Fx.EXECUTOR);
            String first = null;
            for (int i = 4; i < args.length; i++) {
              String[] spec = args[i].split(":");
              Recording r = FixtureLab.load(spec[0]);
              if (spec.length > 1 && spec[1].equals("removed")) {
                f.play(r, e -> e instanceof org.glasshouse.app.core.LabEvent.Removed);
              } else {
                f.playRunning(r);
              }
              if (first == null) {
                first = r.events(org.glasshouse.app.core.LabEvent.Started.class).get(0).container();
              }
            }
            f.select(first);
            GlassHouseView view = new GlassHouseView(f.vm);
            BorderPane root = new BorderPane(view.node());
            root.getStyleClass().add("glasshouse");
            Scene scene = new Scene(root, w, h);
            Appearance a = new Appearance(scene);
            a.darkProperty().set(mode.contains("dark"));
            if (mode.contains("presenter")) {
              scene.getStylesheets().add(Appearance.PRESENTER_CSS);
              root.getStyleClass().add("presenter");
            }
            Stage stage = new Stage();
            stage.setScene(scene);
            stage.show();
            for (int i = 0; i < 3; i++) {
              root.applyCss();
              root.layout();
            }
            Platform.runLater(
                () -> {
                  try {
                    root.applyCss();
                    root.layout();
                    PictureExport.writePng(
                        PictureExport.snapshot(root, 1, PictureExport.backdrop(root)), out);
                  } catch (Exception e) {
                    failure[0] = e;
                  }
                  done.countDown();
                });
          } catch (Throwable t) {
            failure[0] = t;
            done.countDown();
          }
        });
    if (!done.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the preview did not finish");
    }
    if (failure[0] != null) {
      throw new IllegalStateException(failure[0]);
    }
    System.out.println("preview: " + out);
    Platform.exit();
    // The fake helper's and the app's timer threads would keep a JVM that only draws alive.
    System.exit(0);
  }
}
