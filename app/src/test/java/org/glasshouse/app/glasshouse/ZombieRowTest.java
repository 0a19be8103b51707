package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javafx.css.PseudoClass;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.glasshouse.app.glasshouse.HouseModel.Caps;
import org.glasshouse.app.glasshouse.HouseModel.ProcessModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A zombie in the Processes room (the lead's walk, level 12: 30 zombie sleeps of a PID 1 that never
 * reaps, holding pids 31 of 32) read as 30 running {@code sleep}s, root, 13 caps. It is drawn as a
 * zombie: a "zombie" chip, no user or capabilities chip (it runs nothing), and its card says what a
 * zombie is and why it still counts.
 */
@ExtendWith(ApplicationExtension.class)
class ZombieRowTest {
  private final StackPane root = new StackPane();

  @Start
  void start(Stage stage) {
    stage.setScene(new Scene(root, 800, 200));
    stage.show();
  }

  private static ProcessModel process(String state) {
    List<String> caps = List.of("chown", "kill", "setuid");
    return new ProcessModel(
        6934,
        4L,
        1,
        "sleep",
        0L,
        "root",
        "root",
        new Caps(3, 3, 40, caps, caps),
        false,
        0,
        state,
        false,
        false,
        null);
  }

  private static boolean shown(Rooms.ProcessRow row, String text) {
    return row.getChildren().stream()
        .filter(n -> n instanceof Label l && text.equals(l.getText()))
        .anyMatch(n -> n.isVisible() && n.isManaged());
  }

  @Test
  void aZombieIsDrawnAndExplainedAsOne() throws Exception {
    Rooms.ProcessRow row =
        fx(
            () -> {
              Rooms.ProcessRow r = new Rooms.ProcessRow(d -> {});
              root.getChildren().setAll(r);
              r.update(process("zombie"), false, false);
              return r;
            });
    FxSteps.settle(root);
    assertTrue(
        fx(() -> row.getPseudoClassStates().contains(PseudoClass.getPseudoClass("zombie"))),
        "the row is drawn as a zombie");
    assertTrue(fx(() -> shown(row, "zombie")), "a zombie chip");
    assertFalse(fx(() -> row.caps.isVisible()), "no capabilities chip: it runs nothing");
    assertFalse(fx(() -> row.user.isVisible()), "no user chip");
    List<String> card = Describe.processLines(process("zombie"));
    assertTrue(
        card.stream().anyMatch(l -> l.contains("exited") && l.contains("pids.max")),
        "the card says what a zombie is: " + card);
    assertFalse(card.stream().anyMatch(l -> l.startsWith("Capabilities")), card.toString());

    fx(
        () -> {
          row.update(process("sleeping"), false, false);
          return null;
        });
    FxSteps.settle(root);
    assertFalse(fx(() -> shown(row, "zombie")), "a sleeping process has no zombie chip");
    assertTrue(fx(() -> row.caps.isVisible()), "and its capabilities chip back");
    assertFalse(
        fx(() -> row.getPseudoClassStates().contains(PseudoClass.getPseudoClass("zombie"))));
  }
}
