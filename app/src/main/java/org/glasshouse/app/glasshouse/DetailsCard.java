package org.glasshouse.app.glasshouse;

import java.util.function.IntConsumer;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * What a click on a piece of the glass house shows: its name, what it means and the facts behind
 * it, and — when a step built it — a link to that step in the step log.
 */
final class DetailsCard extends VBox {
  private final Label title = new Label();
  private final VBox lines = new VBox();
  private final Hyperlink step = new Hyperlink();
  private int seq;

  DetailsCard(IntConsumer showStep) {
    getStyleClass().add("gh-details");
    setId("glass-house-details");
    title.getStyleClass().add("gh-details-title");
    title.setMinWidth(0);
    Button close = new Button(null, new FontIcon(Feather.X));
    close.getStyleClass().addAll("flat", "button-icon");
    close.setOnAction(e -> hide());
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    HBox head = new HBox(title, spacer, close);
    head.setAlignment(Pos.CENTER_LEFT);
    lines.getStyleClass().add("gh-details-lines");
    step.setGraphic(new FontIcon(Feather.LIST));
    step.setOnAction(e -> showStep.accept(seq));
    getChildren().addAll(head, lines, step);
    setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    hide();
  }

  void show(Rooms.Details d) {
    title.setText(d.title());
    lines.getChildren().clear();
    for (String l : d.lines()) {
      Label x = new Label(l);
      x.setWrapText(true);
      x.getStyleClass().add("gh-details-line");
      lines.getChildren().add(x);
    }
    seq = d.seq();
    step.setText("Show step " + seq + " in the step log");
    Rooms.show(step, seq > 0);
    setVisible(true);
    setManaged(true);
  }

  void hide() {
    setVisible(false);
    setManaged(false);
  }
}
