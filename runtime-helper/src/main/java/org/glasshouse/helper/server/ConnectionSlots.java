package org.glasshouse.helper.server;

import java.util.HashMap;
import java.util.Map;

/**
 * Who holds the helper's connections: at most {@link ServerConfig#maxConnections()} in all, at most
 * {@link ServerConfig#maxConnectionsPerUid()} for one uid other than root, and the last {@link
 * ServerConfig#rootReservedConnections()} only for root — so no user, however many connections it
 * opens, locks root (or the other users) out. Decided on the accept thread from the kernel's uid,
 * before any thread is started or any lookup made for the connection.
 */
final class ConnectionSlots {

  private final ServerConfig config;
  private final Map<Integer, Integer> byUid = new HashMap<>();
  private int total;

  ConnectionSlots(ServerConfig config) {
    this.config = config;
  }

  /** Takes a slot for the peer; null when it got one, else the limit it hits, as a sentence. */
  synchronized String admit(Peer peer) {
    int max = config.maxConnections();
    if (total >= max) {
      return "the helper serves " + max + " connections already (its limit)";
    }
    if (peer.uid() != 0) {
      int reserved = config.rootReservedConnections();
      if (total >= max - reserved) {
        return "the helper keeps its last "
            + reserved
            + " of "
            + max
            + " connections for root, and the others are taken";
      }
      int mine = byUid.getOrDefault(peer.uid(), 0);
      if (mine >= config.maxConnectionsPerUid()) {
        return "uid "
            + Integer.toUnsignedString(peer.uid())
            + " has "
            + mine
            + " connections open already (the limit per user)";
      }
    }
    byUid.merge(peer.uid(), 1, Integer::sum);
    total++;
    return null;
  }

  /** A connection of the peer ended: its slot is free again. Once per admitted connection. */
  synchronized void release(Peer peer) {
    total--;
    byUid.computeIfPresent(peer.uid(), (k, v) -> v == 1 ? null : v - 1);
  }
}
