package org.glasshouse.app.levels;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Path;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * Text selection across the guide's text flows, as in a document: press and drag over the text
 * (across paragraphs, bullets, code blocks), double-click a word, Ctrl+A for the whole guide;
 * Ctrl+C or the context menu's Copy puts it on the clipboard. A flow hidden from view (an answer
 * not shown yet) is neither selected nor copied. The highlight is drawn on a mouse-transparent
 * layer above the text, so the text keeps its own styles and a command still takes its click.
 */
final class GuideSelection {
  private final Node area;
  private final Pane layer = new Pane();
  private final List<TextFlow> flows = new ArrayList<>();
  private Spot anchor;
  private Spot caret;

  /** A place in the text: flow {@code flow}, before its character {@code index}. */
  record Spot(int flow, int index) implements Comparable<Spot> {
    @Override
    public int compareTo(Spot o) {
      return flow != o.flow ? Integer.compare(flow, o.flow) : Integer.compare(index, o.index);
    }
  }

  /**
   * @param area the node holding every flow (the guide's content); presses and drags in it select
   * @param keys where Ctrl+C and Ctrl+A are taken (the pane that has the focus)
   */
  GuideSelection(Node area, Node keys) {
    this.area = area;
    layer.setMouseTransparent(true);
    layer.getStyleClass().add("guide-selection-layer");
    area.addEventFilter(MouseEvent.MOUSE_PRESSED, this::pressed);
    area.addEventFilter(MouseEvent.MOUSE_DRAGGED, this::dragged);
    area.addEventFilter(MouseEvent.MOUSE_CLICKED, this::clicked);
    area.layoutBoundsProperty().addListener((o, a, b) -> paint());
    keys.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
  }

  /** The layer to stack above the content. */
  Pane layer() {
    return layer;
  }

  /** Forgets every flow (a new guide is rendered). */
  void clear() {
    flows.clear();
    anchor = null;
    caret = null;
    paint();
  }

  /** Adds a flow, after the ones added before: the selection runs in this order. */
  void add(TextFlow flow) {
    flows.add(flow);
    flow.setCursor(Cursor.TEXT);
  }

  /** Selects everything shown. */
  void selectAll() {
    if (!flows.isEmpty()) {
      anchor = new Spot(0, 0);
      caret = new Spot(flows.size() - 1, text(flows.get(flows.size() - 1)).length());
      paint();
    }
  }

  /** The selected text, flows on lines of their own; empty when nothing is selected. */
  String selectedText() {
    if (anchor == null || caret == null || anchor.equals(caret)) {
      return "";
    }
    Spot from = anchor.compareTo(caret) <= 0 ? anchor : caret;
    Spot to = from == anchor ? caret : anchor;
    StringBuilder sb = new StringBuilder();
    for (int i = from.flow(); i <= to.flow(); i++) {
      TextFlow f = flows.get(i);
      if (!shown(f)) {
        continue;
      }
      String t = text(f);
      int start = i == from.flow() ? Math.min(from.index(), t.length()) : 0;
      int end = i == to.flow() ? Math.min(to.index(), t.length()) : t.length();
      if (end > start) {
        if (!sb.isEmpty()) {
          sb.append('\n');
        }
        sb.append(t, start, end);
      }
    }
    return sb.toString();
  }

  /** Puts the selection on the clipboard; false when nothing is selected. */
  boolean copy() {
    String s = selectedText();
    if (s.isEmpty()) {
      return false;
    }
    ClipboardContent c = new ClipboardContent();
    c.putString(s);
    Clipboard.getSystemClipboard().setContent(c);
    return true;
  }

  private void pressed(MouseEvent e) {
    if (e.getButton() != MouseButton.PRIMARY) {
      return;
    }
    Spot s = spotAt(e.getSceneX(), e.getSceneY(), false);
    if (e.isShiftDown() && anchor != null && s != null) {
      caret = s;
    } else {
      anchor = s;
      caret = s;
    }
    paint();
  }

  private void dragged(MouseEvent e) {
    if (anchor == null || !e.isPrimaryButtonDown()) {
      return;
    }
    Spot s = spotAt(e.getSceneX(), e.getSceneY(), true);
    if (s != null) {
      caret = s;
      paint();
    }
  }

  // A double click selects the word under the pointer.
  private void clicked(MouseEvent e) {
    if (e.getButton() != MouseButton.PRIMARY || e.getClickCount() != 2 || caret == null) {
      return;
    }
    String t = text(flows.get(caret.flow()));
    int a = Math.min(caret.index(), t.length());
    int b = a;
    while (a > 0 && !Character.isWhitespace(t.charAt(a - 1))) {
      a--;
    }
    while (b < t.length() && !Character.isWhitespace(t.charAt(b))) {
      b++;
    }
    anchor = new Spot(caret.flow(), a);
    caret = new Spot(caret.flow(), b);
    paint();
  }

  private void key(KeyEvent e) {
    if (!e.isShortcutDown()) {
      return;
    }
    if (e.getCode() == KeyCode.C && copy()) {
      e.consume();
    } else if (e.getCode() == KeyCode.A) {
      selectAll();
      e.consume();
    }
  }

  /**
   * The place at scene point (x, y): in the flow under it; while dragging also between flows (the
   * next flow's start) and above or below them all (the first's start, the last's end).
   */
  private Spot spotAt(double x, double y, boolean dragging) {
    Spot before = null;
    for (int i = 0; i < flows.size(); i++) {
      TextFlow f = flows.get(i);
      if (!shown(f) || f.getScene() == null) {
        continue;
      }
      Bounds b = f.localToScene(f.getLayoutBounds());
      if (y >= b.getMinY()
          && y <= b.getMaxY()
          && (dragging || x >= b.getMinX() && x <= b.getMaxX())) {
        Point2D p = f.sceneToLocal(x, y);
        int index = f.hitTest(p).getInsertionIndex();
        return new Spot(i, Math.max(0, Math.min(index, text(f).length())));
      }
      if (dragging && y < b.getMinY()) {
        return new Spot(i, 0);
      }
      before = new Spot(i, text(f).length());
    }
    return dragging ? before : null;
  }

  private void paint() {
    layer.getChildren().clear();
    if (anchor == null || caret == null || anchor.equals(caret) || layer.getScene() == null) {
      return;
    }
    Spot from = anchor.compareTo(caret) <= 0 ? anchor : caret;
    Spot to = from == anchor ? caret : anchor;
    for (int i = from.flow(); i <= to.flow() && i < flows.size(); i++) {
      TextFlow f = flows.get(i);
      if (!shown(f) || f.getScene() == null) {
        continue;
      }
      int len = text(f).length();
      int start = i == from.flow() ? Math.min(from.index(), len) : 0;
      int end = i == to.flow() ? Math.min(to.index(), len) : len;
      if (end <= start) {
        continue;
      }
      Path p = new Path(f.rangeShape(start, end));
      p.getStyleClass().add("guide-selection");
      Point2D o = layer.sceneToLocal(f.localToScene(0, 0));
      p.setLayoutX(o.getX());
      p.setLayoutY(o.getY());
      p.setManaged(false);
      layer.getChildren().add(p);
    }
  }

  /** A flow's characters, as its hit tests and range shapes count them. */
  static String text(TextFlow f) {
    StringBuilder sb = new StringBuilder();
    for (Node n : f.getChildren()) {
      if (n instanceof Text t) {
        sb.append(t.getText());
      }
    }
    return sb.toString();
  }

  // Shown: it and every parent up to the guide are visible (a hidden answer is not).
  private boolean shown(Node n) {
    for (Node p = n; p != null; p = p.getParent()) {
      if (!p.isVisible()) {
        return false;
      }
      if (p == area) {
        return true;
      }
    }
    return false;
  }
}
