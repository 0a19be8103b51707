package org.glasshouse.app;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.levels.Level;
import org.glasshouse.app.namespaces.Comparison;
import org.glasshouse.protocol.StepEntry;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** Drives and reads the main window the way a student would, for the UI tests. */
final class MainWindowDriver {
  private final FxRobot robot;
  private final MainView view;
  private final AppViewModel vm;

  MainWindowDriver(FxRobot robot, MainView view, AppViewModel vm) {
    this.robot = robot;
    this.view = view;
    this.vm = vm;
  }

  void selectLevel(int n) {
    ListView<Level> list = robot.lookup("#levels").queryListView();
    robot.interact(() -> list.scrollTo(n));
    robot.clickOn(
        robot
            .lookup(".level-cell")
            .match(
                c ->
                    c instanceof javafx.scene.control.ListCell<?> cell
                        && cell.getItem() instanceof Level l
                        && l.number() == n)
            .queryAs(javafx.scene.Node.class));
    WaitForAsyncUtils.waitForFxEvents();
  }

  void typeCommand(String command) {
    TextField t = robot.lookup("#command").queryAs(TextField.class);
    robot.interact(() -> t.setText(command));
  }

  void click(String query) {
    // A click on a node that is not drawn lands on whatever is there instead. In a short window
    // (or presenter mode) with the glass house in front the run panel is folded to one line: its
    // fields come back with "Settings", as a student brings them back.
    if (!shown(query) && !query.equals("#run-unfold") && shown("#run-unfold")) {
      click("#run-unfold");
    }
    if (!shown(query)) {
      throw new AssertionError(query + " is not on the screen: a click would land elsewhere");
    }
    robot.clickOn(query);
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** Whether {@code query} names a node that is drawn: in a window, it and its parents visible. */
  private boolean shown(String query) {
    try {
      return WaitForAsyncUtils.asyncFx(
              () -> {
                javafx.scene.Node n = robot.lookup(query).query();
                if (n == null || n.getScene() == null) {
                  return false;
                }
                for (javafx.scene.Node p = n; p != null; p = p.getParent()) {
                  if (!p.isVisible()) {
                    return false;
                  }
                }
                return true;
              })
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not look " + query + " up", e);
    }
  }

  /** Waits until {@code condition} holds (checked on the FX thread), or fails with {@code what}. */
  void await(String what, BooleanSupplier condition) {
    try {
      WaitForAsyncUtils.waitFor(
          20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition::getAsBoolean).get());
    } catch (TimeoutException e) {
      throw new AssertionError(
          "timed out waiting for "
              + what
              + "; status: "
              + connectionText()
              + "; error: "
              + robot.lookup("#error").queryAs(Label.class).getText()
              + "; focus: "
              + focusDescription()
              + "; terminal:\n"
              + terminalTextOrWhy());
    }
  }

  /**
   * Types {@code keys} into the selected container's terminal as a student would, once its window
   * is the focused one and its canvas the focus owner: keys typed before that go to whatever had
   * focus (another test's window, the Run button) and never reach the shell.
   */
  void typeIntoTerminal(String keys) {
    await(
        "the terminal focused",
        () -> {
          javafx.stage.Window w = view.root().getScene().getWindow();
          if (!w.isFocused()) {
            w.requestFocus();
          }
          view.terminals().focus();
          javafx.scene.Node owner = view.root().getScene().getFocusOwner();
          return w.isFocused() && owner instanceof javafx.scene.canvas.Canvas;
        });
    robot.write(keys);
  }

  ContainerItem selectedContainer() {
    return vm.containers().selected();
  }

  private String focusDescription() {
    try {
      return WaitForAsyncUtils.asyncFx(
              () -> {
                javafx.stage.Window w = view.root().getScene().getWindow();
                return "window focused "
                    + (w != null && w.isFocused())
                    + ", owner "
                    + view.root().getScene().getFocusOwner();
              })
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return "unknown (" + e + ")";
    }
  }

  private String terminalTextOrWhy() {
    try {
      java.util.concurrent.Callable<String> text = this::terminalText;
      return WaitForAsyncUtils.asyncFx(text).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return "unreadable (" + e + ")";
    }
  }

  /** The screen and history of the selected container's terminal. */
  String terminalText() {
    return terminalText(selectedContainer());
  }

  /** The screen of {@code item}'s terminal, or "" when it has none. */
  String terminalText(ContainerItem item) {
    var w = item == null ? null : view.terminals().widget(item);
    if (w == null) {
      return "";
    }
    var buf = w.getTerminalTextBuffer();
    buf.lock();
    try {
      return buf.getScreenLines();
    } finally {
      buf.unlock();
    }
  }

  /** The id of the container whose terminal is on show, or null. */
  String shownTerminal() {
    java.util.concurrent.Callable<String> shown =
        () -> {
          var tabs = (javafx.scene.control.TabPane) view.root().lookup("#terminals");
          var t = tabs.getSelectionModel().getSelectedItem();
          return t != null && t.getUserData() instanceof ContainerItem i ? i.id() : null;
        };
    try {
      return WaitForAsyncUtils.asyncFx(shown).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Whether the inside-vs-outside row {@code label} is shown with the :differs pseudo-class. */
  boolean rowDiffers(String label) {
    return robot.lookup("#inside-outside .table-row-cell").queryAllAs(TableRow.class).stream()
        .filter(r -> r.getItem() instanceof Comparison c && c.label().equals(label))
        .anyMatch(r -> r.getPseudoClassStates().contains(PseudoClass.getPseudoClass("differs")));
  }

  @SuppressWarnings("unchecked")
  List<String> stepCalls() {
    TableView<StepEntry> t = robot.lookup("#step-log").queryAs(TableView.class);
    return t.getItems().stream().map(StepEntry::call).toList();
  }

  String failureText() {
    Label l = robot.lookup("#step-failure").queryAs(Label.class);
    return l.getParent().isVisible() ? l.getText() : "";
  }

  String connectionText() {
    return robot.lookup("#connection").queryAs(Label.class).getText();
  }
}
