package org.glasshouse.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;
import org.glasshouse.app.AppViewModel;
import org.glasshouse.app.MainView;
import org.glasshouse.app.TestWindows;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Key events through a container's terminal widget in the main window, against the bytes xterm (its
 * defaults, TERM=xterm) sends for the same keys, as {@code cat -v} or {@code od -c} in the
 * container would see them.
 */
@ExtendWith(ApplicationExtension.class)
class TerminalKeysTest {
  private static final String ID = "7e1d00c0ffee";
  private final FakeLabService lab = new FakeLabService();
  private MainView view;
  private AppViewModel vm;
  private Path dir;

  @Start
  void start(Stage stage) throws Exception {
    dir = Files.createTempDirectory("glasshouse-test-keys");
    vm = TestWindows.viewModel(lab, dir);
    view = new MainView(vm);
    Scene scene = new Scene(view.root(), 1366, 768);
    view.install(scene);
    stage.setScene(scene);
    stage.show();
  }

  @AfterEach
  void removeTempDir() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** One physical key: its press with the modifiers held, and the KEY_TYPED JavaFX adds. */
  private record Key(
      KeyCode code, String text, String typed, boolean shift, boolean ctrl, boolean alt) {
    static Key plain(KeyCode code, String text) {
      return new Key(code, text, text, false, false, false);
    }

    static Key shift(KeyCode code, String text) {
      return new Key(code, text, text, true, false, false);
    }

    static Key ctrl(KeyCode code, String text, String typed) {
      return new Key(code, text, typed, false, true, false);
    }

    static Key alt(KeyCode code, String text) {
      return new Key(code, text, text, false, false, true);
    }

    static Key special(KeyCode code, boolean shift, boolean ctrl, boolean alt) {
      return new Key(code, "", "", shift, ctrl, alt);
    }
  }

  private Node canvas;
  private final AtomicInteger marks = new AtomicInteger();

  private void fire(KeyEvent e) {
    Event.fireEvent(canvas, e);
  }

  /** The events a keyboard produces, modifiers pressed first, as GTK delivers them. */
  private void press(Key k) {
    List<KeyEvent> events = new ArrayList<>();
    boolean shift = false;
    boolean ctrl = false;
    if (k.ctrl()) {
      ctrl = true;
      events.add(ev(KeyEvent.KEY_PRESSED, "", "", KeyCode.CONTROL, false, true, false));
    }
    if (k.shift()) {
      shift = true;
      events.add(ev(KeyEvent.KEY_PRESSED, "", "", KeyCode.SHIFT, true, ctrl, false));
    }
    if (k.alt()) {
      events.add(ev(KeyEvent.KEY_PRESSED, "", "", KeyCode.ALT, shift, ctrl, true));
    }
    events.add(ev(KeyEvent.KEY_PRESSED, "", k.text(), k.code(), shift, ctrl, k.alt()));
    if (!k.typed().isEmpty()) {
      events.add(ev(KeyEvent.KEY_TYPED, k.typed(), "", KeyCode.UNDEFINED, shift, ctrl, k.alt()));
    }
    events.add(ev(KeyEvent.KEY_RELEASED, "", k.text(), k.code(), shift, ctrl, k.alt()));
    events.forEach(this::fire);
  }

  private static KeyEvent ev(
      javafx.event.EventType<KeyEvent> type,
      String character,
      String text,
      KeyCode code,
      boolean shift,
      boolean ctrl,
      boolean alt) {
    return new KeyEvent(
        type,
        character.isEmpty() ? KeyEvent.CHAR_UNDEFINED : character,
        text,
        code,
        shift,
        ctrl,
        alt,
        false);
  }

  /** The bytes stdin received for {@code keys}, up to a typed marker that follows them in order. */
  private String bytesFor(FxRobot robot, Key... keys) throws Exception {
    String mark = "|" + marks.incrementAndGet() + "|";
    int from = lab.requests.size();
    robot.interact(
        () -> {
          for (Key k : keys) {
            press(k);
          }
          for (char c : mark.toCharArray()) {
            fire(
                ev(
                    KeyEvent.KEY_TYPED,
                    String.valueOf(c),
                    "",
                    KeyCode.UNDEFINED,
                    false,
                    false,
                    false));
          }
        });
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> stdin(from).endsWith(mark));
    String all = stdin(from);
    return hex(all.substring(0, all.length() - mark.length()));
  }

  private String stdin(int from) {
    StringBuilder sb = new StringBuilder();
    synchronized (lab.requests) {
      lab.requests.stream()
          .skip(from)
          .filter(r -> r.startsWith("stdin " + ID + " "))
          .forEach(r -> sb.append(r.substring(("stdin " + ID + " ").length())));
    }
    return sb.toString();
  }

  private static String hex(String s) {
    return HexFormat.ofDelimiter(" ").formatHex(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String hex(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return HexFormat.ofDelimiter(" ").formatHex(b);
  }

  private void openTerminal(FxRobot robot) {
    lab.onRun = spec -> CompletableFuture.completedFuture(new LabService.Started(ID, 4242));
    robot.interact(() -> vm.run().run());
    WaitForAsyncUtils.waitForFxEvents();
    var item = vm.containers().selected();
    assertTrue(item != null && view.terminals().widget(item) != null, "a terminal opened");
    canvas = view.terminals().widget(item).getTerminalPanel().getCanvas();
  }

  @Test
  void keysSendWhatXtermSends(FxRobot robot) throws Exception {
    openTerminal(robot);
    // Shift+A: the letter only (cat -v showed "^@A" before: a NUL for the Shift press).
    assertEquals(hex("A"), bytesFor(robot, Key.shift(KeyCode.A, "A")));
    assertEquals(hex("a"), bytesFor(robot, Key.plain(KeyCode.A, "a")));
    // Ctrl+D is EOT, the end of a cat; Ctrl+C, Ctrl+Z, Ctrl+Space, Ctrl+[.
    assertEquals(hex(0x04), bytesFor(robot, Key.ctrl(KeyCode.D, "d", "\u0004")));
    assertEquals(hex(0x03), bytesFor(robot, Key.ctrl(KeyCode.C, "c", "\u0003")));
    assertEquals(hex(0x1a), bytesFor(robot, Key.ctrl(KeyCode.Z, "z", "\u001a")));
    assertEquals(hex(0x00), bytesFor(robot, Key.ctrl(KeyCode.SPACE, " ", " ")));
    assertEquals(hex(0x1b), bytesFor(robot, Key.ctrl(KeyCode.OPEN_BRACKET, "[", "\u001b")));
    // Alt+b, Alt+Shift+B: ESC before the key (xterm's metaSendsEscape, as terminals ship it).
    assertEquals(hex("\033b"), bytesFor(robot, Key.alt(KeyCode.B, "b")));
    assertEquals(hex("\033."), bytesFor(robot, Key.alt(KeyCode.PERIOD, ".")));
    // Enter, Tab, Shift+Tab, Backspace (DEL), Ctrl+Backspace (BS), Escape.
    assertEquals(hex("\r"), bytesFor(robot, Key.special(KeyCode.ENTER, false, false, false)));
    assertEquals(hex("\t"), bytesFor(robot, Key.special(KeyCode.TAB, false, false, false)));
    assertEquals(hex("\033[Z"), bytesFor(robot, Key.special(KeyCode.TAB, true, false, false)));
    assertEquals(hex(0x7f), bytesFor(robot, Key.special(KeyCode.BACK_SPACE, false, false, false)));
    assertEquals(hex(0x08), bytesFor(robot, Key.special(KeyCode.BACK_SPACE, false, true, false)));
    assertEquals(hex(0x1b), bytesFor(robot, Key.special(KeyCode.ESCAPE, false, false, false)));
    // Arrows: CSI in normal mode; with modifiers CSI 1;m (Shift 2, Ctrl 5, Ctrl+Shift 6).
    assertEquals(hex("\033[A"), bytesFor(robot, Key.special(KeyCode.UP, false, false, false)));
    assertEquals(hex("\033[D"), bytesFor(robot, Key.special(KeyCode.LEFT, false, false, false)));
    assertEquals(hex("\033[1;2A"), bytesFor(robot, Key.special(KeyCode.UP, true, false, false)));
    assertEquals(hex("\033[1;5C"), bytesFor(robot, Key.special(KeyCode.RIGHT, false, true, false)));
    assertEquals(hex("\033[1;6B"), bytesFor(robot, Key.special(KeyCode.DOWN, true, true, false)));
    assertEquals(hex("\033[H"), bytesFor(robot, Key.special(KeyCode.HOME, false, false, false)));
    assertEquals(hex("\033[F"), bytesFor(robot, Key.special(KeyCode.END, false, false, false)));
    // Function and editing keys.
    assertEquals(hex("\033OP"), bytesFor(robot, Key.special(KeyCode.F1, false, false, false)));
    assertEquals(hex("\033OS"), bytesFor(robot, Key.special(KeyCode.F4, false, false, false)));
    assertEquals(hex("\033[1;2P"), bytesFor(robot, Key.special(KeyCode.F1, true, false, false)));
    assertEquals(hex("\033[17~"), bytesFor(robot, Key.special(KeyCode.F6, false, false, false)));
    assertEquals(hex("\033[24~"), bytesFor(robot, Key.special(KeyCode.F12, false, false, false)));
    assertEquals(hex("\033[24;5~"), bytesFor(robot, Key.special(KeyCode.F12, false, true, false)));
    assertEquals(hex("\033[3~"), bytesFor(robot, Key.special(KeyCode.DELETE, false, false, false)));
    assertEquals(
        hex("\033[5~"), bytesFor(robot, Key.special(KeyCode.PAGE_UP, false, false, false)));
    assertEquals(hex("\033[2~"), bytesFor(robot, Key.special(KeyCode.INSERT, false, false, false)));
  }

  @Test
  void applicationCursorModeSendsSs3Arrows(FxRobot robot) throws Exception {
    openTerminal(robot);
    var item = vm.containers().selected();
    // DECCKM on, as vi or less turn it on: ESC [ ? 1 h.
    lab.emit(
        new org.glasshouse.app.core.LabEvent.Output(
            ID, "pty", "\033[?1h".getBytes(StandardCharsets.US_ASCII)));
    WaitForAsyncUtils.waitFor(
        5,
        TimeUnit.SECONDS,
        () ->
            java.util.Arrays.equals(
                view.terminals().widget(item).getTerminal().getCodeForKey(KeyCode.UP.getCode(), 0),
                new byte[] {0x1b, 'O', 'A'}));
    assertEquals(hex("\033OA"), bytesFor(robot, Key.special(KeyCode.UP, false, false, false)));
    assertEquals(hex("\033OH"), bytesFor(robot, Key.special(KeyCode.HOME, false, false, false)));
    assertEquals(hex("\033[1;5A"), bytesFor(robot, Key.special(KeyCode.UP, false, true, false)));
  }

  @Test
  void theWindowsShortcutsStillWorkFromTheTerminal(FxRobot robot) throws Exception {
    openTerminal(robot);
    // F5 is presenter mode: from a focused terminal it toggles the mode, and sends nothing.
    assertEquals("", bytesFor(robot, Key.special(KeyCode.F5, false, false, false)));
    assertTrue(view.root().getStyleClass().contains("presenter"), "F5 reached the window");
    assertEquals("", bytesFor(robot, Key.special(KeyCode.F5, false, false, false)));
    // Ctrl+PageDown / Ctrl+PageUp turn the level from a terminal (the arrows stay the shell's).
    int level = vm.levels().selected().number();
    assertEquals("", bytesFor(robot, Key.special(KeyCode.PAGE_DOWN, false, true, false)));
    assertEquals(level + 1, vm.levels().selected().number(), "Ctrl+PageDown: the next level");
    assertEquals("", bytesFor(robot, Key.special(KeyCode.PAGE_UP, false, true, false)));
    assertEquals(level, vm.levels().selected().number(), "Ctrl+PageUp: back");
    assertEquals(hex("\033[1;5C"), bytesFor(robot, Key.special(KeyCode.RIGHT, false, true, false)));
  }

  @Test
  void textSizeShortcutsWinOverTheTerminal(FxRobot robot) throws Exception {
    openTerminal(robot);
    var size = vm.preferences().fontSizeProperty();
    int before = size.get();
    // Ctrl+= and Ctrl+- are the window's text size, from a focused terminal too: they send
    // nothing (Ctrl+- would otherwise go out as xterm's Ctrl+_, 0x1f) and change the size.
    assertEquals("", bytesFor(robot, Key.ctrl(KeyCode.EQUALS, "=", "=")));
    assertEquals(before + 1, size.get(), "Ctrl+= from the terminal enlarged the text");
    assertEquals("", bytesFor(robot, Key.ctrl(KeyCode.MINUS, "-", "-")));
    assertEquals(before, size.get(), "Ctrl+- from the terminal made it smaller");
    // Ctrl++ as a keyboard with a plus key types it (Shift+=), and the keypad's + and -.
    assertEquals("", bytesFor(robot, new Key(KeyCode.EQUALS, "+", "+", true, true, false)));
    assertEquals(before + 1, size.get(), "Ctrl+Shift+= (Ctrl++) enlarged the text");
    assertEquals("", bytesFor(robot, Key.ctrl(KeyCode.SUBTRACT, "-", "-")));
    assertEquals(before, size.get(), "Ctrl+keypad - made it smaller");
    assertEquals("", bytesFor(robot, Key.ctrl(KeyCode.ADD, "+", "+")));
    assertEquals(before + 1, size.get(), "Ctrl+keypad + enlarged it");
  }

  private static double charWidth(com.techsenger.jeditermfx.ui.JediTermFxWidget w) {
    return w.getTerminalPanel().getPixelWidth()
        / (double) w.getTerminalPanel().getTerminalTextBuffer().getWidth();
  }

  @Test
  void presenterModeEnlargesATerminalThatIsAlreadyOpen(FxRobot robot) throws Exception {
    openTerminal(robot);
    var item = vm.containers().selected();
    var widget = view.terminals().widget(item);
    WaitForAsyncUtils.waitForFxEvents();
    float before = view.terminals().fontSize();
    double cell = charWidth(widget);
    robot.interact(
        () ->
            view.root().getScene().getAccelerators().entrySet().stream()
                .filter(a -> a.getKey().getName().equals("F5"))
                .findFirst()
                .orElseThrow()
                .getValue()
                .run());
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(view.terminals().fontSize() > before, "presenter mode asks for a larger font");
    // The panel measures its cells from the font: a cell of the open terminal must have grown.
    assertTrue(charWidth(widget) > cell * 1.3, "cell width " + cell + " → " + charWidth(widget));
  }
}
