package org.glasshouse.app.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.Topic;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.StatsResult;

/**
 * {@link LabService} over the helper's Unix socket, on top of the protocol's {@link HelperClient}.
 *
 * <p>Threads: one connector thread connects (the client says hello), waits until the connection
 * ends, and starts over after a back-off (0.5 s doubling to 5 s). Requests are handed to the client
 * on one writer thread, so callers on the FX thread never touch the socket. When the connection
 * drops every pending request fails with code {@code unavailable}. Each connection subscribes to
 * every container's lifecycle, output and step events, so containers that were already running (the
 * app started late, or the helper came back) are followed too, and renews the subscriptions made
 * with {@link #subscribe} (the helper ends them with the connection) before it reports connected.
 */
public final class SocketLabService implements LabService {
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Path socket;
  private static final List<String> FOLLOWED_TOPICS = List.of("lifecycle", "output", "steps");
  private final WireMapper wire = new WireMapper();
  private final ObjectMapper json = wire.json();
  private final List<Sub> subscriptions = new CopyOnWriteArrayList<>();
  private final List<LabListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(r -> daemon(r, "glasshouse-helper-writer"));
  private final Object wake = new Object();
  private volatile ConnectionStatus status;
  private volatile HelperClient client;
  private volatile boolean closed;
  private volatile boolean retryRequested;
  private Thread reader;

  public SocketLabService(Path socket) {
    this.socket = socket;
    this.status =
        new ConnectionStatus(ConnectionStatus.State.CONNECTING, "connecting", socket.toString());
  }

  @Override
  public synchronized void start() {
    if (reader == null) {
      reader = daemon(this::connectLoop, "glasshouse-helper-reader");
      reader.start();
    }
  }

  @Override
  public void retryNow() {
    synchronized (wake) {
      retryRequested = true;
      wake.notifyAll();
    }
  }

  @Override
  public ConnectionStatus status() {
    return status;
  }

  @Override
  public void addListener(LabListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(LabListener listener) {
    listeners.remove(listener);
  }

  private void connectLoop() {
    long backoff = 500;
    while (!closed) {
      setStatus(ConnectionStatus.State.CONNECTING, "connecting to " + socket);
      CountDownLatch ended = new CountDownLatch(1);
      String[] why = {"the helper closed the connection"};
      HelperClient c;
      try {
        c =
            HelperClient.connect(
                socket,
                "glasshouse-app",
                new HelperClient.Listener() {
                  @Override
                  public void event(Incoming.Event event) {
                    LabEvent ev = wire.event(event.body());
                    if (ev != null) {
                      for (LabListener l : listeners) {
                        l.onEvent(ev);
                      }
                    }
                  }

                  @Override
                  public void closed(String reason) {
                    why[0] = reason;
                    ended.countDown();
                  }
                });
      } catch (HelperException e) {
        if (e.code() == ErrorCode.FORBIDDEN || e.code() == ErrorCode.UNSUPPORTED_VERSION) {
          setStatus(ConnectionStatus.State.REFUSED, "the helper refused us: " + e.getMessage());
        } else {
          setStatus(ConnectionStatus.State.UNREACHABLE, unreachable(e));
        }
        waitBeforeRetry(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      // Follow every container, before anyone hears "connected": the containers view-model then
      // asks for ps, and an event that happens between the two is not lost (a connection matched
      // by several subscriptions, like a later attached run, still gets each event once).
      try {
        c.call(Op.SUBSCRIBE, json.valueToTree(Map.of("topics", FOLLOWED_TOPICS)));
      } catch (HelperException e) {
        c.close();
        setStatus(
            ConnectionStatus.State.UNREACHABLE,
            "the helper refused to send events: " + e.getMessage());
        waitBeforeRetry(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      renewSubscriptions(c);
      backoff = 500;
      client = c;
      JsonNode hello = c.helloResult();
      setStatus(
          ConnectionStatus.State.CONNECTED,
          "connected to " + hello.path("server").asText("the helper") + summary(hello));
      try {
        ended.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      client = null;
      if (closed) {
        return;
      }
      setStatus(ConnectionStatus.State.LOST, why[0]);
      waitBeforeRetry(200);
    }
  }

  /**
   * Subscribes {@code c} to what the app's subscriptions ask for: they ended with the previous
   * connection. One that the helper now refuses (its containers are gone) ends.
   */
  private void renewSubscriptions(HelperClient c) {
    for (Sub s : subscriptions) {
      try {
        s.bind(c, c.call(Op.SUBSCRIBE, json.valueToTree(s.fields)));
      } catch (HelperException e) {
        subscriptions.remove(s);
      }
    }
  }

  private String summary(JsonNode hello) {
    String mode = hello.path("cgroup").path("mode").asText("");
    return mode.isEmpty() ? "" : " (cgroup " + mode + ")";
  }

  private String unreachable(HelperException e) {
    if (!Files.exists(socket)) {
      return "no helper is running: " + socket + " does not exist";
    }
    return e.getMessage();
  }

  private void waitBeforeRetry(long ms) {
    long until = System.currentTimeMillis() + ms;
    synchronized (wake) {
      while (!closed && !retryRequested) {
        long left = until - System.currentTimeMillis();
        if (left <= 0) {
          break;
        }
        try {
          wake.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      retryRequested = false;
    }
  }

  private void setStatus(ConnectionStatus.State state, String detail) {
    ConnectionStatus s = new ConnectionStatus(state, detail, socket.toString());
    status = s;
    for (LabListener l : listeners) {
      l.onConnection(s);
    }
  }

  private CompletableFuture<JsonNode> request(Op op, Map<String, ?> fields) {
    return request(client, op, fields);
  }

  private CompletableFuture<JsonNode> request(HelperClient c, Op op, Map<String, ?> fields) {
    if (c == null) {
      return CompletableFuture.failedFuture(
          new LabException("unavailable", "not connected to the helper (" + status.detail() + ")"));
    }
    ObjectNode body = json.valueToTree(fields);
    CompletableFuture<CompletableFuture<JsonNode>> sent;
    try {
      sent = CompletableFuture.supplyAsync(() -> c.request(op, body), writer);
    } catch (RejectedExecutionException e) {
      // Closed (the app is quitting, a test tears down): a view that still reacts to a last event
      // gets a failed future like any other failure, not an exception thrown on the FX thread.
      return CompletableFuture.failedFuture(new LabException("unavailable", "the lab is closed"));
    }
    return sent.thenCompose(f -> f)
        .handle(
            (r, t) -> {
              if (t == null) {
                return r;
              }
              throw lab(t, c);
            });
  }

  private static LabException lab(Throwable t, HelperClient c) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (!c.isOpen()) {
      // Sent, and maybe done: the helper may have started a run whose answer never came.
      return new LabException(
          LabException.UNANSWERED, "the connection closed before the helper answered");
    }
    if (cause instanceof HelperException he) {
      return new LabException(he.code().wireName(), he.getMessage(), he.step(), he.container());
    }
    return new LabException("internal", String.valueOf(cause.getMessage()));
  }

  private <T> CompletableFuture<T> call(Op op, Map<String, ?> fields, Function<JsonNode, T> map) {
    return request(op, fields)
        .thenApply(
            r -> {
              try {
                return map.apply(r);
              } catch (IllegalArgumentException e) {
                throw new LabException(
                    "internal",
                    "could not read the helper's answer to "
                        + op.wireName()
                        + ": "
                        + e.getMessage());
              }
            });
  }

  @Override
  public CompletableFuture<Started> run(RunSpec spec) {
    return call(
        Op.RUN,
        // Not attached: the helper kills an attached container when its connection closes, and a
        // presenter who restarts the app must find the demo still running. The connection's
        // subscription to every container (see connect) brings the new one's events from its
        // first step, as attaching would.
        Map.of("spec", spec, "attach", false),
        r -> new Started(r.path("container").asText(), r.path("pid").asLong()));
  }

  @Override
  public CompletableFuture<Void> stdin(String container, byte[] data) {
    return call(
        Op.STDIN,
        Map.of("container", container, "data", Base64.getEncoder().encodeToString(data)),
        r -> null);
  }

  @Override
  public CompletableFuture<Void> resize(String container, int cols, int rows) {
    return call(Op.RESIZE, Map.of("container", container, "cols", cols, "rows", rows), r -> null);
  }

  @Override
  public CompletableFuture<Void> signal(String container, String signal) {
    return call(Op.SIGNAL, Map.of("container", container, "signal", signal), r -> null);
  }

  @Override
  public CompletableFuture<Void> remove(String container, boolean force) {
    return call(Op.REMOVE, Map.of("container", container, "force", force), r -> null);
  }

  @Override
  public CompletableFuture<List<ContainerSummary>> ps() {
    return call(Op.PS, Map.of("all", true), wire::ps);
  }

  @Override
  public CompletableFuture<List<StepEntry>> steps(String container) {
    return call(Op.STEPS, Map.of("container", container), wire::steps);
  }

  @Override
  public CompletableFuture<InspectResult> inspect(String target, boolean upper) {
    return call(Op.INSPECT, Map.of("container", target, "upper", upper), wire::inspect);
  }

  @Override
  public CompletableFuture<MountsResult> mounts(String target, boolean diffWithHost) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("container", target);
    if (diffWithHost) {
      f.put("diff", "host");
    }
    return call(Op.MOUNTS, f, wire::mounts);
  }

  @Override
  public CompletableFuture<StatsResult> stats(Collection<String> containers) {
    return call(
        Op.STATS,
        containers.isEmpty() ? Map.of() : Map.of("containers", List.copyOf(containers)),
        wire::stats);
  }

  @Override
  public CompletableFuture<Subscription> subscribe(
      Collection<String> containers, Collection<Topic> topics, int intervalMs) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (!containers.isEmpty()) {
      f.put("containers", List.copyOf(containers));
    }
    f.put("topics", topics.stream().map(Topic::wireName).toList());
    f.put("intervalMs", intervalMs);
    Sub s = new Sub(Collections.unmodifiableMap(f));
    HelperClient c = client;
    return request(c, Op.SUBSCRIBE, f)
        .thenApply(
            r -> {
              s.bind(c, r);
              subscriptions.add(s);
              return s;
            });
  }

  /**
   * A subscription of the app: what it asks for, and the helper's id for it on the connection it
   * was last made on.
   */
  private final class Sub implements Subscription {
    private final Map<String, Object> fields;
    private HelperClient on;
    private long id;

    Sub(Map<String, Object> fields) {
      this.fields = fields;
    }

    synchronized void bind(HelperClient c, JsonNode reply) {
      on = c;
      id = reply.path("subscription").asLong();
    }

    @Override
    public CompletableFuture<Void> unsubscribe() {
      subscriptions.remove(this);
      HelperClient c;
      long sid;
      synchronized (this) {
        c = on;
        sid = id;
        on = null;
      }
      // An id means something only on the connection that handed it out: on another one it may
      // name somebody else's subscription.
      if (c == null || c != client || !c.isOpen()) {
        return CompletableFuture.completedFuture(null);
      }
      return request(c, Op.UNSUBSCRIBE, Map.of("subscription", sid)).thenApply(r -> null);
    }
  }

  @Override
  public void close() {
    closed = true;
    retryNow();
    HelperClient c = client;
    if (c != null) {
      c.close();
    }
    writer.shutdown();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
