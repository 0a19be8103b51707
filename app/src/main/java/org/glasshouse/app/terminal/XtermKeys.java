package org.glasshouse.app.terminal;

import com.techsenger.jeditermfx.ui.JediTermFxWidget;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;

/**
 * Key presses as the bytes xterm sends for them (its defaults: Backspace is DEL, Alt sends ESC
 * before the key, PC-style function keys with the {@code ;m} modifier parameter of ctlseqs).
 *
 * <p>JediTermFX 1.0.0 gets several of these wrong: a press of Shift or Ctrl alone reaches it as a
 * control "character" U+0000 and goes out as a NUL byte; Ctrl+letter arrives as a control character
 * on KEY_TYPED, which it drops (so Ctrl+D never ends a {@code cat}); and its modifier masks do not
 * match its encoder's, so Shift/Alt/Ctrl+arrows lose their modifier. So the widget's pane encodes
 * every key that is not plain text itself, in the capturing phase, before the canvas sees it; plain
 * text still arrives as KEY_TYPED through the widget (input methods, dead keys).
 */
final class XtermKeys {
  private static final byte ESC = 0x1b;
  private static final byte[] NOTHING = new byte[0];
  private static final byte[] SS3_UP = {ESC, 'O', 'A'};

  private static final Map<KeyCode, Character> CURSOR =
      Map.ofEntries(
          Map.entry(KeyCode.UP, 'A'),
          Map.entry(KeyCode.DOWN, 'B'),
          Map.entry(KeyCode.RIGHT, 'C'),
          Map.entry(KeyCode.LEFT, 'D'),
          Map.entry(KeyCode.HOME, 'H'),
          Map.entry(KeyCode.END, 'F'),
          Map.entry(KeyCode.KP_UP, 'A'),
          Map.entry(KeyCode.KP_DOWN, 'B'),
          Map.entry(KeyCode.KP_RIGHT, 'C'),
          Map.entry(KeyCode.KP_LEFT, 'D'),
          Map.entry(KeyCode.F1, 'P'),
          Map.entry(KeyCode.F2, 'Q'),
          Map.entry(KeyCode.F3, 'R'),
          Map.entry(KeyCode.F4, 'S'));

  private static final Map<KeyCode, Integer> TILDE =
      Map.ofEntries(
          Map.entry(KeyCode.INSERT, 2),
          Map.entry(KeyCode.DELETE, 3),
          Map.entry(KeyCode.PAGE_UP, 5),
          Map.entry(KeyCode.PAGE_DOWN, 6),
          Map.entry(KeyCode.F5, 15),
          Map.entry(KeyCode.F6, 17),
          Map.entry(KeyCode.F7, 18),
          Map.entry(KeyCode.F8, 19),
          Map.entry(KeyCode.F9, 20),
          Map.entry(KeyCode.F10, 21),
          Map.entry(KeyCode.F11, 23),
          Map.entry(KeyCode.F12, 24));

  private XtermKeys() {}

  /**
   * Makes {@code widget} send xterm's bytes. A key that is one of the window's shortcuts (F5
   * presenter mode, F9 run, …) runs the shortcut instead: the canvas would otherwise swallow it,
   * and a presenter must be able to leave presenter mode from the terminal.
   */
  static void install(JediTermFxWidget widget) {
    boolean[] swallowTyped = {false};
    widget
        .getPane()
        .addEventFilter(
            KeyEvent.KEY_PRESSED,
            e -> {
              swallowTyped[0] = false;
              Scene scene = widget.getPane().getScene();
              // Arrows stay the shell's even where the window uses them (Ctrl+Left is a word back
              // in readline, Alt+Up the previous level): the level buttons are a click away.
              if (scene != null && !e.getCode().isArrowKey()) {
                for (Map.Entry<KeyCombination, Runnable> a : scene.getAccelerators().entrySet()) {
                  if (a.getKey().match(e)) {
                    e.consume();
                    // Its KEY_TYPED twin (the "=" of Ctrl+=) must not reach the widget either.
                    swallowTyped[0] = true;
                    a.getValue().run();
                    return;
                  }
                }
              }
              byte[] bytes = encode(e, applicationCursor(widget));
              if (bytes == null) {
                return;
              }
              e.consume();
              if (bytes.length > 0) {
                swallowTyped[0] = true;
                send(widget, bytes);
              }
            });
    widget
        .getPane()
        .addEventFilter(
            KeyEvent.KEY_TYPED,
            e -> {
              // The KEY_TYPED twin of a key sent above (Enter's CR, Ctrl+D's EOT, Alt+b's b); a
              // key with no twin (an arrow) must not swallow the next character typed.
              if (swallowTyped[0]) {
                swallowTyped[0] = false;
                String c = e.getCharacter();
                if (e.isControlDown()
                    || e.isAltDown()
                    || e.isMetaDown()
                    || (!c.isEmpty() && Character.isISOControl(c.charAt(0)))) {
                  e.consume();
                }
              }
            });
  }

  // Through the widget's own output queue, so these bytes stay in order with typed text.
  @SuppressWarnings("deprecation")
  private static void send(JediTermFxWidget widget, byte[] bytes) {
    var starter = widget.getTerminalStarter();
    // Null only before start(): nothing is connected yet that could receive the key.
    if (starter != null) {
      starter.sendBytes(bytes, true);
    }
  }

  // DECCKM lives in the emulator's key encoder; ask it how it would send Up.
  private static boolean applicationCursor(JediTermFxWidget widget) {
    var terminal = widget.getTerminal();
    return terminal != null
        && Arrays.equals(terminal.getCodeForKey(KeyCode.UP.getCode(), 0), SS3_UP);
  }

  /**
   * The bytes for a key press: empty when the key sends nothing (a modifier alone), null when it is
   * plain text the widget takes from KEY_TYPED.
   */
  static byte[] encode(KeyEvent e, boolean applicationCursor) {
    KeyCode code = e.getCode();
    if (code.isModifierKey()
        || code == KeyCode.CAPS
        || code == KeyCode.NUM_LOCK
        || code == KeyCode.SCROLL_LOCK
        || code == KeyCode.ALT_GRAPH) {
      return NOTHING;
    }
    int m =
        1
            + (e.isShiftDown() ? 1 : 0)
            + (e.isAltDown() ? 2 : 0)
            + (e.isControlDown() ? 4 : 0)
            + (e.isMetaDown() ? 8 : 0);
    Character cursor = CURSOR.get(code);
    if (cursor != null) {
      boolean fkey = cursor >= 'P';
      if (m > 1) {
        return ascii("\033[1;" + m + cursor);
      }
      return ascii((applicationCursor || fkey ? "\033O" : "\033[") + cursor);
    }
    Integer tilde = TILDE.get(code);
    if (tilde != null) {
      return ascii("\033[" + tilde + (m > 1 ? ";" + m : "") + "~");
    }
    boolean alt = e.isAltDown() || e.isMetaDown();
    switch (code) {
      case ENTER:
        return prefixed(alt, (byte) '\r');
      case TAB:
        return e.isShiftDown() ? ascii("\033[Z") : prefixed(alt, (byte) '\t');
      case BACK_SPACE:
        return prefixed(alt, e.isControlDown() ? (byte) 0x08 : (byte) 0x7f);
      case ESCAPE:
        return prefixed(alt, ESC);
      default:
        break;
    }
    if (e.isControlDown()) {
      // Ctrl+Shift+C and +V stay the widget's copy and paste.
      if (e.isShiftDown() && (code == KeyCode.C || code == KeyCode.V)) {
        return null;
      }
      Byte c = control(code, e.getText());
      return c == null ? null : prefixed(alt, c);
    }
    if (alt && !e.getText().isEmpty() && !Character.isISOControl(e.getText().charAt(0))) {
      String text = e.getText();
      if (e.isShiftDown() && code.isLetterKey()) {
        text = text.toUpperCase(java.util.Locale.ROOT);
      }
      byte[] t = text.getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[t.length + 1];
      out[0] = ESC;
      System.arraycopy(t, 0, out, 1, t.length);
      return out;
    }
    return null;
  }

  // xterm's Ctrl table: letters to 1-26, and the classic Ctrl+@ [ \ ] ^ _ with their digit twins.
  private static Byte control(KeyCode code, String text) {
    if (code.isLetterKey()) {
      return (byte) (code.getChar().charAt(0) & 0x1f);
    }
    char t = text.isEmpty() ? 0 : text.charAt(0);
    if (code == KeyCode.SPACE || code == KeyCode.DIGIT2 || t == '@') {
      return 0;
    }
    if (code == KeyCode.OPEN_BRACKET || code == KeyCode.DIGIT3 || t == '[') {
      return ESC;
    }
    if (code == KeyCode.BACK_SLASH || code == KeyCode.DIGIT4 || t == '\\') {
      return 0x1c;
    }
    if (code == KeyCode.CLOSE_BRACKET || code == KeyCode.DIGIT5 || t == ']') {
      return 0x1d;
    }
    if (code == KeyCode.DIGIT6 || t == '^') {
      return 0x1e;
    }
    if (code == KeyCode.MINUS || code == KeyCode.SLASH || code == KeyCode.DIGIT7 || t == '_') {
      return 0x1f;
    }
    if (code == KeyCode.DIGIT8) {
      return 0x7f;
    }
    return null;
  }

  private static byte[] prefixed(boolean alt, byte b) {
    return alt ? new byte[] {ESC, b} : new byte[] {b};
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
