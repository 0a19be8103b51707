package org.glasshouse.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.Incoming;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.JsonText;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.ProtocolException;

/**
 * A connection to the helper: says {@code hello}, correlates replies with requests, and hands
 * events to a {@link Listener}. Thread-safe: any thread may send requests. Used by the CLI and the
 * app; depends only on {@code org.glasshouse.protocol}.
 *
 * <pre>{@code
 * try (HelperClient c = HelperClient.connect(HelperClient.defaultSocket(), "my-tool", listener)) {
 *   JsonNode ps = c.call(Op.PS, JsonText.object().put("all", true));
 * }
 * }</pre>
 */
public final class HelperClient implements AutoCloseable {

  /** Receives what the helper pushes. Called on the client's reader thread: do not block. */
  public interface Listener {
    /** An event. */
    void event(Incoming.Event event);

    /** The connection ended (helper gone, refused, or {@link #close()}); called once. */
    default void closed(String reason) {}
  }

  private final Path socket;
  private final SocketChannel channel;
  private final Listener listener;
  private final Object writeLock = new Object();
  private final Map<String, CompletableFuture<JsonNode>> pending = new LinkedHashMap<>();

  /** The id of every connection's first request, {@code hello}. */
  private static final long HELLO_ID = 1;

  private final AtomicLong ids = new AtomicLong(HELLO_ID + 1);
  private volatile String closedReason;
  private JsonNode hello;

  private HelperClient(Path socket, SocketChannel channel, Listener listener) {
    this.socket = socket;
    this.channel = channel;
    this.listener = listener;
  }

  /**
   * The system property that names the socket for clients running inside a JVM whose environment
   * cannot be set per call: the cgroup v2 guest's scenarios run the CLI's commands in their own JVM
   * against a helper of their own. It wins over {@code GLASSHOUSE_SOCKET}.
   */
  public static final String SOCKET_PROPERTY = "glasshouse.client.socket";

  /**
   * The system property {@value #SOCKET_PROPERTY} when set, else {@code GLASSHOUSE_SOCKET}, else
   * {@code /run/glasshouse/helper.sock}.
   */
  public static Path defaultSocket() {
    String property = System.getProperty(SOCKET_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String env = System.getenv("GLASSHOUSE_SOCKET");
    return Path.of(env == null || env.isBlank() ? "/run/glasshouse/helper.sock" : env);
  }

  /**
   * Connects and says hello.
   *
   * @param clientName sent in {@code hello} (shows in the helper's log)
   * @throws HelperException with a one-line, actionable message when the helper cannot be reached
   *     or refuses
   */
  public static HelperClient connect(Path socket, String clientName, Listener listener)
      throws HelperException {
    // The hello is encoded before connecting and sent the moment the connection is up: the first
    // encode loads and compiles the JSON machinery, seconds on a slow machine (a JVM in an
    // emulator, or a loaded host), and the helper closes a connection that has not said hello
    // within 10 s (PROTOCOL.md).
    LongNode helloId = LongNode.valueOf(HELLO_ID);
    byte[] helloLine;
    try {
      helloLine =
          JsonLines.encode(
              Messages.request(
                  helloId,
                  Op.HELLO,
                  JsonText.object().put("version", Messages.VERSION).put("client", clientName)));
    } catch (IllegalArgumentException e) {
      throw new HelperException(ErrorCode.BAD_REQUEST, e.getMessage(), null);
    }
    SocketChannel ch;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      throw new HelperException(ErrorCode.INTERNAL, unreachable(socket, e), null);
    }
    HelperClient c = new HelperClient(socket, ch, listener);
    CompletableFuture<JsonNode> hello = c.send(helloId, helloLine);
    Thread reader = new Thread(c::readLoop, "glasshouse-client-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      c.hello = await(hello);
    } catch (HelperException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static String unreachable(Path socket, IOException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("ermission denied")) {
      return permissionDenied(socket, System.getProperty("user.name"));
    }
    if (!Files.exists(socket) || m.contains("refused") || m.contains("No such file")) {
      return "cannot reach the Glasshouse helper at "
          + socket
          + ": is it running? start it with: sudo ./glasshouse helper";
    }
    return "cannot connect to the Glasshouse helper at " + socket + ": " + m;
  }

  /**
   * Why a user may not connect, and what to do: the group that owns the socket (or, where the user
   * may not even look into its directory — the package's /run/glasshouse is 0750 — the directory's)
   * is named, with the command an admin runs. A user just added must log in again before the new
   * group is theirs.
   */
  static String permissionDenied(Path socket, String user) {
    String group = null;
    for (Path p : new Path[] {socket, socket.toAbsolutePath().getParent()}) {
      try {
        group =
            Files.readAttributes(
                    p, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .group()
                .getName();
        break;
      } catch (IOException | RuntimeException e) {
        // Not visible to this user (or gone): try its directory, else say it without a name.
      }
    }
    String head =
        "not allowed to connect to the Glasshouse helper at " + socket + " (permission denied): ";
    if (group == null || group.equals("root")) {
      return head + "run as root or as a member of the helper's group";
    }
    return head
        + "only root and members of the "
        + group
        + " group may use it (membership is root-equivalent); an admin adds you with: sudo adduser "
        + user
        + " "
        + group
        + " (then log out and back in)";
  }

  /** The result of {@code hello}: version, server, ops, cgroup mode, the uid the helper saw. */
  public JsonNode helloResult() {
    return hello;
  }

  /** The socket this client is connected to. */
  public Path socket() {
    return socket;
  }

  /**
   * Sends a request; the future completes with the reply's {@code result}, or exceptionally with a
   * {@link HelperException}.
   *
   * @param fields the request's fields besides id and op; may be null
   */
  public CompletableFuture<JsonNode> request(Op op, ObjectNode fields) {
    // Keyed by text: the reply's id is parsed back as an int node, the request's is a long one.
    JsonNode id = LongNode.valueOf(ids.getAndIncrement());
    byte[] line;
    try {
      line = JsonLines.encode(Messages.request(id, op, fields));
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new HelperException(ErrorCode.BAD_REQUEST, e.getMessage(), null));
    }
    return send(id, line);
  }

  /** Writes an encoded request with {@code id}; its reply completes the future. */
  private CompletableFuture<JsonNode> send(JsonNode id, byte[] line) {
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    synchronized (writeLock) {
      synchronized (pending) {
        if (closedReason != null) {
          f.completeExceptionally(gone());
          return f;
        }
        pending.put(id.asText(), f);
      }
      try {
        ByteBuffer b = ByteBuffer.wrap(line);
        while (b.hasRemaining()) {
          channel.write(b);
        }
      } catch (IOException e) {
        shutdown("writing to the helper failed: " + e.getMessage());
      }
    }
    return f;
  }

  /** Sends a request and waits for its reply's {@code result}. */
  public JsonNode call(Op op, ObjectNode fields) throws HelperException {
    return await(request(op, fields));
  }

  private static JsonNode await(CompletableFuture<JsonNode> reply) throws HelperException {
    try {
      return reply.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HelperException(ErrorCode.INTERNAL, "interrupted waiting for the helper", null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HelperException he) {
        throw he;
      }
      throw new HelperException(ErrorCode.INTERNAL, String.valueOf(e.getCause()), null);
    }
  }

  /** Whether the connection is still up. */
  public boolean isOpen() {
    return closedReason == null;
  }

  private HelperException gone() {
    return new HelperException(ErrorCode.INTERNAL, closedReason, null);
  }

  private void readLoop() {
    JsonLines.LineReader reader = new JsonLines.LineReader(channel);
    String reason = "the helper closed the connection";
    try {
      while (true) {
        JsonLines.Line line = reader.next();
        if (line instanceof JsonLines.Line.Text t) {
          if (!t.text().isBlank()) {
            dispatch(t.text());
          }
        } else if (line instanceof JsonLines.Line.Eof) {
          break;
        } else {
          reason = "the helper sent a line that is too long or not UTF-8";
          break;
        }
      }
    } catch (IOException e) {
      reason = closedReason != null ? closedReason : "lost the helper: " + e.getMessage();
    } catch (ProtocolException e) {
      reason = e.getMessage();
    }
    shutdown(reason);
  }

  private void dispatch(String text) throws ProtocolException {
    Incoming in = Incoming.parse(text);
    if (in instanceof Incoming.Event e) {
      listener.event(e);
      return;
    }
    Incoming.Reply r = (Incoming.Reply) in;
    CompletableFuture<JsonNode> f;
    synchronized (pending) {
      f = r.id() == null || r.id().isNull() ? oldest() : pending.remove(r.id().asText());
    }
    if (f == null) {
      return;
    }
    if (r.ok()) {
      f.complete(r.result());
    } else {
      f.completeExceptionally(
          new HelperException(
              r.error().code(), r.error().message(), r.error().step(), r.error().container()));
    }
  }

  /** Replies come in request order, so an error without id answers the oldest request. */
  private CompletableFuture<JsonNode> oldest() {
    Iterator<CompletableFuture<JsonNode>> it = pending.values().iterator();
    if (!it.hasNext()) {
      return null;
    }
    CompletableFuture<JsonNode> f = it.next();
    it.remove();
    return f;
  }

  private void shutdown(String reason) {
    Map<String, CompletableFuture<JsonNode>> failed;
    synchronized (pending) {
      if (closedReason != null) {
        return;
      }
      closedReason = reason;
      failed = new LinkedHashMap<>(pending);
      pending.clear();
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Already gone.
    }
    failed.values().forEach(f -> f.completeExceptionally(gone()));
    listener.closed(reason);
  }

  /** Closes the connection. */
  @Override
  public void close() {
    shutdown("closed by the client");
  }
}
