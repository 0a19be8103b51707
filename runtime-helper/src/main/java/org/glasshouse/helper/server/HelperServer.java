package org.glasshouse.helper.server;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
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
import org.glasshouse.helper.linux.UnixSockets;
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
  private final ConnectionSlots slots;
  private final ExecutorService cleanup =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "glasshouse-cleanup");
            t.setDaemon(true);
            return t;
          });
  private UnixSockets.Server listener;
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
    this.log = log;
    this.auth = new PeerAuth(config.groupGid(), config.invokingUid(), users);
    this.slots = new ConnectionSlots(config);
    new CoreOps(this).registerAll();
    new ContainerOps(this).registerAll();
    new OutputOps(this).registerAll();
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

  /** Binds the socket (backlog {@link Bounds#LISTEN_BACKLOG}) and starts accepting. */
  public void start() throws IOException {
    start(Optional.empty());
  }

  /**
   * Starts accepting on {@code activated}, the socket a service manager bound and passed (see
   * {@link SocketActivation}: it is then fd {@value SocketActivation#LISTENER_FD}), or, when empty,
   * on a socket this server binds itself. An activated socket's file, mode and group are the
   * service manager's: the server neither changes nor deletes them, so the next connection after a
   * stop starts a new helper. Its backlog is set to ours either way.
   */
  public void start(Optional<ServerSocketChannel> activated) throws IOException {
    int backlog = Math.max(Bounds.LISTEN_BACKLOG, config.maxConnections());
    if (activated.isPresent()) {
      // The JDK's channel only vouched for the socket; it is served through libc like our own
      // (SO_PEERCRED as numbers, receive timeouts), from the fd SocketActivation put it on.
      listener = UnixSockets.Server.adopt(SocketActivation.LISTENER_FD, backlog);
      ownsSocketFile = false;
      Path bound = listener.path();
      if (!bound.toAbsolutePath().equals(config.socket().toAbsolutePath())) {
        log("the activated socket is " + bound + ", not " + config.socket() + "; serving it");
      }
    } else {
      listener = SocketFile.bind(config.socket(), config.groupGid(), backlog, this::log);
      ownsSocketFile = true;
    }
    acceptor = new Thread(this::acceptLoop, "glasshouse-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    log(
        "listening on "
            + listener.path()
            + (ownsSocketFile ? " (mode 0660, gid " : " (passed by the service manager; gid ")
            + config.groupGid()
            + (config.invokingUid() == null ? "" : ", invoking uid " + config.invokingUid())
            + "; at most "
            + config.maxConnections()
            + " connections, "
            + config.maxConnectionsPerUid()
            + " per uid, "
            + config.rootReservedConnections()
            + " kept for root)");
  }

  /**
   * Accepts, reads the peer's credentials from the kernel and admits the connection within the
   * limits — all on this thread, with no lookup and no thread started for a refused one: a flood of
   * connections costs the helper one syscall and one line each, and root always finds a slot.
   */
  private void acceptLoop() {
    while (!closing) {
      UnixSockets.Connection conn;
      try {
        conn = listener.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log("accept failed: " + e.getMessage());
        pauseAfterAcceptFailure();
        continue;
      }
      long number = sessionNumbers.getAndIncrement();
      Peer peer;
      try {
        // The kernel's word on who connected, taken before anything is read from the peer.
        UnixSockets.Credentials c = conn.peer();
        peer = new Peer(c.uid(), c.gid(), c.pid());
      } catch (IOException e) {
        log(
            "connection #"
                + number
                + ": cannot read SO_PEERCRED ("
                + e.getMessage()
                + "); closing it");
        conn.close();
        continue;
      }
      String over = slots.admit(peer);
      if (over != null) {
        log("refused connection #" + number + " from " + peer + ": " + over);
        // One short line into a fresh socket: never waits.
        conn.trySend(JsonLines.encode(Messages.error(null, ErrorCode.LIMIT, over, null)));
        conn.close();
        continue;
      }
      Session s = new Session(number, conn, peer, this, config.outboxBytes());
      sessions.add(s);
      if (closing) {
        s.discardUnstarted();
        continue;
      }
      s.start();
    }
  }

  /** accept() fails when fds run out (EMFILE): a moment lets connections end before retrying. */
  private static void pauseAfterAcceptFailure() {
    try {
      Thread.sleep(50); // no event tells when an fd is free again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void forget(Session s) {
    if (sessions.remove(s)) {
      slots.release(s.peer());
    }
  }

  /** After {@code exited}: a container whose spec says rm is removed. */
  void exited(String id) {
    Container c = runtime.find(id).orElse(null);
    if (c != null && c.spec().rm()) {
      background(() -> removeNow(id, false, "its spec says rm"));
    }
  }

  /**
   * After an exec's {@code exited}: the exec is removed. It counts against {@link
   * Bounds#MAX_CONTAINERS} and keeps a log; a container exec'd into again and again (a shell
   * prompt, a health check) would otherwise fill the table with exited execs and lock every client
   * out of starting anything.
   */
  void execExited(String id) {
    background(() -> removeNow(id, false, "an exec is removed once it has exited"));
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
    events.containerRemoved(id);
    for (Session s : sessions) {
      s.forgetContainer(id);
    }
  }

  /**
   * A start failed and was undone: no container is left, and those who followed its steps (a window
   * follows every container's) hear that it is gone, as after {@code rm}. Before the reply, on the
   * starter's connection too: the reply's {@code error.container} names the same id.
   */
  void startFailed(String id) {
    table.forget(id);
    events.publish(EventType.REMOVED, id, Messages.removed(id));
    events.containerRemoved(id);
    for (Session s : sessions) {
      s.forgetContainer(id);
    }
  }

  ContainerTable.Entry entry(String id) {
    return table.entry(id);
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
      listener.shutdown();
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
      if (!acceptor.isAlive()) {
        listener.close();
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
