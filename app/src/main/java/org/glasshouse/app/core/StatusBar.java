package org.glasshouse.app.core;

import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The status bar: the connection state (a dot with {@code :connected}, {@code :connecting} or
 * {@code :offline}, and a sentence), the last error, and — while no helper answers — Retry and
 * Start helper (Start only where no installed service owns the socket; the service note instead).
 */
public final class StatusBar {
  private static final PseudoClass CONNECTED = PseudoClass.getPseudoClass("connected");
  private static final PseudoClass CONNECTING = PseudoClass.getPseudoClass("connecting");
  private static final PseudoClass OFFLINE = PseudoClass.getPseudoClass("offline");
  private final HBox root = new HBox();

  public StatusBar(ConnectionViewModel vm, ObservableStringValue error) {
    root.getStyleClass().add("status-bar");
    root.setAlignment(Pos.CENTER_LEFT);
    Region dot = new Region();
    dot.getStyleClass().add("status-dot");
    Label state = new Label();
    state.setId("connection");
    state.getStyleClass().add("connection-text");
    state
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () -> text(vm.statusProperty().get()), vm.statusProperty()));
    vm.statusProperty()
        .addListener(
            (o, a, s) -> {
              mark(dot, s);
              mark(root, s);
            });
    mark(dot, vm.statusProperty().get());
    mark(root, vm.statusProperty().get());
    // The connection state is what a presenter must always be able to read: it keeps its width,
    // and a long error beside it gives way instead (cut to "…", the whole of it on hover).
    state.setMinWidth(Region.USE_PREF_SIZE);
    Label err = new Label();
    err.setId("error");
    err.getStyleClass().add("error-text");
    err.textProperty().bind(error);
    err.setMinWidth(0);
    HBox.setHgrow(err, Priority.ALWAYS);
    err.setMaxWidth(Double.MAX_VALUE);
    Tooltip whole = new Tooltip();
    whole.textProperty().bind(error);
    whole.setWrapText(true);
    whole.setMaxWidth(720);
    err.tooltipProperty()
        .bind(Bindings.when(Bindings.isEmpty(error)).then((Tooltip) null).otherwise(whole));
    Label started = new Label();
    started.getStyleClass().add("muted");
    started.textProperty().bind(vm.startMessageProperty());
    started.setMinWidth(0);
    Label note = new Label();
    note.setId("service-note");
    note.getStyleClass().add("muted");
    note.textProperty().bind(vm.serviceNoteProperty());
    note.visibleProperty().bind(vm.serviceNoteProperty().isNotEmpty());
    note.managedProperty().bind(note.visibleProperty());
    note.setMinWidth(0);
    Tooltip why = new Tooltip();
    why.textProperty().bind(vm.serviceNoteProperty());
    note.setTooltip(why);
    Button retry = new Button("Retry", new FontIcon(Feather.REFRESH_CW));
    retry.setId("retry");
    retry.setOnAction(e -> vm.retry());
    Button start = new Button("Start helper…", new FontIcon(Feather.POWER));
    start.setId("start-helper");
    start.getStyleClass().add("accent");
    start.setOnAction(e -> confirmStart(vm));
    retry.visibleProperty().bind(vm.offline());
    // Where the package's service is installed the app never starts a helper of its own.
    start.visibleProperty().bind(vm.canStart());
    for (Button b : new Button[] {retry, start}) {
      b.managedProperty().bind(b.visibleProperty());
      b.getStyleClass().add("small");
      // The sentences give way, the buttons never shrink to "…".
      b.setMinWidth(Region.USE_PREF_SIZE);
    }
    root.getChildren().addAll(dot, state, err, started, note, retry, start);
  }

  public HBox node() {
    return root;
  }

  private static void confirmStart(ConnectionViewModel vm) {
    Alert a =
        new Alert(
            Alert.AlertType.CONFIRMATION, vm.startExplanation(), ButtonType.OK, ButtonType.CANCEL);
    a.setTitle("Start the Glasshouse helper");
    a.setHeaderText("No helper is running. Start one?");
    Optional<ButtonType> r = a.showAndWait();
    if (r.isPresent() && r.get() == ButtonType.OK) {
      vm.startHelper();
    }
  }

  private static String text(ConnectionStatus s) {
    if (s == null) {
      return "";
    }
    return switch (s.state()) {
      case CONNECTED -> s.detail();
      case CONNECTING -> "Connecting to the helper on " + s.socket() + "…";
      case UNREACHABLE -> "Offline: " + s.detail() + ". Retrying by itself.";
      case REFUSED -> "Refused: " + s.detail();
      case LOST -> "Helper lost: " + s.detail() + ". Reconnecting…";
    };
  }

  private static void mark(javafx.scene.Node n, ConnectionStatus s) {
    boolean connected = s != null && s.connected();
    boolean connecting =
        s != null
            && (s.state() == ConnectionStatus.State.CONNECTING
                || s.state() == ConnectionStatus.State.LOST);
    n.pseudoClassStateChanged(CONNECTED, connected);
    n.pseudoClassStateChanged(CONNECTING, connecting);
    n.pseudoClassStateChanged(OFFLINE, !connected && !connecting);
  }
}
