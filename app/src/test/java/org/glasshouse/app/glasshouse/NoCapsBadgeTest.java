package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Level 12's process runs as uid 1000 with no capability in effect and a cut bounding set: its
 * badge says "no caps" (filled, so it reads as "none" at a glance), not "0 caps", and a click on it
 * shows both sets in full, the empty one said to be empty.
 */
@ExtendWith(ApplicationExtension.class)
class NoCapsBadgeTest {
  private BorderPane root;
  private Stage stage;

  @Start
  void start(Stage stage) {
    this.stage = stage;
    root = FixtureLab.stage(stage, 1366, 900);
  }

  @Test
  void aProcessWithoutCapabilitiesSaysNoCapsAndItsSetsOnClick() throws Exception {
    GlassHouseView view = fx(() -> FixtureLab.show("level-12", root).view());
    FxSteps.settle(root);
    Label badge =
        fx(
            () ->
                view.node().lookupAll(".gh-caps").stream()
                    .filter(Node::isVisible)
                    .map(Label.class::cast)
                    .findFirst()
                    .orElse(null));
    assertNotNull(badge, "the process has a capabilities badge");
    assertEquals("no caps", fx(badge::getText));
    assertTrue(
        badge.getPseudoClassStates().contains(PseudoClass.getPseudoClass("none")),
        "drawn as the empty set");
    Node row = fx(badge::getParent);
    fx(
        () -> {
          row.fireEvent(
              new MouseEvent(
                  MouseEvent.MOUSE_CLICKED,
                  1,
                  1,
                  1,
                  1,
                  MouseButton.PRIMARY,
                  1,
                  false,
                  false,
                  false,
                  false,
                  true,
                  false,
                  false,
                  true,
                  false,
                  false,
                  null));
          return null;
        });
    FxSteps.settle(root);
    List<String> lines =
        fx(
            () ->
                view.details().lookupAll(".label").stream()
                    .filter(Node::isVisible)
                    .map(n -> ((Label) n).getText())
                    .toList());
    String effective =
        lines.stream().filter(l -> l.startsWith("Effective: ")).findFirst().orElse(null);
    String bounding =
        lines.stream().filter(l -> l.startsWith("Bounding: ")).findFirst().orElse(null);
    assertNotNull(effective, "the effective set is said, empty or not: " + lines);
    assertTrue(effective.startsWith("Effective: none"), effective);
    assertNotNull(bounding, lines.toString());
    assertTrue(bounding.contains("chown"), "the cut bounding set by name: " + bounding);
    assertFalse(bounding.contains("uncut"), bounding);
  }

  /**
   * At 1366×768 the views area is short enough for the compact house, which hid every caps badge:
   * level 12's "no caps", the level's point, was never on screen in a classroom. A cut set is
   * always shown; only "all caps" (levels 00-09) gives way to the room.
   */
  @Test
  void theCompactHouseStillSaysNoCaps() throws Exception {
    GlassHouseView view =
        fx(
            () -> {
              stage.setHeight(400);
              return FixtureLab.show("level-12", root).view();
            });
    FxSteps.settle(root);
    assertTrue(
        fx(() -> view.node().getPseudoClassStates().contains(GlassHouseView.COMPACT)),
        "a 400 px stage draws the compact house");
    List<String> badges =
        fx(
            () ->
                view.node().lookupAll(".gh-caps").stream()
                    .filter(Node::isVisible)
                    .map(n -> ((Label) n).getText())
                    .toList());
    // The recording's processes all run as uid 1000 with nothing in effect: each says so.
    assertFalse(badges.isEmpty(), "a badge on screen");
    assertTrue(badges.stream().allMatch("no caps"::equals), badges.toString());
  }
}
