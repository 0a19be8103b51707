package org.glasshouse.helper.server;

import java.util.Set;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.protocol.ProtocolException;
import org.glasshouse.protocol.Topic;

/** What an {@link OpHandler} may use: who asked, the runtime, and the connection's events. */
public interface RequestContext {

  /** The authenticated peer. */
  Peer peer();

  /** The container runtime. */
  ContainerRuntime runtime();

  /** The event hub (publish, or ask who watches what). */
  EventHub events();

  /**
   * Subscribes this connection.
   *
   * @param containers container ids, or null for all
   * @return the subscription number
   * @throws ProtocolException {@code limit} when the connection holds the most subscriptions
   *     already
   */
  long subscribe(Set<String> containers, Set<Topic> topics, int intervalMs)
      throws ProtocolException;
}
