package org.glasshouse.app.core;

/** Receives helper events and connection changes, on a background thread. */
public interface LabListener {
  void onEvent(LabEvent event);

  void onConnection(ConnectionStatus status);
}
