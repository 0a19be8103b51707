package org.glasshouse.helper.server;

import java.util.Optional;

/**
 * Decides whether a peer may talk to the helper. Allowed: root, the socket's group (as primary
 * group or, by the user database, supplementary), and the uid that started the helper through
 * sudo/pkexec. The socket file's 0660 mode already keeps others from connecting; this check is the
 * second wall, made on credentials the kernel vouches for, before a single byte is read.
 */
public final class PeerAuth {
  private final int socketGid;
  private final Integer invokingUid;
  private final UserDb users;

  /**
   * @param socketGid the socket's group
   * @param invokingUid SUDO_UID / PKEXEC_UID of the helper, or null
   * @param users the user database
   */
  public PeerAuth(int socketGid, Integer invokingUid, UserDb users) {
    this.socketGid = socketGid;
    this.invokingUid = invokingUid;
    this.users = users;
  }

  /** Empty when allowed, else the reason the peer is refused. */
  public Optional<String> refusal(Peer peer) {
    if (peer.uid() == 0) {
      return Optional.empty();
    }
    if (invokingUid != null && peer.uid() == invokingUid) {
      return Optional.empty();
    }
    if (peer.gid() == socketGid || users.groupsOf(peer.uid()).contains(socketGid)) {
      return Optional.empty();
    }
    return Optional.of(
        "uid "
            + Integer.toUnsignedString(peer.uid())
            + " is not root, not in the helper's group (gid "
            + Integer.toUnsignedString(socketGid)
            + ") and did not start the helper");
  }
}
