package org.glasshouse.helper.server;

import java.nio.file.Path;

/**
 * How the helper's server is set up.
 *
 * @param socket the socket path; its directory is created 0750
 * @param groupGid the group that owns the socket directory and the socket (0660)
 * @param invokingUid the uid that started the helper through sudo/pkexec, or null
 * @param cgroupRoot the cgroup filesystem root ({@code /sys/fs/cgroup}), read for {@code hello}
 * @param outboxBytes the bound of each connection's outgoing queue
 * @param maxConnections how many connections may be open at once
 */
public record ServerConfig(
    Path socket,
    int groupGid,
    Integer invokingUid,
    Path cgroupRoot,
    long outboxBytes,
    int maxConnections) {

  /** The default per-connection queue of replies and events ({@link Bounds#QUEUE_BYTES}). */
  public static final long DEFAULT_OUTBOX_BYTES = Bounds.QUEUE_BYTES;

  /** The default bound on connections ({@link Bounds#MAX_CONNECTIONS}). */
  public static final int DEFAULT_MAX_CONNECTIONS = Bounds.MAX_CONNECTIONS;

  /** The same with {@link #DEFAULT_MAX_CONNECTIONS} (the signature before the bound existed). */
  public ServerConfig(
      Path socket, int groupGid, Integer invokingUid, Path cgroupRoot, long outboxBytes) {
    this(socket, groupGid, invokingUid, cgroupRoot, outboxBytes, DEFAULT_MAX_CONNECTIONS);
  }

  /** The default socket: {@code GLASSHOUSE_SOCKET} or {@code /run/glasshouse/helper.sock}. */
  public static Path defaultSocket() {
    String env = System.getenv("GLASSHOUSE_SOCKET");
    return Path.of(env == null || env.isBlank() ? "/run/glasshouse/helper.sock" : env);
  }
}
