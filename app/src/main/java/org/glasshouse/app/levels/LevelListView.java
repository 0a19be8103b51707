package org.glasshouse.app.levels;

import javafx.collections.SetChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The level list 00–13; a level whose check passed carries a check mark ({@code :passed}). */
public final class LevelListView {
  private static final PseudoClass PASSED = PseudoClass.getPseudoClass("passed");
  private final ListView<Level> list = new ListView<>();

  public LevelListView(LevelsViewModel vm) {
    list.setId("levels");
    list.getStyleClass().add("level-list");
    list.setItems(vm.levels());
    list.setCellFactory(v -> new LevelCell(vm));
    list.getSelectionModel().select(vm.selected());
    list.getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, a, b) -> {
              if (b != null) {
                vm.selectedProperty().set(b);
              }
            });
    vm.selectedProperty()
        .addListener(
            (o, a, b) -> {
              list.getSelectionModel().select(b);
              list.scrollTo(b);
            });
    vm.passed().addListener((SetChangeListener<Integer>) c -> list.refresh());
    // Progress persists between sessions; a new student on the same account starts over here.
    MenuItem reset = new MenuItem("Reset progress", new FontIcon(Feather.ROTATE_CCW));
    reset.setId("reset-progress");
    reset.setOnAction(e -> vm.resetProgress());
    list.setContextMenu(new ContextMenu(reset));
    list.setTooltip(new Tooltip("Right-click: reset progress"));
  }

  public ListView<Level> node() {
    return list;
  }

  private static final class LevelCell extends ListCell<Level> {
    private final LevelsViewModel vm;
    private final Label code = new Label();
    private final Label title = new Label();
    private final FontIcon mark = new FontIcon(Feather.CHECK_CIRCLE);
    private final HBox box;

    LevelCell(LevelsViewModel vm) {
      this.vm = vm;
      code.getStyleClass().add("level-code");
      title.getStyleClass().add("level-title");
      mark.getStyleClass().add("level-mark");
      Region spacer = new Region();
      HBox.setHgrow(spacer, Priority.ALWAYS);
      box = new HBox(8, code, title, spacer, mark);
      box.setAlignment(Pos.CENTER_LEFT);
      getStyleClass().add("level-cell");
    }

    @Override
    protected void updateItem(Level level, boolean empty) {
      super.updateItem(level, empty);
      if (empty || level == null) {
        setGraphic(null);
        pseudoClassStateChanged(PASSED, false);
        return;
      }
      code.setText(level.code());
      title.setText(level.title());
      boolean done = vm.passed().contains(level.number());
      mark.setVisible(done);
      pseudoClassStateChanged(PASSED, done);
      setGraphic(box);
    }
  }
}
