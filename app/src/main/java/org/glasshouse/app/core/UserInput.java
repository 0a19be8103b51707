package org.glasshouse.app.core;

import javafx.event.Event;
import javafx.event.EventDispatcher;
import javafx.scene.Node;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;

/**
 * Tells a control's selection changes that a person made (a click, a key) from the ones it makes by
 * itself: a TabPane selects a neighbour when a tab goes and the first tab added to an empty pane, a
 * ListView selects the row above a removed one. A view that follows the containers' selection and
 * may also set it listens to both and passes on only the first kind: the selection flows one way,
 * from the containers to the views, and back only by a person's hand.
 *
 * <p>It wraps the node's event dispatcher, so it knows exactly when a mouse press or release or a
 * key press is being delivered to the node or anything inside it: a selection change made during
 * that delivery is the person's, any other is not.
 */
public final class UserInput {
  private int depth;

  private UserInput() {}

  /** Watches the input delivered to {@code node} and its children. */
  public static UserInput watch(Node node) {
    UserInput input = new UserInput();
    EventDispatcher own = node.getEventDispatcher();
    node.setEventDispatcher(
        (event, tail) -> {
          if (!byHand(event)) {
            return own.dispatchEvent(event, tail);
          }
          input.depth++;
          try {
            return own.dispatchEvent(event, tail);
          } finally {
            input.depth--;
          }
        });
    return input;
  }

  /** Whether a person's click or key is being delivered right now (on the FX thread). */
  public boolean active() {
    return depth > 0;
  }

  private static boolean byHand(Event e) {
    return e.getEventType() == MouseEvent.MOUSE_PRESSED
        || e.getEventType() == MouseEvent.MOUSE_RELEASED
        || e.getEventType() == MouseEvent.MOUSE_CLICKED
        || e.getEventType() == KeyEvent.KEY_PRESSED;
  }
}
