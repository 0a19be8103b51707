package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.glasshouse.app.glasshouse.FxSteps.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.presenter.Appearance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The host's roof names the host once it was read, and before that says only "HOST": with no
 * helper, and while a container runs whose host has not been read (the first moments after the app
 * connects), the roof said "HOST host" and the network room "outside: host", a stand-in name a
 * student read as the machine's.
 */
@ExtendWith(ApplicationExtension.class)
class HostRoofTest {
  private BorderPane root;

  @Start
  void start(Stage stage) {
    root = new BorderPane();
    root.getStyleClass().add("glasshouse");
    Scene scene = new Scene(root, 1366, 768);
    new Appearance(scene);
    stage.setScene(scene);
    stage.show();
  }

  @Test
  void theRoofSaysHostUntilTheHostIsRead() throws Exception {
    // No container, no host read (nothing answers it).
    FixtureLab empty = fx(() -> new FixtureLab(org.glasshouse.app.core.Fx.EXECUTOR));
    GlassHouseView nothing =
        fx(
            () -> {
              GlassHouseView v = new GlassHouseView(empty.vm);
              root.setCenter(v.node());
              return v;
            });
    settle(root);
    assertEquals("HOST", fx(() -> nothing.diagram().roofTitle()), "no helper, no container");

    // Level 05 runs (its own UTS namespace), the host not read yet.
    FixtureLab f = fx(() -> new FixtureLab(org.glasshouse.app.core.Fx.EXECUTOR));
    Recording r = FixtureLab.load("level-05");
    GlassHouseView view =
        fx(
            () -> {
              f.lab.answerFrom(r);
              f.lab.inspections.remove("host");
              for (org.glasshouse.app.core.LabEvent e : r.events()) {
                if (e instanceof org.glasshouse.app.core.LabEvent.Exited) {
                  break;
                }
                f.lab.emit(e);
              }
              f.selectFirst(r);
              GlassHouseView v = new GlassHouseView(f.vm);
              root.setCenter(v.node());
              return v;
            });
    settle(root);
    assertEquals("HOST", fx(() -> view.diagram().roofTitle()), "the host not read yet");
    List<String> texts = fx(() -> texts(view));
    assertFalse(
        texts.stream().anyMatch(t -> t.toLowerCase(java.util.Locale.ROOT).contains("host host")),
        "a stand-in name: " + texts);
    assertFalse(texts.contains("outside: host"), "a stand-in name outside: " + texts);

    // The host answers (the recording's own inspection of it): its name is on the roof.
    String hostname = org.glasshouse.app.core.Inspections.hostname(r.inspectResults().get("host"));
    fx(
        () -> {
          f.lab.answerFrom(r);
          // The helper still runs the container (a reconnect's ps lists it: one it no longer
          // listed would leave the list, and the house with it).
          org.glasshouse.app.core.LabEvent.Started started =
              r.events(org.glasshouse.app.core.LabEvent.Started.class).get(0);
          f.lab.containers =
              List.of(
                  new org.glasshouse.app.core.ContainerSummary(
                      started.container(),
                      "busybox",
                      List.of("/bin/sh"),
                      5,
                      "running",
                      started.pid(),
                      null,
                      null,
                      false,
                      java.time.Instant.now()));
          f.lab.connection(org.glasshouse.app.core.ConnectionStatus.State.LOST, "gone");
          f.lab.connection(org.glasshouse.app.core.ConnectionStatus.State.CONNECTED, "back");
          return null;
        });
    settle(root);
    // The roof names the host; where the host's facts do not stand beside the house (a compact
    // picture, or a second house needing the width) it also names the host's root filesystem.
    String roof = fx(() -> view.diagram().roofTitle());
    assertTrue(
        roof.matches(java.util.regex.Pattern.quote("HOST " + hostname) + "(  · / \\S+)?"),
        "the host read: " + roof);
    assertFalse(fx(() -> texts(view)).contains("outside: reading…"), "the host's name known");
  }

  private static List<String> texts(GlassHouseView v) {
    return MainWindowLab.texts(v.diagram()).stream()
        .map(t -> t.getParent() instanceof Labeled l ? l.getText() : t.getText())
        .toList();
  }
}
