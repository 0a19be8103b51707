package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private final SocketChannel channel;
  private final Peer peer;
  private final HelperServer server;
  private final Outbox outbox;
  private final Set<String> attached = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean helloDone;

  Session(long number, SocketChannel channel, Peer peer, HelperServer server, long outboxBytes) {
    this.number = number;
    this.channel = channel;
    this.peer = peer;
    this.server = server;
    this.outbox = new Outbox(outboxBytes);
  }

  void start() {
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
  public long subscribe(Set<String> containers, Set<Topic> topics, int intervalMs) {
    return server.events().subscribe(this, containers, topics, intervalMs);
  }

  /** Marks a container as watched by this connection: it dies with the connection. */
  void attach(String containerId) {
    attached.add(containerId);
  }

  /** Unsubscribes one of this connection's subscriptions. */
  boolean unsubscribe(long id) {
    return server.events().unsubscribe(this, id);
  }

  /** Queues an encoded line; a client too slow to take it is dropped, never waited for. */
  void sendLine(byte[] line) {
    if (!outbox.offer(line) && !ended.get()) {
      end(
          "it fell behind: "
              + (outbox.queuedBytes() >> 20)
              + " MiB of replies and events were waiting; its containers keep running",
          false);
    }
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

  private void readLoop() {
    // Authenticate on the kernel's word before reading (let alone parsing) a single byte.
    Optional<String> refusal = server.auth().refusal(peer);
    if (refusal.isPresent()) {
      server.log("refused connection #" + number + " from " + peer + ": " + refusal.get());
      send(Messages.error(null, ErrorCode.FORBIDDEN, refusal.get(), null));
      endAfterFlush();
      return;
    }
    server.log("connection #" + number + " from " + peer);
    JsonLines.LineReader reader = new JsonLines.LineReader(channel);
    try {
      while (!ended.get()) {
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
    } catch (IOException e) {
      end("reading failed: " + e.getMessage(), true);
    } catch (RuntimeException e) {
      end("the helper failed serving it: " + e, true);
    }
  }

  private void serve(String text) {
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
      send(Messages.error(id, e.code(), e.getMessage(), e.step()));
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
      byte[] line;
      while ((line = outbox.take()) != null) {
        ByteBuffer b = ByteBuffer.wrap(line);
        while (b.hasRemaining()) {
          channel.write(b);
        }
      }
    } catch (IOException e) {
      end("writing failed: " + e.getMessage(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeChannel();
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

  private void closeChannel() {
    try {
      channel.close();
    } catch (IOException e) {
      server.log("connection #" + number + ": closing failed: " + e.getMessage());
    }
  }
}
