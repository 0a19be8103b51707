package org.glasshouse.app.containers;

import atlantafx.base.controls.ToggleSwitch;
import java.util.List;
import java.util.function.DoubleSupplier;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.CheckComboBox;
import org.glasshouse.protocol.Feature;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The run panel: image, command, Run / Stop / Remove, the level's steps as toggles (free play
 * unlocks them), and the limit, user and hostname fields of the steps that use them.
 */
public final class RunPanelView {
  private final VBox root = new VBox();
  private DoubleSupplier room = () -> Double.MAX_VALUE;
  private final javafx.beans.property.BooleanProperty compact =
      new javafx.beans.property.SimpleBooleanProperty(false);

  public RunPanelView(RunViewModel vm, ContainersViewModel containers) {
    root.getStyleClass().add("run-panel");
    TextField image = field("image", vm.imageProperty(), "busybox");
    image.setPrefColumnCount(8);
    TextField command = field("command", vm.commandProperty(), "/bin/sh");
    HBox.setHgrow(command, Priority.ALWAYS);
    // The field remembers each level's command across restarts; its menu puts the suggestion back.
    javafx.scene.control.MenuItem suggested =
        new javafx.scene.control.MenuItem(
            "Use the suggested command (" + RunViewModel.SUGGESTED_COMMAND + ")");
    suggested.setId("command-suggested");
    suggested.setOnAction(e -> vm.useSuggestedCommand());
    javafx.scene.control.MenuItem cut = new javafx.scene.control.MenuItem("Cut");
    cut.setOnAction(e -> command.cut());
    javafx.scene.control.MenuItem copy = new javafx.scene.control.MenuItem("Copy");
    copy.setOnAction(e -> command.copy());
    javafx.scene.control.MenuItem paste = new javafx.scene.control.MenuItem("Paste");
    paste.setOnAction(e -> command.paste());
    javafx.scene.control.MenuItem all = new javafx.scene.control.MenuItem("Select all");
    all.setOnAction(e -> command.selectAll());
    command.setContextMenu(
        new javafx.scene.control.ContextMenu(
            cut, copy, paste, all, new javafx.scene.control.SeparatorMenuItem(), suggested));
    command.setTooltip(
        new Tooltip(
            "Remembered for this level, also after a restart; right-click for the suggested"
                + " command"));
    Button run = new Button("Run", new FontIcon(Feather.PLAY));
    run.setId("run");
    run.getStyleClass().addAll("accent", "run-button");
    run.setDefaultButton(false);
    run.setTooltip(new Tooltip("Run (Ctrl+Enter, F9)"));
    run.disableProperty().bind(vm.busyProperty());
    run.setOnAction(e -> vm.run());
    Button stop = new Button("Stop", new FontIcon(Feather.SQUARE));
    stop.setId("stop");
    stop.setTooltip(new Tooltip("Stop: SIGKILL to the container (Ctrl+., Shift+F9)"));
    stop.setOnAction(e -> containers.stopSelected());
    stop.disableProperty().bind(containers.selectedLiveProperty().not());
    Button remove = new Button("Remove", new FontIcon(Feather.TRASH_2));
    remove.setId("remove");
    remove.setTooltip(new Tooltip("Remove the selected container and everything it made"));
    remove.disableProperty().bind(containers.selectedProperty().isNull());
    remove.setOnAction(e -> containers.removeSelected());
    for (Button b : new Button[] {run, stop, remove}) {
      b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
      // A click never gives them the keyboard: a focused button fires on Enter and Space (Linux,
      // Windows), so after a click on Run whose container opened no terminal (a failed start), or
      // a stray click there, the Enter meant for the shell started a second container. The
      // keyboard has Ctrl+Enter / F9 for Run and Ctrl+. / Shift+F9 for Stop.
      b.setFocusTraversable(false);
    }
    HBox line1 = new HBox(8, label("Image"), image, label("Command"), command, run, stop, remove);
    line1.setAlignment(Pos.CENTER_LEFT);
    line1.getStyleClass().add("run-line");

    FlowPane steps = new FlowPane();
    steps.getStyleClass().add("step-toggles");
    for (Feature f : Feature.values()) {
      ToggleButton t = new ToggleButton(f.wireName());
      t.setId("feature-" + f.wireName());
      t.getStyleClass().add("step-toggle");
      t.setTooltip(new Tooltip("Level " + String.format("%02d", f.level())));
      t.selectedProperty().bindBidirectional(vm.feature(f));
      t.disableProperty().bind(vm.freePlayProperty().not());
      t.visibleProperty().bind(vm.shown(f));
      t.managedProperty().bind(t.visibleProperty());
      steps.getChildren().add(t);
    }
    Label none = new Label("Level 00 runs the command as a plain child of the helper: no steps.");
    none.getStyleClass().add("muted");
    none.visibleProperty().bind(vm.levelProperty().isEqualTo(0).and(vm.freePlayProperty().not()));
    none.managedProperty().bind(none.visibleProperty());
    steps.getChildren().add(none);
    ToggleSwitch free = new ToggleSwitch("Free play");
    free.setId("free-play");
    free.selectedProperty().bindBidirectional(vm.freePlayProperty());
    // The step toggles wrap; the switch's label never shrinks to "Free pl…".
    free.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    HBox.setHgrow(steps, Priority.ALWAYS);
    HBox line2 = new HBox(12, label("Steps"), steps, free);
    line2.setAlignment(Pos.CENTER_LEFT);
    line2.getStyleClass().add("run-line");

    FlowPane options = new FlowPane();
    options.getStyleClass().add("run-options");
    options
        .getChildren()
        .addAll(
            option(
                vm,
                Feature.UTS_NS,
                "Hostname",
                "hostname",
                vm.hostnameProperty(),
                AppliedLimits.CONTAINER_ID),
            option(
                vm,
                Feature.CGROUP_CPU,
                "CPU shares",
                "cpu-shares",
                vm.cpuSharesProperty(),
                AppliedLimits.KERNEL_DEFAULT),
            option(
                vm, Feature.CGROUP_CPU, "CPUs", "cpus", vm.cpusProperty(), AppliedLimits.NO_QUOTA),
            option(
                vm,
                Feature.CGROUP_MEMORY,
                "Memory MiB",
                "memory",
                vm.memoryMibProperty(),
                AppliedLimits.NO_LIMIT),
            option(
                vm,
                Feature.CGROUP_MEMORY,
                "Mem+swap MiB",
                "memory-swap",
                vm.memorySwapMibProperty(),
                AppliedLimits.NO_LIMIT),
            option(vm, Feature.SETUID, "User", "user", vm.userProperty(), AppliedLimits.ROOT),
            option(
                vm,
                Feature.CGROUP_PIDS,
                "Pids max",
                "pids",
                vm.pidsMaxProperty(),
                AppliedLimits.NO_LIMIT));
    options.getChildren().add(bridgeOption(vm));
    // Level 09's bonus: open at level 09 and in free play, folded at 10-13 (where it took the
    // views'
    // height) until the student opens it; the values apply folded or not.
    FlowPane memoryBonus = new FlowPane();
    memoryBonus.getStyleClass().add("run-options");
    memoryBonus
        .getChildren()
        .addAll(
            option(
                vm,
                Feature.CGROUP_MEMORY,
                "Soft MiB",
                "memory-soft",
                vm.memorySoftMibProperty(),
                AppliedLimits.NO_LIMIT),
            option(
                vm,
                Feature.CGROUP_MEMORY,
                "Swappiness",
                "swappiness",
                vm.swappinessProperty(),
                AppliedLimits.KERNEL_DEFAULT),
            option(
                vm,
                Feature.CGROUP_MEMORY,
                "Kernel MiB",
                "kernel-memory",
                vm.kernelMemoryMibProperty(),
                AppliedLimits.NO_LIMIT),
            check(
                vm,
                Feature.CGROUP_MEMORY,
                "OOM killer off",
                "oom-kill-disable",
                vm.oomKillDisableProperty(),
                "v1 memory.oom_control: at its limit the group waits instead of losing a process"),
            check(
                vm,
                Feature.CGROUP_MEMORY,
                "OOM group",
                "oom-group",
                vm.oomGroupProperty(),
                "v2 memory.oom.group: the OOM killer takes the whole group"));
    TitledPane moreMemory = new TitledPane("More memory controls", memoryBonus);
    moreMemory.setId("more-memory");
    moreMemory.getStyleClass().add("more-controls");
    moreMemory.setAnimated(false);
    moreMemory.expandedProperty().bindBidirectional(vm.moreMemoryProperty());
    moreMemory.visibleProperty().bind(vm.fieldShown(Feature.CGROUP_MEMORY));
    moreMemory.managedProperty().bind(moreMemory.visibleProperty());
    moreMemory.setMaxWidth(Double.MAX_VALUE);
    // What the selected container really got: the fields may have changed since its Run.
    Label applied = new Label();
    applied.setId("applied-limits");
    applied.getStyleClass().addAll("muted", "applied-limits");
    applied.textProperty().bind(vm.appliedProperty());
    applied.visibleProperty().bind(vm.appliedProperty().isNotEmpty());
    applied.managedProperty().bind(applied.visibleProperty());
    oneLineWhenFolded(applied);
    // What the last Try it set (and what the fields held before): the rest is the student's.
    Label tryIt = new Label();
    tryIt.setId("try-it-note");
    tryIt.getStyleClass().addAll("muted", "applied-limits");
    tryIt.textProperty().bind(vm.tryItNoteProperty());
    tryIt.visibleProperty().bind(vm.tryItNoteProperty().isNotEmpty());
    tryIt.managedProperty().bind(tryIt.visibleProperty());
    oneLineWhenFolded(tryIt);
    options.getChildren().addAll(capabilities(vm, "Add caps", "cap-add", vm.capAdd()));
    options.getChildren().addAll(capabilities(vm, "Drop caps", "cap-drop", vm.capDrop()));
    ownFieldsFirst(vm, options);
    Label shell = new Label();
    shell.setId("shell-note");
    shell.getStyleClass().add("shell-note");
    shell.textProperty().bind(vm.shellNoteProperty());
    shell.visibleProperty().bind(vm.shellNoteProperty().isNotEmpty());
    shell.managedProperty().bind(shell.visibleProperty());
    Label validation = new Label();
    validation.setId("run-validation");
    validation.getStyleClass().add("error-text");
    validation.textProperty().bind(vm.validationProperty());
    validation.visibleProperty().bind(vm.validationProperty().isNotEmpty());
    validation.managedProperty().bind(validation.visibleProperty());
    // Folded (presenter mode with a chart on show): the steps and fields give way to one line that
    // says what Run applies, and a button that unfolds them. At level 12 and 1366×768 they took
    // ~250 px and left the chart ~150.
    VBox details = new VBox(line2, options, moreMemory);
    details.getStyleClass().add("run-details");
    // Outside free play the level decides the steps (their toggles only say which): the fields a
    // student may change come first, the steps after them. At level 12 in presenter mode at
    // 1366×768 the settings have ~100 px, and three rows of step toggles left Pids max below them.
    Runnable fieldsFirst =
        () -> {
          List<Node> order =
              vm.freePlayProperty().get()
                  ? List.of(line2, options, moreMemory)
                  : List.of(options, moreMemory, line2);
          if (!order.equals(details.getChildren())) {
            details.getChildren().setAll(order);
          }
        };
    vm.freePlayProperty().addListener((o, a, b) -> fieldsFirst.run());
    fieldsFirst.run();
    // Unfolded (free play, levels 09+ with their fields) the settings scroll within the height the
    // window has for them: in presenter mode at 1366×768 with the guide open they pushed the
    // Image/Command/Run row under the window's header, where Run could not be clicked.
    ScrollPane settings = new SettingsScroll(details);
    settings.setId("run-settings");
    settings.getStyleClass().add("run-settings");
    settings.setFitToWidth(true);
    settings.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
    settings.setVbarPolicy(ScrollPane.ScrollBarPolicy.AS_NEEDED);
    settings.setFocusTraversable(false);
    settings.visibleProperty().bind(compact.not());
    settings.managedProperty().bind(settings.visibleProperty());
    // Its height follows its width (the steps wrap): a new width asks the panel for a new layout.
    settings.widthProperty().addListener((o, a, w) -> root.requestLayout());
    // Squeezed (presenter mode at 1366×768: 64-100 px, two rows of fields) the settings said
    // nothing of the rows below but a thin scroll bar at the window's edge: a line under them says
    // how many more there are and that they scroll, while any are out of sight.
    Label more = new Label("", new FontIcon(Feather.CHEVRONS_DOWN));
    more.setId("run-settings-more");
    more.getStyleClass().addAll("muted", "run-settings-more");
    more.setOnMouseClicked(e -> settings.setVvalue(settings.getVmax()));
    Runnable hint =
        () -> {
          boolean overflows =
              settings.isVisible()
                  && details.getHeight() > settings.getViewportBounds().getHeight() + 1;
          boolean atEnd = settings.getVvalue() >= settings.getVmax() - 0.01;
          more.setText(
              atEnd
                  ? "More settings above: scroll up"
                  : "More settings below: scroll, or click here");
          more.setVisible(overflows);
        };
    more.managedProperty().bind(more.visibleProperty());
    more.setVisible(false);
    details.heightProperty().addListener((o, a, b) -> hint.run());
    settings.viewportBoundsProperty().addListener((o, a, b) -> hint.run());
    settings.vvalueProperty().addListener((o, a, b) -> hint.run());
    settings.visibleProperty().addListener((o, a, b) -> hint.run());
    Label summary = new Label();
    summary.setId("run-summary");
    summary.getStyleClass().addAll("muted", "run-summary");
    summary.textProperty().bind(vm.settingsSummary());
    summary.setMinWidth(0);
    HBox.setHgrow(summary, Priority.ALWAYS);
    summary.setMaxWidth(Double.MAX_VALUE);
    summary.setTooltip(new Tooltip());
    summary.getTooltip().textProperty().bind(summary.textProperty());
    Button unfold = new Button("Settings", new FontIcon(Feather.SLIDERS));
    unfold.setId("run-unfold");
    unfold.getStyleClass().addAll("flat", "run-unfold");
    unfold.setTooltip(new Tooltip("Show the steps and every field"));
    unfold.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    unfold.setFocusTraversable(false);
    unfold.setOnAction(e -> compact.set(false));
    HBox folded = new HBox(8, summary, unfold);
    folded.setId("run-folded");
    folded.setAlignment(Pos.CENTER_LEFT);
    folded.getStyleClass().add("run-line");
    folded.visibleProperty().bind(compact);
    folded.managedProperty().bind(folded.visibleProperty());
    root.getChildren().addAll(line1, shell, folded, settings, more, tryIt, applied, validation);
  }

  public VBox node() {
    return root;
  }

  /**
   * A note under the fields, wrapped in full while the panel is unfolded; folded (presenter mode
   * with a view on show, where every line is a terminal row less) one line, cut at the end, whole
   * on hover. After a Try it at level 09 in presenter mode at 1366×768 with the guide open, the Try
   * it note and the Applied line took two lines each and left the terminal three rows.
   */
  private void oneLineWhenFolded(Label note) {
    note.wrapTextProperty().bind(compact.not());
    note.setMaxWidth(Double.MAX_VALUE);
    note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    Tooltip tip = new Tooltip();
    tip.textProperty().bind(note.textProperty());
    tip.setWrapText(true);
    tip.setMaxWidth(640);
    note.setTooltip(tip);
  }

  /**
   * The most height the window can give the whole panel without pushing its header off the screen
   * or taking the terminal's rows (set by the window); the settings scroll within what is left.
   */
  public void setRoom(DoubleSupplier room) {
    this.room = room;
    root.requestLayout();
  }

  /**
   * The least room the settings keep however short the window: two rows, a scroll bar for the rest.
   */
  private static final double SETTINGS_MIN_HEIGHT = 64;

  /** The height the panel's other rows take at {@code width}, with its spacing and padding. */
  private double othersHeight(double width, Node settings) {
    double h = root.snappedTopInset() + root.snappedBottomInset();
    int shown = 0;
    for (Node n : root.getChildren()) {
      if (n.isManaged()) {
        shown++;
        if (n != settings) {
          h += n.prefHeight(width);
        }
      }
    }
    return h + Math.max(0, shown - 1) * root.getSpacing();
  }

  /**
   * A scroll pane as tall as its content at its width, up to the room the window leaves it: a plain
   * one asks its content's height at the content's preferred width (the steps on one line).
   */
  private final class SettingsScroll extends ScrollPane {
    private final Region content;

    SettingsScroll(Region content) {
      super(content);
      this.content = content;
    }

    @Override
    protected double computePrefHeight(double width) {
      double w = getWidth() > 0 ? getWidth() : width;
      Insets in = getInsets();
      double inner = w > 0 ? w - in.getLeft() - in.getRight() : -1;
      double full = content.prefHeight(inner) + in.getTop() + in.getBottom();
      double left =
          room.getAsDouble() - othersHeight(root.getWidth() > 0 ? root.getWidth() : -1, this);
      return Math.min(full, Math.max(SETTINGS_MIN_HEIGHT, left));
    }

    // Never shrunk below it by the panel's parent: with a least height of two rows it gave way
    // first whenever the terminal and the views wanted more, at 1920×1080 too.
    @Override
    protected double computeMinHeight(double width) {
      return computePrefHeight(width);
    }

    @Override
    protected double computeMaxHeight(double width) {
      return computePrefHeight(width);
    }
  }

  /**
   * Whether the steps and fields are folded into one line of what Run applies (the window folds
   * them for any view brought to the front in presenter mode, and for the glass house in a short
   * window; the Settings button unfolds them).
   */
  public javafx.beans.property.BooleanProperty compactProperty() {
    return compact;
  }

  private static final javafx.css.PseudoClass OWN = javafx.css.PseudoClass.getPseudoClass("own");

  /**
   * The fields of the level's own step first, marked {@code :own} (Pids max at level 12, User at
   * 10, the capabilities at 11): in presenter mode at 1366×768 the settings show two rows and
   * scroll, and level 12's Pids max was out of sight below the older levels' fields.
   */
  private static void ownFieldsFirst(RunViewModel vm, FlowPane options) {
    List<Node> order = List.copyOf(options.getChildren());
    Runnable sort =
        () -> {
          java.util.function.Predicate<Node> own =
              n -> n.getProperties().get(Feature.class) instanceof Feature f && vm.isOwnStep(f);
          List<Node> sorted = new java.util.ArrayList<>(order.stream().filter(own).toList());
          order.stream().filter(own.negate()).forEach(sorted::add);
          // On the option's label or check box, not on the option: toggled on an ancestor of a
          // text field, the field's value kept JavaFX's default black instead of the theme's
          // colour (the fields an earlier level filled: black on the dark theme, the class walk).
          order.forEach(
              n -> {
                boolean mine = own.test(n);
                if (n instanceof Parent p) {
                  for (Node c : p.getChildrenUnmodifiable()) {
                    if (c instanceof Labeled) {
                      c.pseudoClassStateChanged(OWN, mine);
                    }
                  }
                }
              });
          if (!sorted.equals(options.getChildren())) {
            options.getChildren().setAll(sorted);
          }
        };
    vm.levelProperty().addListener((o, a, b) -> sort.run());
    vm.freePlayProperty().addListener((o, a, b) -> sort.run());
    sort.run();
  }

  private static HBox option(
      RunViewModel vm, Feature f, String text, String id, StringProperty p, String prompt) {
    TextField t = field(id, p, prompt);
    t.setPrefColumnCount(7);
    HBox box = new HBox(6, label(text), t);
    box.setAlignment(Pos.CENTER_LEFT);
    box.getStyleClass().add("run-option");
    box.getProperties().put(Feature.class, f);
    box.visibleProperty().bind(vm.fieldShown(f));
    box.managedProperty().bind(box.visibleProperty());
    return box;
  }

  /** Level 07's bonus: a veth pair to the helper's bridge, at level 07 and in free play. */
  private static HBox bridgeOption(RunViewModel vm) {
    HBox box =
        check(
            vm,
            Feature.NET_NS,
            "Bridge",
            "network-bridge",
            vm.bridgeProperty(),
            "A veth pair to the helper's bridge: an address, a route, ip netns <id>");
    box.visibleProperty().unbind();
    box.visibleProperty().bind(vm.bridgeShown());
    return box;
  }

  /** An on/off option of a step, shown when the step is on. */
  private static HBox check(
      RunViewModel vm,
      Feature f,
      String text,
      String id,
      javafx.beans.property.BooleanProperty p,
      String tip) {
    CheckBox c = new CheckBox(text);
    c.setId(id);
    c.setTooltip(new Tooltip(tip));
    c.selectedProperty().bindBidirectional(p);
    HBox box = new HBox(c);
    box.setAlignment(Pos.CENTER_LEFT);
    box.getStyleClass().add("run-option");
    box.getProperties().put(Feature.class, f);
    box.visibleProperty().bind(vm.fieldShown(f));
    box.managedProperty().bind(box.visibleProperty());
    return box;
  }

  /**
   * A capability picker: the kernel's capability names, ticked ones go into the run's {@code
   * capAdd} or {@code capDrop}; shown when the capabilities step is on (level 11, or free play).
   */
  private static HBox capabilities(
      RunViewModel vm, String text, String id, ObservableList<String> target) {
    CheckComboBox<String> box = new CheckComboBox<>(FXCollections.observableArrayList(CAPS));
    box.setId(id);
    box.setTitle("none");
    box.setShowCheckedCount(true);
    box.getCheckModel()
        .getCheckedItems()
        .addListener(
            (ListChangeListener<String>) c -> target.setAll(box.getCheckModel().getCheckedItems()));
    target.addListener(
        (ListChangeListener<String>)
            c -> {
              if (!target.equals(box.getCheckModel().getCheckedItems())) {
                box.getCheckModel().clearChecks();
                target.forEach(box.getCheckModel()::check);
              }
            });
    HBox row = new HBox(6, label(text), box);
    row.setAlignment(Pos.CENTER_LEFT);
    row.getStyleClass().add("run-option");
    row.getProperties().put(Feature.class, Feature.CAPABILITIES);
    row.visibleProperty().bind(vm.fieldShown(Feature.CAPABILITIES));
    row.managedProperty().bind(row.visibleProperty());
    return row;
  }

  /** The capabilities a student is likely to add or drop, in the kernel's order. */
  private static final String[] CAPS = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FOWNER",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_ADMIN",
    "CAP_SYS_TIME",
    "CAP_MKNOD",
    "CAP_AUDIT_WRITE",
    "CAP_SETFCAP"
  };

  private static TextField field(String id, StringProperty p, String prompt) {
    TextField t = new TextField();
    t.setId(id);
    t.setPromptText(prompt);
    t.textProperty().bindBidirectional(p);
    return t;
  }

  private static Label label(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("field-label");
    l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    return l;
  }
}
