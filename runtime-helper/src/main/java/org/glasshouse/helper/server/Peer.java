package org.glasshouse.helper.server;

/**
 * Who is on the other end of a connection, as {@code SO_PEERCRED} said at accept time.
 *
 * @param uid the peer's user id
 * @param gid the peer's primary group id
 * @param user the user's name (the uid in decimal when it has none)
 */
public record Peer(int uid, int gid, String user) {
  @Override
  public String toString() {
    return "uid=" + uid + "(" + user + ") gid=" + gid;
  }
}
