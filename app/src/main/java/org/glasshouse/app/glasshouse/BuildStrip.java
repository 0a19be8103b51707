package org.glasshouse.app.glasshouse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.util.Duration;
import org.glasshouse.protocol.StepEntry;

/**
 * The build of the container in focus as a strip of chips, one per stage of its step log
 * (consecutive calls of one step): click one to highlight what it built; during a replay the chips
 * up to the position are lit and the current one is marked. A failed stage is red.
 */
final class BuildStrip extends ScrollPane {
  static final PseudoClass DONE = PseudoClass.getPseudoClass("done");
  static final PseudoClass CURRENT = PseudoClass.getPseudoClass("current");
  static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
  static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
  static final PseudoClass FUTURE = PseudoClass.getPseudoClass("future");

  private final HBox chips = new HBox();
  private final IntConsumer onClick;
  private final List<Label> labels = new ArrayList<>();
  private List<Blueprint.Stage> stages = List.of();

  BuildStrip(IntConsumer onClick) {
    this.onClick = onClick;
    getStyleClass().add("gh-strip");
    chips.getStyleClass().add("gh-strip-chips");
    chips.setAlignment(Pos.CENTER_LEFT);
    setContent(chips);
    setFitToHeight(true);
    setHbarPolicy(ScrollBarPolicy.AS_NEEDED);
    setVbarPolicy(ScrollBarPolicy.NEVER);
    setFocusTraversable(false);
  }

  void update(SceneModel s) {
    if (!s.stages().equals(stages)) {
      stages = s.stages();
      labels.clear();
      for (Blueprint.Stage st : stages) {
        Label l = new Label(st.step());
        l.getStyleClass().add("gh-stage");
        l.setMinWidth(Label.USE_PREF_SIZE);
        int index = st.index();
        l.setOnMouseClicked(e -> onClick.accept(index));
        Tooltip t = new Tooltip(describe(st));
        t.setShowDelay(Duration.millis(250));
        t.setShowDuration(Duration.seconds(30));
        t.setWrapText(true);
        t.setMaxWidth(520);
        l.setTooltip(t);
        labels.add(l);
      }
      chips.getChildren().setAll(labels);
    }
    Label current = null;
    for (int i = 0; i < labels.size(); i++) {
      Blueprint.Stage st = stages.get(i);
      Label l = labels.get(i);
      boolean selected = s.selectedSeq() >= st.firstSeq() && s.selectedSeq() <= st.lastSeq();
      l.pseudoClassStateChanged(DONE, s.replaying() && i <= s.position());
      l.pseudoClassStateChanged(FUTURE, s.replaying() && i > s.position());
      l.pseudoClassStateChanged(CURRENT, s.replaying() && i == s.position());
      l.pseudoClassStateChanged(SELECTED, selected);
      l.pseudoClassStateChanged(FAILED, !st.ok());
      if ((s.replaying() && i == s.position()) || (!s.replaying() && selected)) {
        current = l;
      }
    }
    if (current != null) {
      Label c = current;
      // Keep the chip in view: scroll so it sits in the middle when it is out of sight.
      double x = c.getBoundsInParent().getMinX();
      double cw = chips.getWidth();
      double vw = getViewportBounds().getWidth();
      if (cw > vw && vw > 0) {
        setHvalue(Math.max(0, Math.min(1, (x - vw / 2) / (cw - vw))));
      }
    }
  }

  /** The chips (tests). */
  List<Label> chips() {
    return labels;
  }

  private static String describe(Blueprint.Stage st) {
    StringBuilder b = new StringBuilder(st.step() + " — " + parts(st) + "\n");
    int shown = 0;
    for (StepEntry e : st.entries()) {
      if (shown++ == 6) {
        b.append("… ").append(st.entries().size() - 6).append(" more\n");
        break;
      }
      b.append(e.seq()).append("  ").append(HouseBuilder.call(e));
      b.append(e.ok() ? "" : " = -1 " + e.errno()).append('\n');
    }
    return b.toString().strip();
  }

  private static String parts(Blueprint.Stage st) {
    List<String> p = new ArrayList<>();
    st.parts().stream()
        .filter(x -> x.kind() != Part.Kind.OTHER)
        .map(Part::describe)
        .sorted()
        .forEach(p::add);
    return p.isEmpty() ? "builds nothing drawn" : "builds " + String.join(", ", p);
  }
}
