package org.glasshouse.app.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * {@link LabService} over the helper's Unix socket, on top of the protocol's {@link HelperClient}.
 *
 * <p>Threads: one connector thread connects (the client says hello), waits until the connection
 * ends, and starts over after a back-off (0.5 s doubling to 5 s). Requests are handed to the client
 * on one writer thread, so callers on the FX thread never touch the socket. When the connection
 * drops every pending request fails with code {@code unavailable}. Each connection subscribes to
 * every container's lifecycle, output and step events, so containers that were already running (the
 * app started late, or the helper came back) are followed too.
 */
public final class SocketLabService implements LabService {
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Path socket;
  private static final List<String> FOLLOWED_TOPICS = List.of("lifecycle", "output", "steps");
  private final ObjectMapper json = new ObjectMapper();
  private final WireMapper wire = new WireMapper(json);
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
    HelperClient c = client;
    if (c == null) {
      return CompletableFuture.failedFuture(
          new LabException("unavailable", "not connected to the helper (" + status.detail() + ")"));
    }
    ObjectNode body = json.valueToTree(fields);
    return CompletableFuture.supplyAsync(() -> c.request(op, body), writer)
        .thenCompose(f -> f)
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
      return new LabException("unavailable", "the helper went away before it answered");
    }
    if (cause instanceof HelperException he) {
      return new LabException(he.code().wireName(), he.getMessage(), he.step());
    }
    return new LabException("internal", String.valueOf(cause.getMessage()));
  }

  private <T> CompletableFuture<T> call(Op op, Map<String, ?> fields, Function<JsonNode, T> map) {
    return request(op, fields).thenApply(map);
  }

  @Override
  public CompletableFuture<Started> run(RunSpec spec) {
    return call(
        Op.RUN,
        Map.of("spec", spec, "attach", true),
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
  public CompletableFuture<Inspection> inspect(String target) {
    return call(Op.INSPECT, Map.of("container", target), wire::inspection);
  }

  @Override
  public CompletableFuture<Void> watchTelemetry(String container) {
    return call(
        Op.SUBSCRIBE,
        Map.of(
            "containers", List.of(container), "topics", List.of("telemetry"), "intervalMs", 1000),
        r -> null);
  }

  @Override
  public CompletableFuture<Long> subscribeTelemetry(Collection<String> containers, int intervalMs) {
    return call(
        Op.SUBSCRIBE,
        Map.of(
            "containers",
            List.copyOf(containers),
            "topics",
            List.of("telemetry"),
            "intervalMs",
            intervalMs),
        r -> r.path("subscription").asLong());
  }

  @Override
  public CompletableFuture<Void> unsubscribe(long subscription) {
    return call(Op.UNSUBSCRIBE, Map.of("subscription", subscription), r -> null);
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
