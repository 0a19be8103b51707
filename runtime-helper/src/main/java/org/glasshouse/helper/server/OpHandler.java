package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.glasshouse.protocol.ProtocolException;
import org.glasshouse.protocol.Request;

/**
 * Serves one op. Registered with {@link HelperServer#register}; the inspection module plugs {@code
 * inspect}, {@code mounts} and {@code stats} in this way. Called on the connection's reader thread,
 * one request at a time per connection; must be thread-safe across connections.
 *
 * <p>Every implementation states, in a comment, why doing its op as root is safe for the peer that
 * asks (the peer is already authenticated: see {@link PeerAuth}).
 */
@FunctionalInterface
public interface OpHandler {

  /**
   * @return the reply's {@code result} object
   * @throws ProtocolException answered as {@code ok:false} with its code and message
   */
  JsonNode handle(RequestContext context, Request request) throws ProtocolException;
}
