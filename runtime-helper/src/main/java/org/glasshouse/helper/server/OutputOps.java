package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.ProtocolException;
import org.glasshouse.protocol.Request;
import org.glasshouse.protocol.Topic;

/** The output ops: {@code logs} (a container's log, then optionally following it) and credit. */
final class OutputOps {

  private static final Set<Topic> FOLLOW_TOPICS = EnumSet.of(Topic.OUTPUT, Topic.LIFECYCLE);

  private final HelperServer server;

  OutputOps(HelperServer server) {
    this.server = server;
  }

  void registerAll() {
    server.register(Op.LOGS, this::logs);
    server.register(Op.CREDIT, this::credit);
  }

  /**
   * Safe: read-only; sends only what the container wrote, at most its log's bound, and a follow is
   * an ordinary subscription (bounded per connection).
   */
  private JsonNode logs(RequestContext ctx, Request req) throws ProtocolException {
    Container c = existing(req);
    ContainerTable.Entry entry = server.entry(c.id());
    if (entry == null) {
      throw new ProtocolException(ErrorCode.NOT_FOUND, "no container " + c.id(), req.id());
    }
    boolean follow = req.bool("follow", false);
    Session session = (Session) ctx;
    long bytes = 0;
    long skipped;
    Long subscription = null;
    // Under the log's monitor no chunk is appended or handed to followers: the snapshot and the
    // subscription meet without a byte missing or repeated between them.
    synchronized (entry.log) {
      List<OutputLog.Chunk> chunks = entry.log.snapshot(Bounds.OUTPUT_CHUNK_BYTES);
      skipped = entry.log.dropped();
      for (OutputLog.Chunk ch : chunks) {
        session.sendAnswer(
            OutputLines.line(c.id(), ch.stream(), ch.data(), 0, ch.data().length, 0));
        bytes += ch.data().length;
      }
      if (follow && !entry.log.ended()) {
        subscription = ctx.subscribe(Set.of(c.id()), FOLLOW_TOPICS, 1000);
      }
    }
    ObjectNode r = Json.object().put("container", c.id()).put("bytes", bytes);
    r.put("skipped", skipped);
    if (subscription == null) {
      r.putNull("subscription");
    } else {
      r.put("subscription", subscription);
    }
    return r;
  }

  /**
   * Safe: only widens this connection's own window for a container that exists, never beyond {@link
   * Bounds#MAX_WINDOW_BYTES}; the connection's output stays bounded by {@link
   * Bounds#CONNECTION_OUTPUT_BYTES} whatever the windows.
   */
  private JsonNode credit(RequestContext ctx, Request req) throws ProtocolException {
    Session session = (Session) ctx;
    if (!session.creditFlow()) {
      throw ProtocolException.badField(
          req.id(),
          "op",
          "'credit' needs a connection in credit flow (hello with \"flow\":\"credit\")");
    }
    long bytes = req.integer("bytes", 1, Bounds.MAX_WINDOW_BYTES);
    Container c = existing(req);
    return Json.object().put("windowBytes", session.credit(c.id(), bytes));
  }

  private Container existing(Request req) throws ProtocolException {
    String idOrName = Validation.container(req.id(), "container", req.string("container"));
    return server
        .runtime()
        .find(idOrName)
        .filter(c -> c.state() != Container.State.REMOVED)
        .orElseThrow(
            () -> new ProtocolException(ErrorCode.NOT_FOUND, "no container " + idOrName, req.id()));
  }
}
