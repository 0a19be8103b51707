package org.glasshouse.helper.server;

/**
 * Who is on the other end of a connection, as {@code SO_PEERCRED} said at accept time: numbers
 * only. The uid is never turned into a name and back (a user called "0" is not root).
 *
 * @param uid the peer's user id
 * @param gid the peer's primary group id
 * @param pid the peer's process id at connect time (for the log)
 */
public record Peer(int uid, int gid, long pid) {
  @Override
  public String toString() {
    return "uid="
        + Integer.toUnsignedString(uid)
        + " gid="
        + Integer.toUnsignedString(gid)
        + " pid="
        + pid;
  }
}
