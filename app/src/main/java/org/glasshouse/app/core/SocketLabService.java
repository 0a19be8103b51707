package org.glasshouse.app.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * {@link LabService} over the helper's Unix socket, speaking protocol v1 (JSON lines).
 *
 * <p>Threads: one connector/reader thread owns the socket's input — it connects, says hello, then
 * reads lines until the helper goes away, and starts over after a back-off (0.5 s doubling to 5 s).
 * Requests are written by one writer thread, so callers on the FX thread never touch the socket.
 * When the connection drops every pending request fails with code {@code unavailable}.
 */
public final class SocketLabService implements LabService {
  private static final System.Logger LOG = System.getLogger(SocketLabService.class.getName());
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Path socket;
  private final ObjectMapper json = new ObjectMapper();
  private final WireMapper wire = new WireMapper(json);
  private final List<LabListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(r -> daemon(r, "glasshouse-helper-writer"));
  private final Object wake = new Object();
  private volatile ConnectionStatus status;
  private volatile SocketChannel channel;
  private volatile SocketChannel out;
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
      boolean wasConnected = false;
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(socket));
        channel = ch;
        JsonLines.LineReader lines = new JsonLines.LineReader(ch);
        out = ch;
        CompletableFuture<JsonNode> hello =
            request(Op.HELLO, Map.of("version", Messages.VERSION, "client", "glasshouse-app"));
        while (true) {
          JsonLines.Line line = lines.next();
          if (line instanceof JsonLines.Line.Eof) {
            break;
          }
          if (line instanceof JsonLines.Line.TooLong) {
            throw new IOException("the helper sent a line longer than 1 MiB");
          }
          if (line instanceof JsonLines.Line.Text t) {
            handleLine(t.text());
          }
          if (!wasConnected && hello.isDone()) {
            JsonNode r;
            try {
              r = hello.join();
            } catch (CompletionException e) {
              setStatus(
                  ConnectionStatus.State.REFUSED,
                  "the helper refused us: " + LabException.describe(e));
              break;
            }
            wasConnected = true;
            backoff = 500;
            setStatus(
                ConnectionStatus.State.CONNECTED,
                "connected to " + r.path("server").asText("the helper") + summary(r));
          }
        }
        if (wasConnected) {
          setStatus(ConnectionStatus.State.LOST, "the helper closed the connection");
        }
      } catch (IOException e) {
        if (wasConnected) {
          setStatus(ConnectionStatus.State.LOST, "lost the helper: " + e.getMessage());
        } else if (status.state() != ConnectionStatus.State.REFUSED) {
          setStatus(ConnectionStatus.State.UNREACHABLE, unreachable(e));
        }
      } finally {
        channel = null;
        out = null;
        failPending();
      }
      if (closed) {
        return;
      }
      waitBeforeRetry(wasConnected ? 200 : backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  private String summary(JsonNode hello) {
    String mode = hello.path("cgroup").path("mode").asText("");
    return mode.isEmpty() ? "" : " (cgroup " + mode + ")";
  }

  private String unreachable(IOException e) {
    if (!Files.exists(socket)) {
      return "no helper is running: " + socket + " does not exist";
    }
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return "no helper answers on " + socket + " (" + m + ")";
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

  private void handleLine(String line) {
    JsonNode n;
    try {
      n = json.readTree(line);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "ignoring a line from the helper that is not JSON: " + e.getMessage());
      return;
    }
    if (n.has("event")) {
      LabEvent ev = wire.event(n);
      if (ev != null) {
        for (LabListener l : listeners) {
          l.onEvent(ev);
        }
      }
      return;
    }
    CompletableFuture<JsonNode> f = pending.remove(n.path("id").asLong(-1));
    if (f == null) {
      return;
    }
    if (n.path("ok").asBoolean(false)) {
      f.complete(n.path("result"));
    } else {
      JsonNode err = n.path("error");
      f.completeExceptionally(
          new LabException(
              err.path("code").asText("internal"),
              err.path("message").asText("the helper reported an error"),
              wire.step(err.get("step"))));
    }
  }

  private void failPending() {
    for (Long id : List.copyOf(pending.keySet())) {
      CompletableFuture<JsonNode> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(
            new LabException("unavailable", "the helper went away before it answered"));
      }
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
    long id = ids.incrementAndGet();
    ObjectNode msg = json.createObjectNode();
    msg.put("id", id);
    msg.put("op", op.wireName());
    fields.forEach((k, v) -> msg.set(k, json.valueToTree(v)));
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    SocketChannel o = out;
    if (o == null) {
      f.completeExceptionally(
          new LabException("unavailable", "not connected to the helper (" + status.detail() + ")"));
      return f;
    }
    pending.put(id, f);
    writer.execute(
        () -> {
          try {
            ByteBuffer bytes = ByteBuffer.wrap(JsonLines.encode(msg));
            // One writer thread, so lines never interleave; SocketChannel reads and writes
            // may run concurrently.
            while (bytes.hasRemaining()) {
              o.write(bytes);
            }
          } catch (IOException e) {
            pending.remove(id);
            f.completeExceptionally(
                new LabException(
                    "unavailable", "could not send '" + op.wireName() + "': " + e.getMessage()));
          }
        });
    return f;
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
  public void close() {
    closed = true;
    retryNow();
    SocketChannel ch = channel;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "closing the helper socket: " + e.getMessage());
      }
    }
    writer.shutdown();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
