package org.glasshouse.helper.server;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.EventType;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;

/**
 * The helper's Unix-socket server: accepts connections, authenticates each peer with {@code
 * SO_PEERCRED}, and serves protocol v1 (PROTOCOL.md) against a {@link ContainerRuntime}.
 *
 * <p>Ops are {@link OpHandler}s in a table keyed by {@link Op}; {@link #register} adds one (the
 * inspection module registers {@code inspect}, {@code mounts}, {@code stats}). An op without a
 * handler is answered {@code unknown_op}.
 */
public final class HelperServer implements AutoCloseable {

  static final SecureRandom RANDOM = new SecureRandom();

  private final ServerConfig config;
  private final ContainerRuntime runtime;
  private final ImageSource images;
  private final Consumer<String> log;
  private final EventHub events = new EventHub();
  private final ContainerTable table = new ContainerTable();
  private final Map<Op, OpHandler> handlers = new EnumMap<>(Op.class);
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicLong sessionNumbers = new AtomicLong(1);
  private final PeerAuth auth;
  private final UserDb users;
  private final ExecutorService cleanup =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "glasshouse-cleanup");
            t.setDaemon(true);
            return t;
          });
  private ServerSocketChannel listener;
  private boolean ownsSocketFile;
  private Thread acceptor;
  private volatile boolean closing;

  /**
   * @param images what the {@code images} op lists
   * @param users the user database peers are resolved with
   * @param log where the helper's log lines go (one line per call, no trailing newline)
   */
  public HelperServer(
      ServerConfig config,
      ContainerRuntime runtime,
      ImageSource images,
      UserDb users,
      Consumer<String> log) {
    this.config = config;
    this.runtime = runtime;
    this.images = images;
    this.users = users;
    this.log = log;
    this.auth = new PeerAuth(config.groupGid(), config.invokingUid(), users);
    new CoreOps(this).registerAll();
    new ContainerOps(this).registerAll();
  }

  /**
   * Serves {@code op} with {@code handler} from now on (replacing any earlier one). This is the
   * plug-in point of inspection: {@code server.register(Op.INSPECT, inspector::inspect)}.
   */
  public void register(Op op, OpHandler handler) {
    synchronized (handlers) {
      handlers.put(op, handler);
    }
  }

  /** The ops served right now, in {@link Op} order. */
  public Set<Op> served() {
    synchronized (handlers) {
      return Set.copyOf(handlers.keySet());
    }
  }

  OpHandler handler(Op op) {
    synchronized (handlers) {
      return handlers.get(op);
    }
  }

  /** The event hub: inspection publishes telemetry and mount events through it. */
  public EventHub events() {
    return events;
  }

  /** The runtime the ops drive. */
  public ContainerRuntime runtime() {
    return runtime;
  }

  /** The socket path. */
  public Path socket() {
    return config.socket();
  }

  ImageSource images() {
    return images;
  }

  ServerConfig config() {
    return config;
  }

  ContainerTable table() {
    return table;
  }

  PeerAuth auth() {
    return auth;
  }

  void log(String line) {
    log.accept(Instant.now() + " glasshouse-helper: " + line);
  }

  /** Binds the socket and starts accepting. */
  public void start() throws IOException {
    start(Optional.empty());
  }

  /**
   * Starts accepting on {@code activated}, the socket a service manager bound and passed (see
   * {@link SocketActivation}), or, when empty, on a socket this server binds itself. An activated
   * socket's file, mode and group are the service manager's: the server neither changes nor deletes
   * them, so the next connection after a stop starts a new helper.
   */
  public void start(Optional<ServerSocketChannel> activated) throws IOException {
    if (activated.isPresent()) {
      listener = activated.get();
      ownsSocketFile = false;
      Path bound = ((UnixDomainSocketAddress) listener.getLocalAddress()).getPath();
      if (!bound.toAbsolutePath().equals(config.socket().toAbsolutePath())) {
        log("the activated socket is " + bound + ", not " + config.socket() + "; serving it");
      }
    } else {
      listener = SocketFile.bind(config.socket(), config.groupGid(), this::log);
      ownsSocketFile = true;
    }
    acceptor = new Thread(this::acceptLoop, "glasshouse-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    log(
        "listening on "
            + listenerPath()
            + (ownsSocketFile ? " (mode 0660, gid " : " (passed by the service manager; gid ")
            + config.groupGid()
            + (config.invokingUid() == null ? "" : ", invoking uid " + config.invokingUid())
            + ")");
  }

  private Path listenerPath() {
    try {
      return ((UnixDomainSocketAddress) listener.getLocalAddress()).getPath();
    } catch (IOException e) {
      return config.socket();
    }
  }

  private void acceptLoop() {
    while (!closing) {
      SocketChannel channel;
      try {
        channel = listener.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log("accept failed: " + e.getMessage());
        continue;
      }
      long number = sessionNumbers.getAndIncrement();
      UnixDomainPrincipal principal;
      try {
        // The kernel's word on who connected, taken before anything is read from the peer.
        principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
      } catch (IOException | UnsupportedOperationException e) {
        log("connection #" + number + ": cannot read SO_PEERCRED (" + e + "); closing it");
        closeQuietly(channel);
        continue;
      }
      Thread t =
          new Thread(
              () -> open(number, channel, principal), "glasshouse-session-" + number + "-auth");
      t.setDaemon(true);
      t.start();
    }
  }

  /** Resolves the peer's names to ids (the user database may be slow) off the accept thread. */
  private void open(long number, SocketChannel channel, UnixDomainPrincipal principal) {
    String user = principal.user().getName();
    String group = principal.group().getName();
    Integer uid = users.uid(user).orElse(null);
    Integer gid = users.gid(group).orElse(null);
    if (uid == null || gid == null) {
      log(
          "refused connection #"
              + number
              + ": cannot map peer user '"
              + user
              + "' / group '"
              + group
              + "' to ids");
      closeQuietly(channel);
      return;
    }
    int max = config.maxConnections();
    if (sessions.size() >= max) {
      // Two threads and up to an outbox of memory each: a bound keeps a runaway client from
      // exhausting the helper.
      log("refused connection #" + number + ": already " + max + " connections");
      try {
        // One short line into an empty socket buffer: this write does not block.
        channel.write(
            java.nio.ByteBuffer.wrap(
                JsonLines.encode(
                    Messages.error(
                        null,
                        ErrorCode.INTERNAL,
                        "the helper already serves " + max + " connections",
                        null))));
      } catch (IOException e) {
        // The client is gone already.
      }
      closeQuietly(channel);
      return;
    }
    Session s = new Session(number, channel, new Peer(uid, gid, user), this, config.outboxBytes());
    sessions.add(s);
    if (closing) {
      s.end("the helper is shutting down", false);
      return;
    }
    s.start();
  }

  void forget(Session s) {
    sessions.remove(s);
  }

  /** After {@code exited}: a container whose spec says rm is removed. */
  void exited(String id) {
    Container c = runtime.find(id).orElse(null);
    if (c != null && c.spec().rm()) {
      background(() -> removeNow(id, false, "its spec says rm"));
    }
  }

  /** The client watching an attached container left: kill and remove it if it still runs. */
  void abandon(String id) {
    background(
        () -> {
          Container c = runtime.find(id).orElse(null);
          if (c != null
              && (c.state() == Container.State.RUNNING || c.state() == Container.State.CREATED)) {
            removeNow(id, true, "the client it was attached to disconnected");
          }
        });
  }

  /** Cleanup off the caller's thread (runtime threads must not block); none once closing. */
  private void background(Runnable task) {
    try {
      cleanup.execute(task);
    } catch (RejectedExecutionException e) {
      // Shutting down: runtime.close() removes every container anyway.
    }
  }

  private void removeNow(String id, boolean force, String why) {
    if (closing) {
      return;
    }
    try {
      removeAndAnnounce(id, force);
    } catch (NoSuchElementException e) {
      // Already gone: LinuxContainerRuntime removes an rm container itself right after exit.
      removed(id);
    } catch (RuntimeException e) {
      log("could not remove container " + id + " (" + why + "): " + e.getMessage());
      return;
    }
    log("removed container " + id + ": " + why);
  }

  /**
   * Removes a container through the runtime, then announces {@code removed} for it and for every
   * other id that went with it (its exec'd processes).
   */
  void removeAndAnnounce(String id, boolean force) {
    Set<String> before = ids();
    runtime.remove(id, force);
    Set<String> gone = new java.util.HashSet<>(before);
    gone.removeAll(ids());
    gone.add(id);
    for (String g : gone) {
      removed(g);
    }
  }

  private Set<String> ids() {
    Set<String> ids = new java.util.HashSet<>();
    for (Container c : runtime.list()) {
      ids.add(c.id());
    }
    return ids;
  }

  /** A container is gone: forget its bookkeeping and tell subscribers. */
  void removed(String id) {
    table.forget(id);
    events.publish(EventType.REMOVED, id, Messages.removed(id));
  }

  /**
   * Stops accepting, closes every connection, removes every container ({@code runtime.close()}) and
   * deletes the socket file (unless a service manager passed it). Safe to call twice.
   */
  @Override
  public synchronized void close() {
    if (closing) {
      return;
    }
    closing = true;
    log("shutting down");
    if (listener != null) {
      closeQuietly(listener);
    }
    for (Session s : sessions) {
      s.end("the helper is shutting down", false);
    }
    cleanup.shutdown();
    try {
      if (!cleanup.awaitTermination(10, TimeUnit.SECONDS)) {
        log("cleanup tasks still running after 10 s; removing containers anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      runtime.close();
    } catch (RuntimeException e) {
      log("removing containers failed: " + e.getMessage());
    }
    try {
      if (listener != null && ownsSocketFile) {
        Files.deleteIfExists(config.socket());
      }
    } catch (IOException e) {
      log("could not delete " + config.socket() + ": " + e.getMessage());
    }
    if (acceptor != null) {
      try {
        acceptor.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    log("stopped");
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Closing a channel we are abandoning anyway: nothing useful to do with the error.
    }
  }
}
