package org.glasshouse.helper.server;

import java.nio.file.Path;

/**
 * How the helper's server is set up.
 *
 * @param socket the socket path; its directory is created 0750
 * @param groupGid the group that owns the socket directory and the socket (0660)
 * @param invokingUid the uid that started the helper through sudo/pkexec, or null
 * @param outboxBytes the bound of each connection's queue of replies and events
 * @param maxConnections how many connections may be open at once; half of them per uid, an eighth
 *     kept for root
 * @param helloTimeoutMillis how long a connection may take to complete {@code hello}
 * @param idleTimeoutMillis how long a connection that waits for nothing may send no request
 */
public record ServerConfig(
    Path socket,
    int groupGid,
    Integer invokingUid,
    long outboxBytes,
    int maxConnections,
    long helloTimeoutMillis,
    long idleTimeoutMillis) {

  /** The default per-connection queue of replies and events ({@link Bounds#QUEUE_BYTES}). */
  public static final long DEFAULT_OUTBOX_BYTES = Bounds.QUEUE_BYTES;

  /** The default bound on connections ({@link Bounds#MAX_CONNECTIONS}). */
  public static final int DEFAULT_MAX_CONNECTIONS = Bounds.MAX_CONNECTIONS;

  /**
   * The documented timeouts ({@link Bounds#HELLO_TIMEOUT_MILLIS}, {@link
   * Bounds#IDLE_TIMEOUT_MILLIS}).
   */
  public ServerConfig(
      Path socket, int groupGid, Integer invokingUid, long outboxBytes, int maxConnections) {
    this(
        socket,
        groupGid,
        invokingUid,
        outboxBytes,
        maxConnections,
        Bounds.HELLO_TIMEOUT_MILLIS,
        Bounds.IDLE_TIMEOUT_MILLIS);
  }

  /** The same with {@link #DEFAULT_MAX_CONNECTIONS} (the signature before the bound existed). */
  public ServerConfig(Path socket, int groupGid, Integer invokingUid, long outboxBytes) {
    this(socket, groupGid, invokingUid, outboxBytes, DEFAULT_MAX_CONNECTIONS);
  }

  /** The same with other timeouts (tests). */
  public ServerConfig withTimeouts(long helloMillis, long idleMillis) {
    return new ServerConfig(
        socket, groupGid, invokingUid, outboxBytes, maxConnections, helloMillis, idleMillis);
  }

  /** Connections one uid other than root may hold: half the limit. */
  public int maxConnectionsPerUid() {
    return Math.max(1, maxConnections / 2);
  }

  /** Connections only root may take: an eighth of the limit. */
  public int rootReservedConnections() {
    return Math.max(1, maxConnections / 8);
  }

  /** The default socket: {@code GLASSHOUSE_SOCKET} or {@code /run/glasshouse/helper.sock}. */
  public static Path defaultSocket() {
    String env = System.getenv("GLASSHOUSE_SOCKET");
    return Path.of(env == null || env.isBlank() ? "/run/glasshouse/helper.sock" : env);
  }
}
