package org.glasshouse.app.core;

/**
 * Where the app stands with the helper, with one sentence for the status bar.
 *
 * @param state the state
 * @param detail what happened, in words (the socket path, the refusal, the retry delay)
 * @param socket the socket path tried
 */
public record ConnectionStatus(State state, String detail, String socket) {

  /** Connection states. */
  public enum State {
    /** Trying to reach the helper. */
    CONNECTING,
    /** Hello exchanged; requests flow. */
    CONNECTED,
    /** Nothing answers on the socket (no helper running). */
    UNREACHABLE,
    /** A helper answered but refused us (permissions, protocol version). */
    REFUSED,
    /** Was connected and lost it; reconnecting. */
    LOST
  }

  public boolean connected() {
    return state == State.CONNECTED;
  }
}
