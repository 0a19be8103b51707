package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import org.glasshouse.app.glasshouse.HouseModel.RootFsModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A label that runs past its room's right edge counts as cut: the walk at level 01, 1920×1080 in
 * presenter mode, drew level 01's and level 00's houses side by side, and level 01's chip "leaks
 * into the host's mounts" (a chip keeps its whole text) ran out of its Root filesystem room, across
 * the gap and into the next house. Nothing counted it, so the layout kept the narrow houses.
 */
@ExtendWith(ApplicationExtension.class)
class LabelPastItsRoomTest {
  private Pane root;

  @Start
  void start(Stage stage) {
    root = new Pane();
    root.getStylesheets().add(GlassHouseView.CSS);
    stage.setScene(new Scene(root, 800, 600));
    stage.show();
  }

  @Test
  void aChipPastItsRoomsEdgeCountsAsCut() throws Exception {
    Rooms.RootFsRoom room = new Rooms.RootFsRoom(d -> {});
    RootFsModel chroot =
        new RootFsModel(
            RootFsModel.Kind.CHROOT,
            "/state/images/busybox/rootfs",
            null,
            null,
            "busybox",
            null,
            List.of("/proc", "/sys", "/dev"),
            false,
            0,
            HouseModel.Changes.NONE,
            true,
            List.of(),
            List.of());
    fx(
        () -> {
          room.update(chroot, false);
          root.getChildren().setAll(room);
          return null;
        });
    String narrow =
        fx(
            () -> {
              room.applyCss();
              room.resize(170, room.prefHeight(170));
              room.layout();
              Labeled l = Legibility.cutLabel(room);
              return l == null ? null : l.getText();
            });
    assertEquals("leaks into the host's mounts", narrow, "the chip past the room's edge");
    String wide =
        fx(
            () -> {
              room.resize(600, room.prefHeight(600));
              room.layout();
              Labeled l = Legibility.cutLabel(room);
              return l == null ? null : l.getText();
            });
    assertNull(wide, "600 px wide, nothing is cut");
  }
}
