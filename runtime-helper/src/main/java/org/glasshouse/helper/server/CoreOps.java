package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.ProtocolException;
import org.glasshouse.protocol.Request;
import org.glasshouse.protocol.Topic;

/** The connection-level ops: hello, images, subscribe, unsubscribe. */
final class CoreOps {

  /** The helper's version string in {@code hello}. */
  static final String SERVER = "glasshouse-helper/0.1.0";

  private static final int MAX_SUBSCRIBE_IDS = 1024;

  /** hello's flow modes (PROTOCOL.md, "Output and flow control"). */
  static final String FLOW_SOCKET = "socket";

  static final String FLOW_CREDIT = "credit";

  private final HelperServer server;

  CoreOps(HelperServer server) {
    this.server = server;
  }

  void registerAll() {
    server.register(Op.HELLO, this::hello);
    server.register(Op.IMAGES, this::images);
    server.register(Op.SUBSCRIBE, this::subscribe);
    server.register(Op.UNSUBSCRIBE, this::unsubscribe);
  }

  /** Safe: read-only; tells the peer only facts about itself and the helper. */
  private JsonNode hello(RequestContext ctx, Request req) throws ProtocolException {
    JsonNode v = req.body().get("version");
    if (v == null || v.isNull()) {
      throw ProtocolException.badField(req.id(), "version", "is required (this helper speaks 1)");
    }
    if (!v.isIntegralNumber()) {
      throw ProtocolException.badField(req.id(), "version", "must be an integer");
    }
    if (v.asLong() != Messages.VERSION) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_VERSION,
          "protocol version " + v.asText() + " is not supported; this helper speaks 1",
          req.id());
    }
    Optional<String> client = req.optString("client");
    if (client.isPresent() && client.get().length() > 64) {
      throw ProtocolException.badField(req.id(), "client", "must be at most 64 characters");
    }
    Optional<String> flow = req.optString("flow");
    if (flow.isPresent() && !flow.get().equals(FLOW_SOCKET) && !flow.get().equals(FLOW_CREDIT)) {
      throw ProtocolException.badField(req.id(), "flow", "must be 'socket' or 'credit'");
    }
    Session session = (Session) ctx;
    // A later hello without "flow" keeps the connection's mode; one naming another is refused.
    if (!session.flow(flow.map(FLOW_CREDIT::equals).orElse(null))) {
      throw ProtocolException.badField(
          req.id(), "flow", "was chosen by this connection's first hello and cannot change");
    }
    ObjectNode r = Json.object().put("version", Messages.VERSION).put("server", SERVER);
    ArrayNode ops = r.putArray("ops");
    Set<Op> served = server.served();
    for (Op op : Op.values()) {
      if (served.contains(op)) {
        ops.add(op.wireName());
      }
    }
    r.putObject("cgroup").put("mode", server.runtime().cgroupMode());
    r.put("uid", ctx.peer().uid());
    r.put("flow", session.creditFlow() ? FLOW_CREDIT : FLOW_SOCKET);
    r.put("windowBytes", Bounds.WINDOW_BYTES);
    return r;
  }

  /** Safe: read-only listing of the images directory the helper was configured with. */
  private JsonNode images(RequestContext ctx, Request req) throws ProtocolException {
    try {
      return Json.object().set("images", Json.tree(server.images().list()));
    } catch (IOException e) {
      throw new ProtocolException(
          ErrorCode.INTERNAL, "cannot list the images: " + e.getMessage(), req.id());
    }
  }

  /**
   * Safe: a subscription only copies events to this connection; ids are checked to exist, and the
   * number of ids is bounded.
   */
  private JsonNode subscribe(RequestContext ctx, Request req) throws ProtocolException {
    Set<String> containers = null;
    Optional<List<String>> ids = req.optStrings("containers", MAX_SUBSCRIBE_IDS);
    if (ids.isPresent()) {
      containers = new HashSet<>();
      for (int i = 0; i < ids.get().size(); i++) {
        String f = "containers[" + i + "]";
        if (EventHub.HOST.equals(ids.get().get(i))) {
          // The host's own mount table: read-only, the same table `mounts host` answers.
          containers.add(EventHub.HOST);
          continue;
        }
        String idOrName = Validation.container(req.id(), f, ids.get().get(i));
        Container c =
            server
                .runtime()
                .find(idOrName)
                .orElseThrow(
                    () ->
                        new ProtocolException(
                            ErrorCode.NOT_FOUND, "no container " + idOrName, req.id()));
        containers.add(c.id());
      }
    }
    Set<Topic> served = server.events().served();
    Set<Topic> topics = EnumSet.noneOf(Topic.class);
    Optional<List<String>> names = req.optStrings("topics", Topic.values().length);
    if (names.isEmpty()) {
      topics.addAll(served);
    } else {
      for (int i = 0; i < names.get().size(); i++) {
        String name = names.get().get(i);
        Topic t =
            Topic.fromWireName(name)
                .orElseThrow(
                    () ->
                        ProtocolException.badField(
                            req.id(), "topics", "names an unknown topic '" + name + "'"));
        if (!served.contains(t)) {
          throw ProtocolException.badField(
              req.id(), "topics", "names '" + name + "', which this helper does not serve yet");
        }
        topics.add(t);
      }
    }
    if (containers != null
        && containers.contains(EventHub.HOST)
        && !EnumSet.of(Topic.MOUNTS).containsAll(topics)) {
      throw ProtocolException.badField(
          req.id(), "containers", "names \"host\", which has only the mounts topic");
    }
    int interval = req.has("intervalMs") ? (int) req.integer("intervalMs", 100, 60_000) : 1000;
    long n = ctx.subscribe(containers, topics, interval);
    return Json.object().put("subscription", n);
  }

  /** Safe: only this connection's own subscriptions can be ended. */
  private JsonNode unsubscribe(RequestContext ctx, Request req) throws ProtocolException {
    long n = req.integer("subscription", 1, Long.MAX_VALUE);
    if (!((Session) ctx).unsubscribe(n)) {
      throw new ProtocolException(
          ErrorCode.NOT_FOUND, "this connection has no subscription " + n, req.id());
    }
    return Json.object();
  }
}
