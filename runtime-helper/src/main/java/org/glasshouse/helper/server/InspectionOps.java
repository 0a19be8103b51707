package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.glasshouse.helper.inspect.Inspector;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.EventType;
import org.glasshouse.protocol.ProtocolException;
import org.glasshouse.protocol.Request;
import org.glasshouse.protocol.Topic;

/**
 * Plugs inspection into the helper's server: the {@code inspect}, {@code mounts} and {@code stats}
 * ops, and the {@code telemetry}, {@code mounts} and {@code namespaces} topics, fed by one pump
 * thread that samples only the containers someone subscribed to, each at the shortest interval
 * asked for it.
 *
 * <p>Why these ops are safe to do as root for an authenticated peer: they only read (/proc of the
 * container's processes, its cgroup files, its mount table, its overlay upper dir); the only client
 * input is a container id or name (validated, then looked up in the runtime — never a path),
 * "host", and a few flags. Nothing is written, mounted or signalled.
 */
public final class InspectionOps implements AutoCloseable {

  /** The pump's tick; subscriptions ask for 100 ms at the fastest. */
  static final long TICK_MS = 50;

  private final ContainerRuntime runtime;
  private final EventHub events;
  private final InspectionService service;
  private final Consumer<String> log;
  private final ScheduledExecutorService pump;
  private final Map<String, Long> lastTelemetry = new HashMap<>();
  private final Map<String, Long> lastMounts = new HashMap<>();
  private final Map<String, Long> lastNamespaces = new HashMap<>();
  private final Map<String, Long> lastUpper = new HashMap<>();
  private final Map<String, Long> lastHost = new HashMap<>();
  private final Map<Topic, Long> generations = new HashMap<>();

  private InspectionOps(HelperServer server, Inspector inspector, Consumer<String> log) {
    this.runtime = server.runtime();
    this.events = server.events();
    this.service = new InspectionService(runtime, inspector, log);
    this.log = log;
    this.pump =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "glasshouse-telemetry");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Registers the ops and topics on {@code server} and starts the pump. Call once, before {@link
   * HelperServer#start()}; {@link #close()} stops the pump.
   *
   * @param log where a failed tick is reported (one line)
   */
  public static InspectionOps install(HelperServer server, Consumer<String> log) {
    InspectionOps ops = new InspectionOps(server, Inspector.real(), log);
    ops.register(server);
    return ops;
  }

  /** As {@link #install(HelperServer, Consumer)} with another inspector (tests). */
  static InspectionOps install(HelperServer server, Inspector inspector, Consumer<String> log) {
    InspectionOps ops = new InspectionOps(server, inspector, log);
    ops.register(server);
    return ops;
  }

  private void register(HelperServer server) {
    server.register(org.glasshouse.protocol.Op.INSPECT, guarded(this::inspect));
    server.register(org.glasshouse.protocol.Op.MOUNTS, guarded(this::mounts));
    server.register(org.glasshouse.protocol.Op.STATS, guarded(this::stats));
    events.serve(Topic.TELEMETRY);
    events.serve(Topic.MOUNTS);
    events.serve(Topic.NAMESPACES);
    events.serve(Topic.UPPER);
    pump.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  private JsonNode inspect(Request req) throws ProtocolException {
    return service.inspect(target(req), req.bool("upper", false));
  }

  private JsonNode mounts(Request req) throws ProtocolException {
    return service.mounts(target(req), req.optString("diff").orElse(null));
  }

  private JsonNode stats(Request req) throws ProtocolException {
    var ids = req.optStrings("containers", 1000);
    if (ids.isPresent()) {
      for (String id : ids.get()) {
        Validation.container(req.id(), "containers", id);
      }
    }
    return service.stats(ids.orElse(null));
  }

  private static String target(Request req) throws ProtocolException {
    String c = req.string("container");
    return c.equals("host") ? c : Validation.container(req.id(), "container", c);
  }

  /** A body that may throw the service's exceptions. */
  @FunctionalInterface
  private interface Body {
    JsonNode run(Request req) throws ProtocolException;
  }

  /** Maps the service's exceptions to protocol errors, one sentence each. */
  private static OpHandler guarded(Body body) {
    return (ctx, req) -> {
      try {
        return body.run(req);
      } catch (NoSuchElementException e) {
        throw new ProtocolException(ErrorCode.NOT_FOUND, e.getMessage(), req.id());
      } catch (IllegalStateException e) {
        throw new ProtocolException(ErrorCode.CONFLICT, e.getMessage(), req.id());
      } catch (IllegalArgumentException e) {
        throw new ProtocolException(ErrorCode.BAD_REQUEST, e.getMessage(), req.id());
      }
    };
  }

  /**
   * One pump tick: for each running container someone watches, a telemetry sample, a mount rescan
   * and/or a namespace rescan when its interval for that topic is due. Never throws (a failure is
   * logged and the next tick runs).
   */
  void tick() {
    try {
      long now = System.nanoTime() / 1_000_000;
      if (newSubscriber(Topic.MOUNTS)) {
        service.forgetMounts();
      }
      if (newSubscriber(Topic.NAMESPACES)) {
        service.forgetNamespaces();
      }
      if (newSubscriber(Topic.UPPER)) {
        service.forgetUpper();
      }
      List<String> running = new ArrayList<>();
      List<String> telemetryDue = new ArrayList<>();
      List<String> mountsDue = new ArrayList<>();
      List<String> namespacesDue = new ArrayList<>();
      List<String> upperDue = new ArrayList<>();
      for (Container c : runtime.list()) {
        if (c.state() != Container.State.RUNNING) {
          continue;
        }
        running.add(c.id());
        if (due(Topic.TELEMETRY, c.id(), lastTelemetry, now)) {
          telemetryDue.add(c.id());
        }
        if (due(Topic.MOUNTS, c.id(), lastMounts, now)) {
          mountsDue.add(c.id());
        }
        if (due(Topic.NAMESPACES, c.id(), lastNamespaces, now)) {
          namespacesDue.add(c.id());
        }
        if (due(Topic.UPPER, c.id(), lastUpper, now)) {
          upperDue.add(c.id());
        }
      }
      service.retainOnly(running);
      lastTelemetry.keySet().retainAll(running);
      lastMounts.keySet().retainAll(running);
      lastNamespaces.keySet().retainAll(running);
      lastUpper.keySet().retainAll(running);
      if (!telemetryDue.isEmpty()) {
        for (InspectionService.TelemetryLine l : service.telemetryLines(telemetryDue)) {
          events.publish(EventType.TELEMETRY, l.container(), l::line);
        }
      }
      if (!mountsDue.isEmpty()) {
        service.mountsTick(mountsDue).forEach(e -> publish(EventType.MOUNTS, e));
      }
      if (!namespacesDue.isEmpty()) {
        service.namespacesTick(namespacesDue).forEach(e -> publish(EventType.NAMESPACES, e));
      } else if (lastNamespaces.isEmpty()) {
        service.idleNamespaces();
      }
      if (!upperDue.isEmpty()) {
        service.upperTick(upperDue).forEach(e -> publish(EventType.UPPER, e));
      }
      hostTick(now);
    } catch (RuntimeException e) {
      log.accept("telemetry tick failed: " + e);
    }
  }

  /**
   * The host's mount table, for subscriptions that named {@code "host"}: while nobody watches it,
   * its last table is forgotten, so a new watcher's first event has all of it.
   */
  /**
   * Whether a subscription to {@code topic} was made since the last tick: then every container's
   * next event of it is a full one ({@code against: "none"}), so the newcomer starts from the whole
   * picture.
   */
  private boolean newSubscriber(Topic topic) {
    long g = events.generation(topic);
    Long seen = generations.put(topic, g);
    return seen != null && seen != g;
  }

  private void hostTick(long now) {
    if (events.intervalMs(Topic.MOUNTS, EventHub.HOST) <= 0) {
      if (lastHost.remove(EventHub.HOST) != null) {
        service.forgetHostMounts();
      }
      return;
    }
    if (due(Topic.MOUNTS, EventHub.HOST, lastHost, now)) {
      service.hostMountsTick().ifPresent(e -> publish(EventType.MOUNTS, e));
    }
  }

  private boolean due(Topic topic, String id, Map<String, Long> last, long now) {
    int interval = events.intervalMs(topic, id);
    if (interval <= 0) {
      last.remove(id);
      return false;
    }
    Long prev = last.get(id);
    // Half a tick of slack keeps a 100 ms subscription at 10 Hz on a 50 ms tick.
    if (prev != null && now - prev < interval - TICK_MS / 2) {
      return false;
    }
    last.put(id, now);
    return true;
  }

  private void publish(EventType type, com.fasterxml.jackson.databind.node.ObjectNode e) {
    events.publish(type, e.path("container").asText(), e);
  }

  @Override
  public void close() {
    pump.shutdownNow();
    try {
      pump.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    service.close();
  }
}
