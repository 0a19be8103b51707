package org.glasshouse.app.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.glasshouse.protocol.Privilege;

/**
 * The status bar's model: the connection state in words, Retry, and the offer to start a helper
 * when none answers.
 */
public final class ConnectionViewModel {
  private final LabService lab;
  private final Executor ui;
  private final Executor io;
  private final HelperStarter starter;
  private final ObjectProperty<ConnectionStatus> status;
  private final StringProperty startMessage = new SimpleStringProperty("");
  private final StringProperty service = new SimpleStringProperty("");
  private final StringProperty access = new SimpleStringProperty("");
  private final StringProperty serviceNote = new SimpleStringProperty("");
  // Set once the app started a helper by itself or found one answering: after either, no start
  // happens unasked.
  private boolean startedUnasked;

  public ConnectionViewModel(LabService lab, Executor ui, Executor io, HelperStarter starter) {
    this.lab = lab;
    this.ui = ui;
    this.io = io;
    this.starter = starter;
    this.status = new SimpleObjectProperty<>(lab.status());
    status.addListener((o, a, b) -> updateNote());
    service.addListener((o, a, b) -> updateNote());
    access.addListener((o, a, b) -> updateNote());
    lab.addListener(
        new LabListener() {
          @Override
          public void onEvent(LabEvent event) {}

          @Override
          public void onConnection(ConnectionStatus s) {
            // On the connection's own thread: these read files and try the socket.
            String svc = s.connected() ? "" : starter.service().orElse("");
            String denied =
                s.connected() ? "" : HelperLocator.accessProblem(starter.socket()).orElse("");
            ui.execute(
                () -> {
                  service.set(svc);
                  access.set(denied);
                  status.set(s);
                  if (s.connected()) {
                    startMessage.set("");
                    // A helper answered: from now on one that goes away was lost, not missing at
                    // launch, and is the status bar's to report (the class walk: a helper stopped
                    // mid-class was replaced within the second, unasked, on the default state dir).
                    startedUnasked = true;
                  } else if (shouldStartUnasked(s, svc, denied)) {
                    startedUnasked = true;
                    startHelper();
                  }
                });
          }
        });
  }

  /**
   * The README's promise, "the app starts it for you": as root (no password to ask for) the first
   * time no helper answers, once; a helper that dies later is not restarted behind the user's back
   * (the status bar says so and offers Start). Never where a service owns the socket or the socket
   * is out of this user's reach.
   */
  private boolean shouldStartUnasked(ConnectionStatus s, String svc, String denied) {
    return !startedUnasked
        && starter.startsByItself()
        && s.state() == ConnectionStatus.State.UNREACHABLE
        && svc.isEmpty()
        && denied.isEmpty();
  }

  public ReadOnlyObjectProperty<ConnectionStatus> statusProperty() {
    return status;
  }

  /** True while there is no usable helper: the banner with Retry and Start shows. */
  public BooleanBinding offline() {
    return Bindings.createBooleanBinding(
        () ->
            status.get() != null
                && !status.get().connected()
                && status.get().state() != ConnectionStatus.State.CONNECTING,
        status);
  }

  /**
   * True while no helper answers and the app may start one: never where the package's service is
   * installed (it is the helper; the app only connects), nor where a helper answers already.
   */
  public BooleanBinding canStart() {
    return Bindings.createBooleanBinding(
        () -> offline().get() && service.get().isEmpty(), status, service);
  }

  /**
   * Why the app offers no Start while offline, in words (the installed service; a socket this user
   * may not use, with what to do about it), or empty.
   */
  public ReadOnlyStringProperty serviceNoteProperty() {
    return serviceNote;
  }

  private void updateNote() {
    boolean offline = offline().get();
    String note = "";
    if (offline && !access.get().isEmpty()) {
      note = access.get();
    } else if (offline) {
      note = service.get();
    }
    serviceNote.set(note);
  }

  /** What starting the helper did, or why it could not. */
  public ReadOnlyStringProperty startMessageProperty() {
    return startMessage;
  }

  /** The explanation shown before starting a helper. */
  public String startExplanation() {
    return "Glasshouse needs its helper: a small program that runs as root and makes the real "
        + "namespaces, mounts and cgroups of your containers. The app itself never runs as root.\n\n"
        + (Privilege.runningAsRoot()
            ? "You are root, so it starts directly:\n"
            : "It will ask for your password to run:\n")
        + String.join(" ", starter.command())
        + "\n\nIts output goes to "
        + starter.logFile()
        + ".";
  }

  public void retry() {
    lab.retryNow();
  }

  /** Starts a helper in the background and retries at once. */
  public CompletableFuture<Void> startHelper() {
    startMessage.set(
        starter.startsByItself()
            ? "No helper was running: starting one as root (" + starter.logFile() + ")…"
            : "Starting the helper…");
    return CompletableFuture.runAsync(
            () -> {
              try {
                starter.start();
              } catch (java.io.IOException e) {
                throw new LabException(
                    "start_failed",
                    "could not start the helper ("
                        + String.join(" ", starter.command())
                        + "): "
                        + e.getMessage());
              }
            },
            io)
        .whenCompleteAsync(
            (r, t) -> {
              // The automatic retry may have connected already: then there is nothing to say.
              boolean connected = status.get() != null && status.get().connected();
              startMessage.set(
                  t != null
                      ? LabException.describe(t)
                      : connected
                          ? ""
                          : "Helper started; connecting (its log: " + starter.logFile() + ")");
              lab.retryNow();
            },
            ui);
  }
}
