package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.Scene;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The fitted picture is always laid out at least as tall as it asks at the factor it is drawn at: a
 * picture that grows by a line after it was fitted (a gauge's limits read, an OOM chip) without
 * anyone asking for a refit is fitted again at the next layout, drawn smaller, instead of being
 * squeezed into its old height with its last row past the area's bottom (where no scroll bar
 * reaches: two level-12 houses at 1920×1080 once had "max 32 — pids.max" 7 px below the view).
 */
@ExtendWith(ApplicationExtension.class)
class FitPaneTest {
  private Pane root;

  @Start
  void start(Stage stage) {
    root = new Pane();
    stage.setScene(new Scene(root, 400, 300));
    stage.show();
  }

  @Test
  void aPictureThatGrewIsFittedAgainNotSqueezed() throws Exception {
    Region picture = new Region();
    FitPane fit = new FitPane(picture, () -> 13);
    double[] before =
        fx(
            () -> {
              picture.setPrefSize(200, 150);
              root.getChildren().setAll(fit);
              fit.resize(400, 300);
              fit.layout();
              return new double[] {fit.factor(), picture.getHeight()};
            });
    assertTrue(before[0] > 1.5, "room to spare: enlarged, got " + before[0]);
    double[] after =
        fx(
            () -> {
              // A line more, and no refit asked: only the layout pass sees it.
              picture.setPrefHeight(250);
              fit.layout();
              return new double[] {fit.factor(), picture.getHeight(), picture.prefHeight(-1)};
            });
    assertTrue(
        after[1] >= after[2] - 0.5,
        "laid out " + after[1] + " tall at factor " + after[0] + ", it asks " + after[2]);
    assertTrue(after[1] * after[0] <= 300.5, "and it still fits the area: factor " + after[0]);
  }
}
