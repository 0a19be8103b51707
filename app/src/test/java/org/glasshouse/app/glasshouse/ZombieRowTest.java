package org.glasshouse.app.glasshouse;

import static org.glasshouse.app.glasshouse.FxSteps.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.css.PseudoClass;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.glasshouse.app.glasshouse.HouseModel.Caps;
import org.glasshouse.app.glasshouse.HouseModel.ProcessModel;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.ProcessInfo;
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

  /** A process as inspect reads it: its pids (host's first), parent, name, argv and state. */
  private static ProcessInfo info(
      long pid, List<Long> nsPids, long ppid, String name, List<String> argv, String state) {
    ProcessInfo p = org.glasshouse.app.TestInspections.process(pid, nsPids, name, argv);
    return new ProcessInfo(
        pid,
        nsPids,
        ppid,
        name,
        argv,
        state.equals("zombie") ? "Z" : "S",
        state,
        p.uids(),
        p.gids(),
        1,
        Map.of(),
        Map.of(),
        false,
        0,
        "disabled",
        null);
  }

  /**
   * The lead's walk, as inspect reads it: PID 1 ({@code sleep 1000}, exec'd by an sh that forked 30
   * {@code sleep 0}) with 30 zombie children, and a second process with one zombie child of its
   * own.
   */
  private static HouseModel thirtyZombies() {
    long init = 7490;
    List<ProcessInfo> ps = new ArrayList<>();
    ps.add(info(init, List.of(init, 1L), 10367, "sleep", List.of("sleep", "1000"), "sleeping"));
    for (int k = 0; k < 30; k++) {
      ps.add(info(7497 + k, List.of(7497L + k, 3L + k), init, "sleep", List.of(), "zombie"));
    }
    ps.add(info(7600, List.of(7600L, 40L), init, "sh", List.of("sh"), "sleeping"));
    ps.add(info(7601, List.of(7601L, 41L), 7600, "true", List.of(), "zombie"));
    HouseFacts facts = new HouseFacts();
    facts.inspected(InspectResult.builder().target("z1").pid(init).processes(ps).build());
    return new HouseBuilder(2)
        .build(
            new HouseBuilder.Input(
                "z1",
                "sh -c for i in $(seq 30); do sleep 0 & done; exec sleep 1000",
                12,
                false,
                HouseModel.Phase.RUNNING,
                "running · pid " + init,
                init,
                null),
            Blueprint.of(List.of()),
            facts,
            HostModel.UNKNOWN,
            HouseBuilder.LIVE,
            java.util.Set.of(),
            Map.of(),
            null);
  }

  @Test
  void thirtyZombiesOfOneParentAreOneRowAndALoneZombieKeepsItsOwn() throws Exception {
    HouseModel h = thirtyZombies();
    List<ProcessModel> ps = h.processes();
    assertEquals(4, ps.size(), "PID 1, its zombies, sh, sh's one zombie: " + ps);
    ProcessModel many = ps.get(1);
    assertTrue(many.zombie());
    assertEquals(30, many.zombies().hostPids().size());
    assertEquals("30 zombies of PID 1 (sleep)", many.zombies().label());
    assertEquals(List.of(3L, 4L, 5L), many.zombies().nsPids().subList(0, 3));
    assertEquals(1, many.depth(), "under its parent");
    assertEquals("sh", ps.get(2).command());
    ProcessModel lone = ps.get(3);
    assertTrue(lone.zombie());
    assertNull(lone.zombies(), "a single zombie is drawn as today");
    assertEquals(41L, lone.nsPid());

    List<String> card = Describe.processLines(many);
    assertTrue(card.get(0).startsWith("30 zombies of PID 1 (sleep)"), card.toString());
    assertTrue(
        card.stream().anyMatch(l -> l.contains("wait()") && l.contains("pids.max")),
        "what a zombie is: " + card);
    assertTrue(
        card.stream().anyMatch(l -> l.startsWith("Why 30 matter") && l.contains("pids.current")),
        "why 30 matter: " + card);
    assertTrue(card.stream().anyMatch(l -> l.contains("7497, 7498")), "their pids: " + card);
    assertFalse(card.stream().anyMatch(l -> l.endsWith("….")), "no dot after an ellipsis: " + card);

    List<Rooms.Details> cards = new ArrayList<>();
    Rooms.ProcessRoom room =
        fx(
            () -> {
              Rooms.ProcessRoom r = new Rooms.ProcessRoom(cards::add);
              root.getChildren().setAll(r);
              r.update(h, false);
              return r;
            });
    FxSteps.settle(root);
    Rooms.ProcessRow row = fx(() -> room.row(7497));
    assertTrue(row != null, "the zombies' row");
    assertTrue(fx(() -> shown(row, "30 zombies of PID 1 (sleep)")), "says how many, whose");
    assertTrue(fx(() -> shown(row, "zombie")), "the zombie chip");
    assertTrue(
        fx(() -> row.getPseudoClassStates().contains(PseudoClass.getPseudoClass("zombie"))),
        "drawn as a zombie");
    assertFalse(fx(() -> row.pid.isVisible()), "no one pid for thirty");
    assertNull(fx(() -> room.row(7498)), "no row per zombie");
    fx(
        () -> {
          row.getOnMouseClicked().handle(null);
          return null;
        });
    assertEquals("30 zombies", cards.get(0).title(), "a click opens their card");
    assertEquals(card, cards.get(0).lines());
    double height = fx(() -> room.prefHeight(800));
    double oneRow = fx(() -> room.row(7490).getHeight());
    assertTrue(height < 8 * oneRow, "four rows tall, not thirty-three: " + height + " / " + oneRow);
  }
}
