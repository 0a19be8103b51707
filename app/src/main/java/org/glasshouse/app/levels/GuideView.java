package org.glasshouse.app.levels;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The selected level's guide, rendered from its Markdown subset into plain JavaFX nodes (headings,
 * text flows, bullets, code blocks), with the level's check underneath.
 */
public final class GuideView {
  private final VBox content = new VBox();
  private final ScrollPane scroll = new ScrollPane(content);
  private final BorderPane root = new BorderPane();
  private final VBox actions = new VBox(6);
  private final java.util.Map<Integer, List<Node>> levelActions = new java.util.HashMap<>();
  private final LevelsViewModel vm;

  /**
   * @param vm the levels
   * @param check what the Check button does
   * @param checkResult the last check's outcome, shown under the button
   */
  public GuideView(
      LevelsViewModel vm, Runnable check, javafx.beans.value.ObservableStringValue checkResult) {
    this.vm = vm;
    content.getStyleClass().add("guide");
    content.setId("guide");
    scroll.setFitToWidth(true);
    scroll.getStyleClass().add("guide-scroll");
    Button checkButton = new Button("Check this level", new FontIcon(Feather.CHECK_SQUARE));
    checkButton.setId("check");
    checkButton.getStyleClass().add("check-button");
    checkButton.setOnAction(e -> check.run());
    checkButton.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    Label result = new Label();
    result.setId("check-result");
    result.getStyleClass().add("check-result");
    result.setWrapText(true);
    result.textProperty().bind(checkResult);
    Label description = new Label();
    description.getStyleClass().add("check-description");
    description.setWrapText(true);
    actions.getStyleClass().add("guide-actions");
    actions.managedProperty().bind(actions.visibleProperty());
    actions.setVisible(false);
    VBox footer = new VBox(6, actions, checkButton, description, result);
    footer.getStyleClass().add("guide-footer");
    root.setCenter(scroll);
    root.setBottom(footer);
    root.getStyleClass().add("guide-pane");
    vm.guideProperty().addListener((o, a, b) -> render(b));
    vm.selectedProperty()
        .addListener(
            (o, a, b) -> {
              description.setText("Passes when " + b.check().description());
              showActions();
            });
    description.setText("Passes when " + vm.selected().check().description());
    render(vm.guideProperty().get());
  }

  public BorderPane node() {
    return root;
  }

  /**
   * Shows {@code action} (a one-click experiment) above the check while {@code level} is the
   * selected level.
   */
  public void addLevelAction(int level, Node action) {
    levelActions.computeIfAbsent(level, k -> new java.util.ArrayList<>()).add(action);
    showActions();
  }

  private void showActions() {
    List<Node> shown = levelActions.getOrDefault(vm.selected().number(), List.of());
    actions.getChildren().setAll(shown);
    actions.setVisible(!shown.isEmpty());
  }

  private void render(Guide guide) {
    content.getChildren().clear();
    for (Guide.Block b : guide.blocks()) {
      content.getChildren().add(block(b));
    }
    scroll.setVvalue(0);
  }

  private Node block(Guide.Block b) {
    if (b instanceof Guide.Heading h) {
      Label l = new Label(h.text());
      l.setWrapText(true);
      l.getStyleClass().add("guide-h" + h.depth());
      return l;
    }
    if (b instanceof Guide.Paragraph p) {
      return flow(p.runs(), "guide-paragraph");
    }
    if (b instanceof Guide.Bullets list) {
      VBox box = new VBox();
      box.getStyleClass().add("guide-bullets");
      for (List<Guide.Inline> item : list.items()) {
        Label dot = new Label("•");
        dot.getStyleClass().add("guide-bullet-mark");
        TextFlow f = flow(item, "guide-bullet-text");
        HBox row = new HBox(dot, f);
        row.getStyleClass().add("guide-bullet");
        box.getChildren().add(row);
      }
      return box;
    }
    Guide.Code c = (Guide.Code) b;
    Label code = new Label(c.text());
    code.getStyleClass().add("guide-codeblock");
    code.setMaxWidth(Double.MAX_VALUE);
    return code;
  }

  private TextFlow flow(List<Guide.Inline> runs, String styleClass) {
    TextFlow f = new TextFlow();
    f.getStyleClass().add(styleClass);
    for (Guide.Inline r : runs) {
      Text t = new Text(r.text());
      t.getStyleClass()
          .add(
              switch (r.kind()) {
                case CODE -> "guide-code";
                case STRONG -> "guide-strong";
                default -> "guide-text";
              });
      f.getChildren().add(t);
    }
    return f;
  }
}
