package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.ExitStatus;
import org.glasshouse.helper.runtime.StartFailedException;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.ProtocolException;
import org.glasshouse.protocol.Request;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.Topic;

/**
 * The container ops: run, exec, stdin, resize, signal, remove, ps, steps.
 *
 * <p>Why these are safe to do as root for an authenticated peer: the peer is root, in the helper's
 * group or the user who started it — by design root-equivalent, like the docker group (level 00
 * runs its command on the host). What the checks below guarantee is that no request, however
 * malformed, makes the helper misbehave: every value is validated before the runtime sees it,
 * container ids are the helper's own random ones, images are names (never paths), and a failure
 * becomes an error reply, never a dead helper.
 */
final class ContainerOps {

  private static final Set<Topic> ATTACH_TOPICS =
      EnumSet.of(Topic.LIFECYCLE, Topic.OUTPUT, Topic.STEPS);

  /**
   * An attached run or exec with {@code "steps":false}: a client that shows no step (the command
   * line) is not sent the ~130 step events of a start, each encoded on the start's thread and
   * parsed by a client that drops it (issue 16: ~3 ms of a warm start at level 12).
   */
  private static final Set<Topic> ATTACH_TOPICS_NO_STEPS =
      EnumSet.of(Topic.LIFECYCLE, Topic.OUTPUT);

  private static final int MAX_STDIN_BYTES = 512 * 1024;

  private final HelperServer server;

  ContainerOps(HelperServer server) {
    this.server = server;
  }

  void registerAll() {
    server.register(Op.RUN, this::run);
    server.register(Op.EXEC, this::exec);
    server.register(Op.STDIN, this::stdin);
    server.register(Op.RESIZE, this::resize);
    server.register(Op.SIGNAL, this::signal);
    server.register(Op.REMOVE, this::remove);
    server.register(Op.PS, this::ps);
    server.register(Op.STEPS, this::steps);
  }

  /**
   * Safe: the spec is fully validated (argv, env, paths, limits, names), the id is the helper's
   * own, and a name can only be taken once.
   */
  private JsonNode run(RequestContext ctx, Request req) throws ProtocolException {
    RunSpec spec = Validation.spec(req.id(), req.typed("spec", RunSpec.class), false);
    boolean attach = req.bool("attach", false);
    Set<Topic> topics = attachTopics(req);
    String id = newId();
    ContainerTable.Entry entry = create(req, id);
    if (spec.name() == null) {
      // Unnamed: the helper names it (ps, rm, exec and the app can then use the name).
      spec = spec.withName(Names.pick(id, n -> !nameFree(n, id)));
    } else if (!nameFree(spec.name(), id)) {
      server.table().forget(id);
      throw new ProtocolException(
          ErrorCode.CONFLICT, "the name '" + spec.name() + "' is already in use", req.id());
    }
    Session holder = attach ? (Session) ctx : null;
    if (holder != null) {
      // Subscribe before the first step runs, so the client sees every step entry.
      holder.attach(id, topics);
    }
    try {
      Container c =
          server
              .runtime()
              .start(id, spec, new Relay(server.events(), entry, server::exited, holder));
      return Json.object().put("container", c.id()).put("pid", c.hostPid());
    } catch (StartFailedException e) {
      server.startFailed(id);
      throw new ProtocolException(
          ErrorCode.STEP_FAILED, e.getMessage(), req.id(), e.failedStep(), id);
    } catch (RuntimeException e) {
      server.startFailed(id);
      throw e;
    }
  }

  /** What an attached run or exec subscribes its connection to: {@code steps} too unless false. */
  private static Set<Topic> attachTopics(Request req) throws ProtocolException {
    return req.bool("steps", true) ? ATTACH_TOPICS : ATTACH_TOPICS_NO_STEPS;
  }

  /** Reserves {@code name} for {@code id}; false when a container has it or is taking it. */
  private boolean nameFree(String name, String id) {
    return server.runtime().find(name).isEmpty() && server.table().reserve(name, id);
  }

  /** Safe: as run; the target must be a running container the runtime knows. */
  private JsonNode exec(RequestContext ctx, Request req) throws ProtocolException {
    Container target = running(req, container(req));
    RunSpec spec = Validation.spec(req.id(), req.typed("spec", RunSpec.class), true);
    boolean attach = req.bool("attach", false);
    Set<Topic> topics = attachTopics(req);
    String execId = newId();
    ContainerTable.Entry entry = create(req, execId);
    // ps lists it under its container, not as one.
    entry.execOf = target.id();
    Session holder = attach ? (Session) ctx : null;
    if (holder != null) {
      holder.attach(execId, topics);
    }
    try {
      Container c =
          server
              .runtime()
              .exec(
                  target.id(),
                  execId,
                  spec,
                  new Relay(server.events(), entry, server::execExited, holder));
      return Json.object().put("container", c.id()).put("pid", c.hostPid());
    } catch (StartFailedException e) {
      server.startFailed(execId);
      throw new ProtocolException(
          ErrorCode.STEP_FAILED, e.getMessage(), req.id(), e.failedStep(), execId);
    } catch (RuntimeException e) {
      server.startFailed(execId);
      throw e;
    }
  }

  /** The table entry of a new container, within {@link Bounds#MAX_CONTAINERS}. */
  private ContainerTable.Entry create(Request req, String id) throws ProtocolException {
    ContainerTable.Entry e = server.table().create(id);
    if (e == null) {
      throw new ProtocolException(
          ErrorCode.LIMIT,
          "the helper holds "
              + Bounds.MAX_CONTAINERS
              + " containers already (running or exited); remove some first (glasshouse rm)",
          req.id());
    }
    return e;
  }

  /** Safe: bytes go only to the stdin of a process the helper started; the size is bounded. */
  private JsonNode stdin(RequestContext ctx, Request req) throws ProtocolException {
    Container c = running(req, container(req));
    if (req.bool("eof", false)) {
      c.closeStdin();
      return Json.object();
    }
    byte[] data = req.base64("data");
    if (data.length > MAX_STDIN_BYTES) {
      throw ProtocolException.badField(req.id(), "data", "decodes to more than 512 KiB");
    }
    if (!c.writeStdin(data)) {
      // Refused rather than waited for: this connection's other requests must not stall behind a
      // container that does not read.
      throw new ProtocolException(
          ErrorCode.LIMIT,
          "container "
              + c.id()
              + " is not reading its stdin fast enough ("
              + (Bounds.STDIN_BYTES >> 10)
              + " KiB are waiting); send it again later",
          req.id());
    }
    return Json.object();
  }

  /** Safe: only the window size of a pty the helper made, within 1..1000. */
  private JsonNode resize(RequestContext ctx, Request req) throws ProtocolException {
    Container c = running(req, container(req));
    int cols = (int) req.integer("cols", 1, Validation.MAX_TTY);
    int rows = (int) req.integer("rows", 1, Validation.MAX_TTY);
    c.resize(cols, rows);
    return Json.object();
  }

  /**
   * Safe: the signal goes only to a container's own first process (the runtime holds its pid, never
   * a client), and only while it runs, so a recycled pid is never hit.
   */
  private JsonNode signal(RequestContext ctx, Request req) throws ProtocolException {
    Container c = running(req, container(req));
    int signo = Validation.signal(req.id(), req.body().get("signal"));
    c.signal(signo);
    return Json.object();
  }

  /** Safe: removes only what the runtime made for that container. */
  private JsonNode remove(RequestContext ctx, Request req) throws ProtocolException {
    Container c = find(req, container(req));
    boolean force = req.bool("force", false);
    if (!force && c.state() == Container.State.RUNNING) {
      throw new ProtocolException(
          ErrorCode.CONFLICT,
          "container " + c.id() + " is running; stop it first or remove it with force",
          req.id());
    }
    try {
      server.removeAndAnnounce(c.id(), force);
    } catch (NoSuchElementException e) {
      throw new ProtocolException(ErrorCode.NOT_FOUND, "no container " + c.id(), req.id());
    } catch (IllegalStateException e) {
      // Started running in between (not forced), or the runtime could not undo everything.
      throw new ProtocolException(ErrorCode.CONFLICT, e.getMessage(), req.id());
    }
    return Json.object();
  }

  /** When {@code c} was created, by the table; {@link Instant#MIN} (listed last) when unknown. */
  private Instant createdAt(Container c) {
    ContainerTable.Entry t = server.table().entry(c.id());
    return t == null ? Instant.MIN : t.createdAt;
  }

  /** Safe: read-only. */
  private JsonNode ps(RequestContext ctx, Request req) throws ProtocolException {
    boolean all = req.bool("all", false);
    Map<String, ArrayNode> execs = new HashMap<>();
    List<Container> containers = new ArrayList<>();
    for (Container c : server.runtime().list()) {
      Container.State state = c.state();
      if (state == Container.State.REMOVED || (!all && state == Container.State.EXITED)) {
        continue;
      }
      ContainerTable.Entry t = server.table().entry(c.id());
      if (t != null && t.execOf != null) {
        execs.computeIfAbsent(t.execOf, k -> Json.array()).add(describe(c, state));
      } else {
        containers.add(c);
      }
    }
    // Newest first, as docker ps lists them: the container just started is the first row.
    containers.sort(Comparator.comparing(this::createdAt, Comparator.reverseOrder()));
    ArrayNode list = Json.array();
    for (Container c : containers) {
      ObjectNode o = describe(c, c.state());
      o.set("execs", execs.getOrDefault(c.id(), Json.array()));
      list.add(o);
    }
    return Json.object().set("containers", list);
  }

  /** Safe: read-only. */
  private JsonNode steps(RequestContext ctx, Request req) throws ProtocolException {
    Container c = find(req, container(req));
    return Json.object().set("steps", Json.tree(c.steps()));
  }

  private ObjectNode describe(Container c, Container.State state) {
    RunSpec s = c.spec();
    ObjectNode o = Json.object();
    o.put("id", c.id());
    putOrNull(o, "name", s.name());
    putOrNull(o, "image", s.image());
    o.set("argv", Json.tree(s.argv()));
    if (s.features() != null) {
      o.putNull("level");
    } else {
      o.put("level", Validation.level(s));
    }
    Set<Feature> features = s.features() != null ? s.features() : Feature.upTo(Validation.level(s));
    o.set("features", Json.tree(features.stream().map(Feature::wireName).toList()));
    o.put("state", state.name().toLowerCase(Locale.ROOT));
    o.put("pid", c.hostPid());
    ExitStatus x = c.exitStatus().orElse(null);
    if (x != null && x.code() != null) {
      o.put("exitCode", x.code());
    } else {
      o.putNull("exitCode");
    }
    if (x != null && x.signal() != null) {
      o.put("signal", x.signal());
    } else {
      o.putNull("signal");
    }
    o.put("oomKilled", x != null && x.oomKilled());
    ContainerTable.Entry t = server.table().entry(c.id());
    putOrNull(o, "createdAt", t == null ? null : t.createdAt);
    putOrNull(o, "startedAt", t == null ? null : t.startedAt);
    putOrNull(o, "finishedAt", t == null ? null : t.finishedAt);
    return o;
  }

  private static void putOrNull(ObjectNode o, String field, Object value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value instanceof Instant i ? i.toString() : value.toString());
    }
  }

  private static String container(Request req) throws ProtocolException {
    return Validation.container(req.id(), "container", req.string("container"));
  }

  private Container find(Request req, String idOrName) throws ProtocolException {
    return server
        .runtime()
        .find(idOrName)
        .filter(c -> c.state() != Container.State.REMOVED)
        .orElseThrow(
            () -> new ProtocolException(ErrorCode.NOT_FOUND, "no container " + idOrName, req.id()));
  }

  private Container running(Request req, String idOrName) throws ProtocolException {
    Container c = find(req, idOrName);
    if (c.state() != Container.State.RUNNING) {
      throw new ProtocolException(
          ErrorCode.CONFLICT,
          "container " + c.id() + " is " + c.state().name().toLowerCase(Locale.ROOT),
          req.id());
    }
    return c;
  }

  /** A fresh id: 48 random bits as 12 lowercase hex digits, never one in use. */
  private String newId() {
    byte[] b = new byte[6];
    while (true) {
      HelperServer.RANDOM.nextBytes(b);
      String id = HexFormat.of().formatHex(b);
      if (server.runtime().find(id).isEmpty() && server.table().entry(id) == null) {
        return id;
      }
    }
  }
}
