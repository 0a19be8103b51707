package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The details card speaks of a piece of the container in focus: when the focus moves to another
 * container (its card clicked, another row of the containers list), the card goes, rather than keep
 * the first container's upper dir under the second one's house (house19's walk: the "Root
 * filesystem" card showed 4fbe4f5fb719's upper dir with a457dbf87b16 in focus).
 */
@ExtendWith(ApplicationExtension.class)
class DetailsFollowFocusTest {
  private BorderPane root;

  @Start
  void start(Stage stage) {
    root = FixtureLab.stage(stage, 1366, 900);
  }

  @Test
  void theCardGoesWhenTheFocusMovesToAnotherContainer() throws Exception {
    FixtureLab.Shown shown = fx(() -> FixtureLab.show("level-12-two", root));
    FxSteps.settle(root);
    String first = fx(() -> shown.lab().scene().focus());
    List<String> ids = fx(() -> shown.lab().scene().houses().stream().map(HouseModel::id).toList());
    String other = ids.stream().filter(id -> !id.equals(first)).findFirst().orElseThrow();
    fx(
        () -> {
          shown.view().details().show(new Rooms.Details("Root filesystem", List.of("upper"), 0));
          return null;
        });
    assertTrue(fx(() -> shown.view().details().isVisible()), "the card is open");
    fx(
        () -> {
          shown.lab().vm.focusOn(other);
          return null;
        });
    FxSteps.settle(root);
    assertNotEquals(first, fx(() -> shown.lab().scene().focus()), "the focus moved");
    assertFalse(
        fx(() -> shown.view().details().isVisible()),
        "the first container's details are not left under the second one's house");
  }
}
