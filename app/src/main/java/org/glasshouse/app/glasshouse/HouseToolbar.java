package org.glasshouse.app.glasshouse;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.glasshouse.app.containers.ContainerItem;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The glass house's toolbar: the replay's controls (back, play, forward, speed, live), one line
 * about what is shown, and the menus that choose the containers shown beside the selected one,
 * export the picture and give it more room.
 */
final class HouseToolbar extends HBox {
  /** What the view does for the buttons that act on the picture or the window. */
  interface Actions {
    void save();

    void copy();

    /** Gives the views area the terminal's room or gives it back; false when there is none. */
    boolean enlarge(boolean on);

    void window();
  }

  private final GlassHouseViewModel vm;
  private final Label note = new Label();
  private final Label message = new Label();
  private final Button play = icon(Feather.PLAY, "Replay the build from an empty host (Space)");
  private final MenuButton speed = new MenuButton("1×");
  private final Button live = new Button("Live", new FontIcon(Feather.RADIO));
  private final ToggleButton enlarge = new ToggleButton(null, new FontIcon(Feather.MAXIMIZE_2));

  HouseToolbar(GlassHouseViewModel vm, Actions actions) {
    this.vm = vm;
    Button back = icon(Feather.SKIP_BACK, "One step back (←)");
    back.setId("glass-house-back");
    back.setOnAction(e -> vm.stepBack());
    play.setId("glass-house-play");
    play.setOnAction(e -> vm.togglePlay());
    Button forward = icon(Feather.SKIP_FORWARD, "One step on (→)");
    forward.setId("glass-house-forward");
    forward.setOnAction(e -> vm.stepForward());
    speed.setId("glass-house-speed");
    speed.getStyleClass().add("flat");
    speed.setTooltip(new Tooltip("Replay speed: one step every 1.8 s at 1×"));
    ToggleGroup speeds = new ToggleGroup();
    for (double f : Replay.SPEEDS) {
      RadioMenuItem m = new RadioMenuItem(speedText(f));
      m.setToggleGroup(speeds);
      m.setSelected(f == 1);
      m.setOnAction(e -> vm.speed(f));
      speed.getItems().add(m);
    }
    live.setId("glass-house-live");
    live.getStyleClass().add("flat");
    live.setTooltip(new Tooltip("Back to the live picture (End)"));
    live.setOnAction(e -> vm.live());
    note.getStyleClass().add("gh-note");
    note.setId("glass-house-note");
    note.setMinWidth(0);
    note.setMaxWidth(Double.MAX_VALUE);
    HBox.setHgrow(note, Priority.ALWAYS);
    message.getStyleClass().add("gh-message");
    message.setId("glass-house-message");
    MenuButton compare = new MenuButton(null, new FontIcon(Feather.COLUMNS));
    compare.setId("glass-house-compare");
    compare.getStyleClass().add("flat");
    compare.setTooltip(new Tooltip("Which containers stand next to the selected one"));
    compare.setOnShowing(e -> fillCompare(compare));
    MenuButton export = new MenuButton(null, new FontIcon(Feather.IMAGE));
    export.setId("glass-house-export");
    export.getStyleClass().add("flat");
    export.setTooltip(new Tooltip("The picture as PNG, for slides and handouts"));
    MenuItem save = new MenuItem("Save as PNG…", new FontIcon(Feather.DOWNLOAD));
    save.setOnAction(e -> actions.save());
    MenuItem copy = new MenuItem("Copy picture", new FontIcon(Feather.COPY));
    copy.setOnAction(e -> actions.copy());
    export.getItems().addAll(save, copy);
    enlarge.setId("glass-house-enlarge");
    enlarge.getStyleClass().addAll("flat", "button-icon");
    enlarge.setTooltip(new Tooltip("Give the glass house the room of the terminal too"));
    enlarge.setOnAction(
        e -> {
          if (!actions.enlarge(enlarge.isSelected())) {
            enlarge.setSelected(false);
          }
        });
    Button window = icon(Feather.EXTERNAL_LINK, "Open the glass house in a window of its own");
    window.setId("glass-house-window");
    window.setOnAction(e -> actions.window());
    getChildren()
        .addAll(back, play, forward, speed, live, note, message, compare, export, enlarge, window);
    getStyleClass().add("gh-toolbar");
    for (Node n : getChildren()) {
      if (n != note && n instanceof Region r) {
        r.setMinWidth(Region.USE_PREF_SIZE);
      }
    }
    setAlignment(Pos.CENTER_LEFT);
  }

  /** Follows {@code s}: the note, the replay's buttons and speed. */
  void update(SceneModel s) {
    // Without a house the picture itself says what to do: not twice, once above it.
    String line = s.houses().isEmpty() && !s.replaying() ? "" : s.note();
    Rooms.set(note, line);
    if (line.length() <= 60) {
      note.setTooltip(null);
    } else if (note.getTooltip() == null) {
      note.setTooltip(new Tooltip(line));
    } else if (!line.equals(note.getTooltip().getText())) {
      note.getTooltip().setText(line);
    }
    play.setDisable(s.stages().isEmpty());
    ((FontIcon) play.getGraphic()).setIconCode(s.playing() ? Feather.PAUSE : Feather.PLAY);
    play.getTooltip()
        .setText(
            s.playing()
                ? "Pause (Space)"
                : s.replaying()
                    ? "Play on (Space)"
                    : "Replay the build from an empty host (Space)");
    speed.setText(speedText(s.speed()));
    live.setDisable(!s.replaying());
  }

  /** A short word on what was just done (saved, copied). */
  void message(String text) {
    Rooms.set(message, text);
  }

  /** The view's em: the size of its text, in pixels. */
  double em() {
    return note.getFont().getSize();
  }

  private static String speedText(double f) {
    return (f == Math.rint(f) ? Integer.toString((int) f) : Double.toString(f)) + "×";
  }

  private static Button icon(Feather f, String tip) {
    Button b = new Button(null, new FontIcon(f));
    b.getStyleClass().addAll("flat", "button-icon");
    b.setTooltip(new Tooltip(tip));
    return b;
  }

  private void fillCompare(MenuButton menu) {
    menu.getItems().clear();
    CheckMenuItem all = new CheckMenuItem("Every running container");
    all.setSelected(vm.compare().allRunningProperty().get());
    all.setOnAction(e -> vm.compare().allRunningProperty().set(all.isSelected()));
    menu.getItems().addAll(all, new SeparatorMenuItem());
    ContainerItem sel = vm.containers().selected();
    ContainerItem standIn = vm.compare().standIn();
    for (ContainerItem i : vm.containers().containers()) {
      if (i == sel) {
        continue;
      }
      CheckMenuItem m =
          new CheckMenuItem(
              i.shortId() + "  " + i.commandLine() + "  (" + i.summaryProperty().get() + ")");
      if (i == standIn) {
        // Shown as the selected one is, until one is selected: ticked, not to be unticked.
        m.setText(m.getText() + " · the newest, shown while none is selected");
        m.setSelected(true);
        m.setDisable(true);
        menu.getItems().add(m);
        continue;
      }
      boolean on =
          vm.compare().allRunningProperty().get()
              ? i.state().live() && !i.isCheck()
              : vm.compare().ticked().contains(i.id());
      m.setSelected(on);
      // From "every running", the others shown stay ticked (the charts' legend does the same).
      m.setOnAction(e -> vm.compare().show(i.id(), m.isSelected()));
      menu.getItems().add(m);
    }
    if (menu.getItems().size() == 2) {
      MenuItem none = new MenuItem("No other container");
      none.setDisable(true);
      menu.getItems().add(none);
    }
  }
}
