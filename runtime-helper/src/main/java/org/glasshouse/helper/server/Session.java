package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glasshouse.helper.linux.UnixSockets;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.protocol.ErrorCode;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.ProtocolException;
import org.glasshouse.protocol.Request;
import org.glasshouse.protocol.Topic;

/**
 * One client connection: a reader thread that authenticates the peer, then reads and serves
 * requests one at a time, and a writer thread that drains the bounded {@link Outbox}. Replies and
 * events share the outbox, so a connection sees them in the order they were produced.
 */
final class Session implements RequestContext {

  private final long number;
  private final UnixSockets.Connection channel;
  private final Peer peer;
  private final HelperServer server;
  private final Outbox outbox;
  private final Set<String> attached = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean helloDone;
  private final long acceptedNanos = System.nanoTime();
  private volatile long lastRequestNanos = acceptedNanos;

  Session(
      long number,
      UnixSockets.Connection channel,
      Peer peer,
      HelperServer server,
      long outboxBytes) {
    this.number = number;
    this.channel = channel;
    this.peer = peer;
    this.server = server;
    this.outbox = new Outbox(outboxBytes);
  }

  /**
   * Starts the reader and the writer. Each holds a use of the connection and releases it when it
   * ends; the last one closes the fd, so neither ever touches an fd number after it was closed.
   */
  void start() {
    channel.retain();
    Thread reader = new Thread(this::readLoop, "glasshouse-session-" + number + "-reader");
    Thread writer = new Thread(this::writeLoop, "glasshouse-session-" + number + "-writer");
    reader.setDaemon(true);
    writer.setDaemon(true);
    writer.start();
    reader.start();
  }

  @Override
  public Peer peer() {
    return peer;
  }

  @Override
  public ContainerRuntime runtime() {
    return server.runtime();
  }

  @Override
  public EventHub events() {
    return server.events();
  }

  @Override
  public long subscribe(Set<String> containers, Set<Topic> topics, int intervalMs)
      throws ProtocolException {
    try {
      return server.events().subscribe(this, containers, topics, intervalMs, false);
    } catch (EventHub.TooManySubscriptions e) {
      throw new ProtocolException(
          ErrorCode.LIMIT,
          "this connection holds "
              + Bounds.MAX_SUBSCRIPTIONS
              + " subscriptions already; end one (unsubscribe) first",
          null);
    }
  }

  /**
   * Attaches a container to this connection, before its first step: it gets the container's
   * lifecycle, output and steps, holds its output (see {@link #offerHeld}) and the container dies
   * with the connection.
   */
  void attach(String containerId, Set<Topic> topics) {
    try {
      server.events().subscribe(this, Set.of(containerId), topics, 1000, true);
    } catch (EventHub.TooManySubscriptions e) {
      throw new IllegalStateException("an internal subscription is never refused", e);
    }
    attached.add(containerId);
  }

  /** Unsubscribes one of this connection's subscriptions. */
  boolean unsubscribe(long id) {
    return server.events().unsubscribe(this, id);
  }

  /**
   * Queues an encoded reply or event. Replies never overflow (the reader waits for the queue to
   * drain before it serves the next request); a client that lets events pile up beyond the queue's
   * bound is dropped — never waited for — and that counts as leaving: its attached containers go.
   */
  void sendLine(byte[] line) {
    if (outbox.offer(line) == Outbox.Offer.OVERFLOW && !ended.get()) {
      end(
          "it fell behind: "
              + (outbox.queuedBytes() >> 10)
              + " KiB of replies and events were waiting and it did not read them",
          true);
    }
  }

  /**
   * Output of a container this connection holds (it attached it): queued as the window admits,
   * waiting meanwhile — the caller is the container's pump, so the container waits too.
   */
  void offerHeld(String container, String stream, byte[] data) {
    try {
      outbox.offerHeld(container, data.length, encoder(container, stream, data));
    } catch (InterruptedException e) {
      // The pump is being stopped (the container is going): the rest is not wanted.
      Thread.currentThread().interrupt();
    }
  }

  /** Output of a container this connection follows: what the window does not admit is skipped. */
  void offerFollowed(
      String container, String stream, byte[] data, java.util.function.Supplier<byte[]> whole) {
    outbox.offerFollowed(container, data.length, encoder(container, stream, data), whole);
  }

  /** One line of a requested answer (the log {@code logs} sends), outside the windows. */
  void sendAnswer(byte[] line) {
    outbox.offerAnswer(line);
  }

  private static Outbox.Encoder encoder(String container, String stream, byte[] data) {
    return (off, len, skipped) -> OutputLines.line(container, stream, data, off, len, skipped);
  }

  /**
   * Chooses the flow mode at the first hello (null: the default, socket); false when a later hello
   * names another mode than the first chose.
   */
  boolean flow(Boolean credit) {
    if (helloDone) {
      return credit == null || outbox.creditFlow() == credit;
    }
    outbox.creditFlow(credit != null && credit);
    return true;
  }

  boolean creditFlow() {
    return outbox.creditFlow();
  }

  /** Widens a container's window (credit flow); the window after the grant. */
  long credit(String container, long bytes) {
    return outbox.credit(container, bytes);
  }

  /** A container is gone: its flow state on this connection goes too. */
  void forgetContainer(String container) {
    outbox.forget(container);
  }

  private void send(ObjectNode message) {
    byte[] line;
    try {
      line = JsonLines.encode(message);
    } catch (IllegalArgumentException tooBig) {
      // Only a reply can get this big (a huge listing); the client still gets an answer.
      server.log("connection #" + number + ": " + tooBig.getMessage());
      line =
          JsonLines.encode(
              Messages.error(
                  message.get("id"),
                  ErrorCode.INTERNAL,
                  "the reply would exceed the 1 MiB line limit",
                  null));
    }
    sendLine(line);
  }

  /** A session that was never started (the helper is shutting down): its connection goes. */
  void discardUnstarted() {
    end("the helper is shutting down", false);
    channel.release();
  }

  private void readLoop() {
    try {
      serveConnection();
    } finally {
      channel.release();
    }
  }

  private void serveConnection() {
    // Authenticate on the kernel's word before reading (let alone parsing) a single byte.
    Optional<String> refusal = server.auth().refusal(peer);
    if (refusal.isPresent()) {
      server.log("refused connection #" + number + " from " + peer + ": " + refusal.get());
      send(Messages.error(null, ErrorCode.FORBIDDEN, refusal.get(), null));
      endAfterFlush();
      return;
    }
    server.log("connection #" + number + " from " + peer);
    ServerConfig config = server.config();
    JsonLines.LineReader reader = new JsonLines.LineReader(new TimedReads());
    try {
      // Woken this often to check the hello and idle timeouts.
      channel.receiveTimeout(
          Math.min(10_000, Math.min(config.helloTimeoutMillis(), config.idleTimeoutMillis())));
      while (!ended.get()) {
        // Replies wait in the queue until the client reads them: a client that sends requests
        // without reading is slowed down here instead of piling replies up.
        outbox.awaitQueuedAtMost(Bounds.QUEUE_READ_PAUSE_BYTES);
        JsonLines.Line line = reader.next();
        if (line instanceof JsonLines.Line.Text text) {
          if (!text.text().isBlank()) {
            serve(text.text());
          }
        } else if (line instanceof JsonLines.Line.NotUtf8) {
          send(Messages.error(null, ErrorCode.MALFORMED_JSON, "line is not valid UTF-8", null));
        } else if (line instanceof JsonLines.Line.TooLong) {
          server.log("connection #" + number + " sent a line over 1 MiB; closing it");
          send(
              Messages.error(
                  null,
                  ErrorCode.LINE_TOO_LONG,
                  "line exceeds " + JsonLines.MAX_LINE_BYTES + " bytes; closing the connection",
                  null));
          endAfterFlush();
          abandonAttached();
          return;
        } else {
          // The client closed (or half-closed, like `printf … | socat`): replies already due are
          // still delivered, then the connection ends and its attached containers with it.
          server.log("connection #" + number + " (" + peer + ") closed: the client disconnected");
          endAfterFlush();
          abandonAttached();
          return;
        }
      }
    } catch (Expired e) {
      server.log("connection #" + number + " (" + peer + ") closed: " + e.getMessage());
      send(Messages.error(null, ErrorCode.LIMIT, e.getMessage(), null));
      endAfterFlush();
      abandonAttached();
    } catch (IOException e) {
      end("reading failed: " + e.getMessage(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      end("interrupted", true);
    } catch (RuntimeException e) {
      end("the helper failed serving it: " + e, true);
    }
  }

  /** The connection's reads, with its hello and idle deadlines checked whenever nothing came. */
  private final class TimedReads implements java.nio.channels.ReadableByteChannel {
    @Override
    public int read(ByteBuffer dst) throws IOException {
      while (true) {
        try {
          return channel.read(dst);
        } catch (UnixSockets.ReceiveTimeout t) {
          String why = expired();
          if (why != null) {
            throw new Expired(why);
          }
        }
      }
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() {
      channel.shutdown();
    }
  }

  /** A connection that ran out of time (PROTOCOL.md, rules 2 and 3). */
  private static final class Expired extends IOException {
    private static final long serialVersionUID = 1L;

    Expired(String why) {
      super(why);
    }
  }

  /** Why the connection should be closed now for lack of requests, or null. */
  private String expired() {
    ServerConfig config = server.config();
    long now = System.nanoTime();
    if (!helloDone) {
      long limit = config.helloTimeoutMillis();
      return now - acceptedNanos >= limit * 1_000_000
          ? "no hello within " + seconds(limit) + "; closing the connection"
          : null;
    }
    if (server.events().subscribed(this)) {
      // It waits for events (a subscription, a container it holds or follows): not idle.
      return null;
    }
    long limit = config.idleTimeoutMillis();
    return now - lastRequestNanos >= limit * 1_000_000
        ? "idle for "
            + seconds(limit)
            + " (no request, no subscription, no container held); closing the connection"
        : null;
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private void serve(String text) {
    lastRequestNanos = System.nanoTime();
    Request request;
    try {
      request = Request.parse(text);
    } catch (ProtocolException e) {
      send(Messages.error(e));
      return;
    }
    JsonNode id = request.id();
    if (!helloDone && request.op() != Op.HELLO) {
      send(
          Messages.error(
              id, ErrorCode.BAD_REQUEST, "the first request must be 'hello' (version 1)", null));
      return;
    }
    OpHandler handler = server.handler(request.op());
    if (handler == null) {
      send(
          Messages.error(
              id,
              ErrorCode.UNKNOWN_OP,
              "op '" + request.op().wireName() + "' is not served by this helper yet",
              null));
      return;
    }
    try {
      JsonNode result = handler.handle(this, request);
      if (request.op() == Op.HELLO) {
        helloDone = true;
      }
      send(Messages.ok(id, result));
    } catch (ProtocolException e) {
      send(Messages.error(id, e.code(), e.getMessage(), e.step(), e.container()));
    } catch (RuntimeException e) {
      server.log(
          "connection #"
              + number
              + ": '"
              + request.op().wireName()
              + "' failed inside the helper: "
              + e);
      send(
          Messages.error(
              id,
              ErrorCode.INTERNAL,
              "the helper failed while serving '"
                  + request.op().wireName()
                  + "': "
                  + e.getMessage()
                  + " (details in the helper's log)",
              null));
    }
  }

  private void writeLoop() {
    try {
      Outbox.Entry e;
      while ((e = outbox.take()) != null) {
        ByteBuffer b = ByteBuffer.wrap(e.line());
        while (b.hasRemaining()) {
          channel.write(b);
        }
        outbox.written(e);
      }
    } catch (IOException e) {
      end("writing failed: " + e.getMessage(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Everything due was sent (or the connection broke): the client sees the end of stream.
      channel.shutdown();
      channel.release();
    }
  }

  /** Sends what is queued (the error line), then closes: the writer closes the channel. */
  private void endAfterFlush() {
    if (ended.compareAndSet(false, true)) {
      server.events().forget(this);
      server.forget(this);
      outbox.close();
    }
  }

  /**
   * Ends the connection at once. {@code abandon}: the client went away, so containers it was
   * watching attached are killed and removed; a client dropped for being slow did not choose to
   * leave, and its containers keep running.
   */
  void end(String reason, boolean abandon) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    server.log("connection #" + number + " (" + peer + ") closed: " + reason);
    server.events().forget(this);
    server.forget(this);
    outbox.discard();
    closeChannel();
    if (abandon) {
      abandonAttached();
    }
  }

  private void abandonAttached() {
    for (String id : attached) {
      if (attached.remove(id)) {
        server.abandon(id);
      }
    }
  }

  /** Wakes the reader and the writer; the last of them to end closes the fd. */
  private void closeChannel() {
    channel.shutdown();
  }
}
