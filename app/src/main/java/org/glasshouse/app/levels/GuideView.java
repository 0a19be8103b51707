package org.glasshouse.app.levels;

import java.util.List;
import java.util.function.Consumer;
import javafx.beans.value.ObservableStringValue;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The selected level's guide, rendered from its Markdown subset into plain JavaFX nodes (headings,
 * text flows, bullets, code blocks), with the level's check underneath. A command in the text is a
 * link that puts it into the Command field; an experiment has a "Try it" button; an exercise's
 * answer hides behind "Show answer". The text selects as a document's does (drag, double-click,
 * Ctrl+A; Ctrl+C or right-click Copy: {@link GuideSelection}); a click on a command that does not
 * drag still puts it into the Command field. When a check fails, the guide's hints come one by one:
 * hint 1, hint 2, then the answer.
 */
public final class GuideView {
  private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
  private static final PseudoClass PASSED = PseudoClass.getPseudoClass("passed");
  private final VBox content = new VBox();
  private final ScrollPane scroll;
  private final GuideSelection selection;
  private final BorderPane root = new BorderPane();
  private final VBox hintBox = new VBox(4);
  private final Button hintButton = new Button("Show a hint", new FontIcon(Feather.HELP_CIRCLE));
  private final LevelsViewModel vm;
  private final Consumer<String> toCommand;
  private final Experiments experiments;

  /**
   * @param vm the levels
   * @param check what the Check button does
   * @param checkResult the last check's outcome, shown under the button
   * @param toCommand puts a command into the run panel's Command field
   * @param experiments the guides' one-click experiments
   */
  public GuideView(
      LevelsViewModel vm,
      Runnable check,
      ObservableStringValue checkResult,
      Consumer<String> toCommand,
      Experiments experiments) {
    this.vm = vm;
    this.toCommand = toCommand;
    this.experiments = experiments;
    content.getStyleClass().add("guide");
    content.setId("guide");
    selection = new GuideSelection(content, root);
    scroll = new ScrollPane(new StackPane(content, selection.layer()));
    scroll.setFitToWidth(true);
    scroll.getStyleClass().add("guide-scroll");
    // A press in the text gives the guide the keyboard: Ctrl+C and Ctrl+A are the guide's then.
    content.addEventHandler(
        javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> scroll.requestFocus());
    StackPane body = new StackPane(scroll);

    Button checkButton = new Button("Check this level", new FontIcon(Feather.CHECK_SQUARE));
    checkButton.setId("check");
    checkButton.getStyleClass().add("check-button");
    checkButton.setOnAction(e -> check.run());
    checkButton.setMinWidth(Region.USE_PREF_SIZE);
    hintButton.setId("hint");
    hintButton.getStyleClass().add("hint-button");
    hintButton.setOnAction(e -> vm.revealHint());
    hintButton.setMinWidth(Region.USE_PREF_SIZE);
    HBox buttons = new HBox(8, checkButton, hintButton);
    buttons.setAlignment(Pos.CENTER_LEFT);
    Label result = new Label();
    result.setId("check-result");
    result.getStyleClass().add("check-result");
    result.setWrapText(true);
    result.textProperty().bind(checkResult);
    copyable(result, result::getText);
    Label description = new Label();
    description.getStyleClass().add("check-description");
    description.setWrapText(true);
    hintBox.setId("hints");
    hintBox.getStyleClass().add("guide-hints");
    VBox footer = new VBox(6, buttons, description, result, hintBox);
    footer.getStyleClass().add("guide-footer");
    ScrollPane footerScroll = new ScrollPane(footer);
    footerScroll.setFitToWidth(true);
    footerScroll.getStyleClass().add("guide-footer-scroll");
    footerScroll.setMaxHeight(260);
    footerScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
    root.setCenter(body);
    root.setBottom(footerScroll);
    root.getStyleClass().add("guide-pane");
    vm.guideProperty().addListener((o, a, b) -> render(b));
    vm.selectedProperty()
        .addListener((o, a, b) -> description.setText("Passes when " + b.check().description()));
    description.setText("Passes when " + vm.selected().check().description());
    vm.outcomeProperty().addListener((o, a, b) -> outcome(result, b));
    vm.hintsShownProperty().addListener((o, a, b) -> hints());
    outcome(result, vm.outcomeProperty().get());
    render(vm.guideProperty().get());
  }

  public BorderPane node() {
    return root;
  }

  private void outcome(Label result, CheckOutcome o) {
    result.pseudoClassStateChanged(FAILED, o != null && !o.passed());
    result.pseudoClassStateChanged(PASSED, o != null && o.passed());
    hints();
  }

  private void hints() {
    CheckOutcome o = vm.outcomeProperty().get();
    List<List<Guide.Inline>> all = vm.guideProperty().get().hints();
    boolean stuck = o != null && !o.passed() && !all.isEmpty();
    int shown = stuck ? vm.hintsShownProperty().get() : 0;
    hintButton.setVisible(stuck && shown < all.size());
    hintButton.setManaged(hintButton.isVisible());
    hintButton.setText(
        shown == all.size() - 1 ? "Show the answer" : shown == 0 ? "Show a hint" : "Another hint");
    hintBox.getChildren().clear();
    for (int i = 0; i < shown; i++) {
      String label = i == all.size() - 1 ? "Answer" : "Hint " + (i + 1);
      Label tag = new Label(label);
      tag.getStyleClass().add("guide-hint-tag");
      tag.setMinWidth(Region.USE_PREF_SIZE);
      TextFlow text = flow(all.get(i), "guide-hint-text");
      HBox row = new HBox(8, tag, text);
      row.getStyleClass().add("guide-hint");
      row.setId("hint-" + (i + 1));
      HBox.setHgrow(text, Priority.ALWAYS);
      hintBox.getChildren().add(row);
    }
  }

  private void render(Guide guide) {
    content.getChildren().clear();
    selection.clear();
    for (Guide.Block b : guide.blocks()) {
      content.getChildren().add(block(b));
    }
    scroll.setVvalue(0);
    hints();
  }

  private Node block(Guide.Block b) {
    Node n;
    if (b instanceof Guide.Heading h) {
      n = selectable(plainFlow(h.text(), "guide-h" + h.depth()));
    } else if (b instanceof Guide.Paragraph p) {
      n = selectable(flow(p.runs(), "guide-paragraph"));
    } else if (b instanceof Guide.Bullets list) {
      VBox box = new VBox();
      box.getStyleClass().add("guide-bullets");
      for (Guide.Item item : list.items()) {
        box.getChildren().add(bullet(item));
      }
      n = box;
    } else {
      Guide.Code c = (Guide.Code) b;
      TextFlow code = plainFlow(c.text(), "guide-codeblock");
      code.setMaxWidth(Double.MAX_VALUE);
      n = selectable(code);
    }
    copyable(n, () -> plain(b));
    return n;
  }

  private Node bullet(Guide.Item item) {
    Label dot = new Label("•");
    dot.getStyleClass().add("guide-bullet-mark");
    TextFlow f = selectable(flow(item.runs(), "guide-bullet-text"));
    VBox text = new VBox(4, f);
    HBox.setHgrow(text, Priority.ALWAYS);
    if (!item.answer().isEmpty()) {
      TextFlow answer = selectable(flow(item.answer(), "guide-answer"));
      answer.setVisible(false);
      answer.setManaged(false);
      ToggleButton show = new ToggleButton("Show answer");
      show.getStyleClass().addAll("small", "guide-show-answer");
      show.selectedProperty()
          .addListener(
              (o, a, on) -> {
                answer.setVisible(on);
                answer.setManaged(on);
                show.setText(on ? "Hide answer" : "Show answer");
              });
      text.getChildren().addAll(show, answer);
    }
    HBox row = new HBox(dot, text);
    row.getStyleClass().add("guide-bullet");
    if (item.id() != null && experiments.has(item.id())) {
      Button tryIt = new Button("Try it", new FontIcon(Feather.PLAY));
      tryIt.setId("try-" + item.id());
      tryIt.getStyleClass().addAll("small", "try-it");
      tryIt.setMinWidth(Region.USE_PREF_SIZE);
      tryIt.setTooltip(new Tooltip(experiments.get(item.id()).summary()));
      tryIt.setOnAction(e -> experiments.tryIt(item.id()));
      row.getChildren().add(tryIt);
      row.getStyleClass().add("guide-experiment");
    }
    return row;
  }

  private TextFlow flow(List<Guide.Inline> runs, String styleClass) {
    TextFlow f = new TextFlow();
    f.getStyleClass().add(styleClass);
    for (Guide.Inline r : runs) {
      Text t = new Text(r.text());
      t.getStyleClass()
          .add(
              switch (r.kind()) {
                case CODE -> "guide-code";
                case STRONG -> "guide-strong";
                case EMPHASIS -> "guide-emphasis";
                default -> "guide-text";
              });
      if (r.kind() == Guide.Kind.CODE && isCommand(r.text())) {
        t.getStyleClass().add("guide-command");
        t.setCursor(Cursor.HAND);
        Tooltip.install(t, new Tooltip("Click: put this command into the Command field"));
        // A click, not the end of a drag that selected text.
        t.setOnMouseClicked(
            e -> {
              if (e.isStillSincePress()) {
                toCommand.accept(r.text());
              }
            });
      }
      f.getChildren().add(t);
    }
    return f;
  }

  /** A code run that reads as a command line (not a path, a syscall or a file name). */
  static boolean isCommand(String code) {
    String s = code.strip();
    if (s.startsWith("/bin/") || s.startsWith("/usr/bin/")) {
      return true;
    }
    String program = s.split("\\s+")[0];
    return s.contains(" ")
        && Character.isLowerCase(s.charAt(0))
        && !s.contains("(")
        && !s.startsWith("cat /sys/fs")
        && !s.contains(" ← ")
        // Not a program: a devices.allow rule ("c 1:3 rwm"), a line of a cgroup file
        // ("under_oom 1"); no applet of the image is one letter long or has an underscore.
        && program.length() > 1
        && !program.contains("_")
        // Not as written: a placeholder to fill in ("glasshouse inspect <id>"), the host's own
        // command line, or sh -c with nothing to run.
        && !s.matches(".*<[a-z-]+>.*")
        && !program.equals("glasshouse")
        && !s.endsWith(" -c");
  }

  private TextFlow selectable(TextFlow f) {
    selection.add(f);
    return f;
  }

  /** A flow of one plain run: a heading's or a code block's text, selectable like the rest. */
  private static TextFlow plainFlow(String text, String styleClass) {
    Text t = new Text(text);
    t.getStyleClass().add(styleClass + "-text");
    TextFlow f = new TextFlow(t);
    f.getStyleClass().add(styleClass);
    return f;
  }

  // Right-click Copy: the selection when there is one, else the whole block.
  private void copyable(Node n, java.util.function.Supplier<String> text) {
    MenuItem copy = new MenuItem("Copy", new FontIcon(Feather.COPY));
    copy.setOnAction(
        e -> {
          if (selection != null && selection.copy()) {
            return;
          }
          ClipboardContent c = new ClipboardContent();
          c.putString(text.get());
          Clipboard.getSystemClipboard().setContent(c);
        });
    ContextMenu menu = new ContextMenu(copy);
    n.setOnContextMenuRequested(e -> menu.show(n, e.getScreenX(), e.getScreenY()));
  }

  private static String plain(Guide.Block b) {
    if (b instanceof Guide.Heading h) {
      return h.text();
    }
    if (b instanceof Guide.Paragraph p) {
      return plain(p.runs());
    }
    if (b instanceof Guide.Bullets list) {
      StringBuilder sb = new StringBuilder();
      for (Guide.Item i : list.items()) {
        // Answers stay behind their "Show answer" control, also in the selectable text.
        sb.append(sb.isEmpty() ? "" : "\n").append("• ").append(plain(i.runs()));
      }
      return sb.toString();
    }
    return ((Guide.Code) b).text();
  }

  private static String plain(List<Guide.Inline> runs) {
    StringBuilder sb = new StringBuilder();
    runs.forEach(r -> sb.append(r.text()));
    return sb.toString();
  }
}
