package org.glasshouse.app.glasshouse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.glasshouse.app.glasshouse.HouseModel.WallModel;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Containers as cards, for a picture that cannot hold every house at a readable size (presenter
 * mode in a short views area): each card names its container (id, level, state), shows its walls as
 * tags in the walls' own colours and letters (two cards with the same letter share that namespace,
 * as two houses inside one wall do) and one line of its processes and memory. A click draws that
 * container's house. Cards are reused by container id and updated in place.
 */
final class HouseCards extends FlowPane {
  static final PseudoClass FOCUS = PseudoClass.getPseudoClass("focus");

  /** Longest command shown on a card; the tooltip has all of it. */
  private static final int COMMAND_CHARS = 24;

  private final Consumer<String> onClick;
  private final Map<String, Card> cards = new HashMap<>();

  HouseCards(Consumer<String> onClick) {
    this.onClick = onClick;
    getStyleClass().add("gh-cards");
    setAlignment(Pos.TOP_LEFT);
    setMinWidth(0);
  }

  /** Shows one card per house of {@code houses}, in that order; {@code focus} is marked. */
  void update(List<HouseModel> houses, String focus) {
    List<Node> order = new ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (HouseModel h : houses) {
      Card c = cards.computeIfAbsent(h.id(), k -> new Card(onClick));
      c.update(h, h.id().equals(focus));
      order.add(c);
      ids.add(h.id());
    }
    cards.keySet().retainAll(ids);
    if (!getChildren().equals(order)) {
      getChildren().setAll(order);
    }
  }

  /** The card of container {@code id}, or null (tests). */
  Card card(String id) {
    return cards.get(id);
  }

  /** One container: its id and level, its walls, its command, its state, processes and memory. */
  static final class Card extends VBox {
    private final Label id = Rooms.text("gh-card-id");
    private final Label level = Rooms.text("gh-card-level");
    private final FlowPane walls = new FlowPane();
    private final Label command = Rooms.text("gh-card-command");
    private final Label who = Rooms.text("gh-card-who");
    private final Label facts = Rooms.text("gh-card-facts");
    private final Tooltip tip = Rooms.tip(this);
    private final List<Label> tags = new ArrayList<>();
    private HouseModel model;
    private boolean focused;

    Card(Consumer<String> onClick) {
      getStyleClass().add("gh-card");
      id.setGraphic(new FontIcon(Feather.BOX));
      HBox title = new HBox(id, level);
      title.getStyleClass().add("gh-card-title");
      title.setAlignment(Pos.BASELINE_LEFT);
      walls.getStyleClass().add("gh-card-walls");
      for (int i = 0; i < NsType.values().length; i++) {
        Label t = Rooms.text("ns-tag");
        t.getStyleClass().add("gh-card-tag");
        tags.add(t);
      }
      walls.getChildren().setAll(tags);
      HBox run = new HBox(command, who);
      run.getStyleClass().add("gh-card-run");
      run.setAlignment(Pos.BASELINE_LEFT);
      getChildren().addAll(title, walls, run, facts);
      setOnMouseClicked(
          e -> {
            if (model != null) {
              onClick.accept(model.id());
            }
          });
    }

    void update(HouseModel h, boolean focused) {
      if (h.equals(model) && focused == this.focused) {
        return;
      }
      model = h;
      this.focused = focused;
      Rooms.set(id, h.shortId());
      Rooms.set(level, HouseNode.Roof.levelText(h));
      Rooms.show(level, !level.getText().isEmpty());
      // Four walls to a line: a card is narrow enough for three side by side at 1366 pixels.
      walls.setPrefWrapLength(id.getFont().getSize() * 16.5);
      for (int i = 0; i < tags.size(); i++) {
        WallModel w = h.walls().get(i);
        Label t = tags.get(i);
        Rooms.set(
            t, w.standing() ? (w.type().label() + " " + w.letter()).strip() : w.type().label());
        Rooms.onlyStyle(t, "ns-c", w.standing() ? "ns-c" + w.colour() : null);
        t.pseudoClassStateChanged(RingNode.OWN, w.standing());
        t.pseudoClassStateChanged(RingNode.OPEN, !w.standing() && !w.planned());
        t.pseudoClassStateChanged(RingNode.PLANNED, w.planned());
        t.pseudoClassStateChanged(RingNode.LIT, w.highlighted());
      }
      Rooms.set(command, shorten(h.command()));
      Rooms.show(command, !command.getText().isEmpty());
      Rooms.set(who, who(h));
      Rooms.show(who, !who.getText().isEmpty());
      Rooms.set(facts, facts(h));
      pseudoClassStateChanged(FOCUS, focused);
      pseudoClassStateChanged(HouseNode.UNBUILT, !h.built());
      List<String> lines = new ArrayList<>();
      lines.add(h.command());
      lines.add(h.status());
      lines.add(
          focused
              ? "The container in focus (the selected one)."
              : "A click puts it in focus: it is selected, and its house is drawn where there is"
                  + " room for one.");
      Rooms.tip(tip, lines);
    }

    /** Its state (a live one's pid is in its tooltip), its processes and its memory. */
    private static String facts(HouseModel h) {
      int n = 0;
      for (HouseModel.ProcessModel p : h.processes()) {
        n += p.zombies() == null ? 1 : p.zombies().hostPids().size();
      }
      String out =
          (h.phase().live() ? h.phase().name().toLowerCase(java.util.Locale.ROOT) : h.status())
              + " · "
              + (n == 1 ? "1 process" : n + " processes");
      for (HouseModel.GaugeModel g : h.gauges()) {
        if (g.name().equals("memory") && g.limited() && g.max() != null) {
          out += " · " + g.value() + " / " + g.max();
        }
      }
      return out;
    }

    /** Who its first process runs as: user, capabilities, seccomp (levels 10, 11, 13). */
    private static String who(HouseModel h) {
      if (h.processes().isEmpty()) {
        return h.seccomp().on() ? "seccomp" : "";
      }
      HouseModel.ProcessModel p = h.processes().get(0);
      List<String> out = new ArrayList<>();
      if (p.uid() != null) {
        out.add(p.user() != null ? p.user() : "uid " + p.uid());
      }
      if (p.caps() != null) {
        out.add(Rooms.capsText(p.caps()));
      }
      if (p.seccomp() == 2 || h.seccomp().on()) {
        out.add("seccomp");
      }
      return String.join(" · ", out);
    }

    private static String shorten(String s) {
      if (s == null) {
        return "";
      }
      return s.length() <= COMMAND_CHARS ? s : s.substring(0, COMMAND_CHARS - 1) + "…";
    }

    /** The wall tags (tests). */
    List<Label> tags() {
      return tags;
    }
  }
}
