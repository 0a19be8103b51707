package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.glasshouse.protocol.EventType;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.Topic;

/**
 * Fans events out to the connections subscribed to them. Publishing never blocks: each event is
 * encoded once and offered to each matching connection's bounded outbox.
 *
 * <p>This is also where inspection plugs in its event streams: it calls {@link #serve(Topic)} for
 * {@code telemetry} / {@code mounts} once it can produce them, asks {@link #wanted(Topic, String)}
 * and {@link #intervalMs(Topic, String)} to sample only what someone watches, and {@link
 * #publish}es the events.
 */
public final class EventHub {

  /**
   * One subscription of one connection.
   *
   * @param containers container ids, or null for every container
   * @param internal made by the helper for the connection (an attached run or exec), not asked for:
   *     not counted against the connection's limit
   */
  record Subscription(
      long id,
      Session session,
      Set<String> containers,
      Set<Topic> topics,
      int intervalMs,
      boolean internal) {
    boolean matches(Topic topic, String container) {
      // The host's events go only to those who asked for them by name: a subscription to every
      // container did not ask for the host's whole mount table.
      return topics.contains(topic)
          && (containers == null ? !HOST.equals(container) : containers.contains(container));
    }
  }

  /**
   * The pseudo-container id of the host's own mount table on the {@code mounts} topic (container
   * ids are 12 hex digits, so it never names a container).
   */
  public static final String HOST = "host";

  /** A connection asked for more subscriptions than {@link Bounds#MAX_SUBSCRIPTIONS}. */
  static final class TooManySubscriptions extends Exception {
    private static final long serialVersionUID = 1L;
  }

  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final Map<Topic, AtomicLong> generations = new ConcurrentHashMap<>();
  private final Set<Topic> served = EnumSet.of(Topic.LIFECYCLE, Topic.OUTPUT, Topic.STEPS);

  /** Declares that events of this topic are produced, so clients may subscribe to it. */
  public synchronized void serve(Topic topic) {
    served.add(topic);
  }

  /** Topics clients may subscribe to. */
  public synchronized Set<Topic> served() {
    return EnumSet.copyOf(served);
  }

  /** Whether any connection wants events of this topic for this container. */
  public boolean wanted(Topic topic, String container) {
    for (Subscription s : subscriptions) {
      if (s.matches(topic, container)) {
        return true;
      }
    }
    return false;
  }

  /** The shortest interval asked for this topic and container, or 0 when nobody asked. */
  public int intervalMs(Topic topic, String container) {
    int min = 0;
    for (Subscription s : subscriptions) {
      if (s.matches(topic, container) && (min == 0 || s.intervalMs() < min)) {
        min = s.intervalMs();
      }
    }
    return min;
  }

  /**
   * Sends an event to every connection subscribed to its topic and container (once per connection,
   * however many of its subscriptions match).
   */
  public void publish(EventType type, String container, ObjectNode event) {
    publish(type, container, () -> JsonLines.encode(event));
  }

  /**
   * As {@link #publish(EventType, String, ObjectNode)} for an event already written as its line
   * (newline included), which {@code line} gives when some connection wants it.
   */
  public void publish(EventType type, String container, Supplier<byte[]> line) {
    byte[] bytes = null;
    Set<Session> delivered = null;
    for (Subscription s : subscriptions) {
      if (s.matches(type.topic(), container)) {
        if (bytes == null) {
          bytes = line.get();
          delivered = Collections.newSetFromMap(new IdentityHashMap<>());
        }
        if (delivered.add(s.session())) {
          s.session().sendLine(bytes);
        }
      }
    }
  }

  /**
   * Sends a chunk of a container's output: appends it to the container's log and offers it to every
   * connection that follows the container (once per connection), except {@code holder}, which the
   * caller has given it already. Both happen under the log's monitor, so a {@code logs} snapshot
   * taken under it is followed by exactly the chunks after it.
   */
  void publishOutput(OutputLog log, String container, String stream, byte[] data, Session holder) {
    synchronized (log) {
      log.append(stream, data);
      byte[][] whole = new byte[1][];
      Set<Session> delivered = null;
      for (Subscription s : subscriptions) {
        if (s.session() != holder && s.matches(Topic.OUTPUT, container)) {
          if (delivered == null) {
            delivered = Collections.newSetFromMap(new IdentityHashMap<>());
          }
          if (delivered.add(s.session())) {
            s.session()
                .offerFollowed(
                    container,
                    stream,
                    data,
                    () -> {
                      if (whole[0] == null) {
                        whole[0] = OutputLines.line(container, stream, data, 0, data.length, 0);
                      }
                      return whole[0];
                    });
          }
        }
      }
    }
  }

  long subscribe(
      Session session, Set<String> containers, Set<Topic> topics, int intervalMs, boolean internal)
      throws TooManySubscriptions {
    if (!internal) {
      synchronized (this) {
        long held =
            subscriptions.stream().filter(s -> s.session() == session && !s.internal()).count();
        if (held >= Bounds.MAX_SUBSCRIPTIONS) {
          throw new TooManySubscriptions();
        }
        return add(session, containers, topics, intervalMs, false);
      }
    }
    return add(session, containers, topics, intervalMs, true);
  }

  private long add(
      Session session,
      Set<String> containers,
      Set<Topic> topics,
      int intervalMs,
      boolean internal) {
    long id = nextId.getAndIncrement();
    subscriptions.add(
        new Subscription(
            id,
            session,
            containers == null ? null : Set.copyOf(containers),
            topics,
            intervalMs,
            internal));
    for (Topic t : topics) {
      generations.computeIfAbsent(t, k -> new AtomicLong()).incrementAndGet();
    }
    return id;
  }

  /**
   * A container is gone (its {@code removed} has been published): subscriptions naming it no longer
   * do, and one that named only gone containers ends.
   */
  void containerRemoved(String container) {
    for (Subscription s : subscriptions) {
      if (s.containers() != null && s.containers().contains(container)) {
        Set<String> rest = new java.util.HashSet<>(s.containers());
        rest.remove(container);
        subscriptions.remove(s);
        if (!rest.isEmpty()) {
          subscriptions.add(
              new Subscription(
                  s.id(), s.session(), Set.copyOf(rest), s.topics(), s.intervalMs(), s.internal()));
        }
      }
    }
  }

  /** Whether the connection has a subscription (of its own or for a container it attached). */
  boolean subscribed(Session session) {
    for (Subscription s : subscriptions) {
      if (s.session() == session) {
        return true;
      }
    }
    return false;
  }

  /**
   * How many subscriptions to {@code topic} were made so far: a producer of change events that sees
   * it grow sends its next events in full, so the new subscriber starts from the whole picture.
   */
  public long generation(Topic topic) {
    AtomicLong g = generations.get(topic);
    return g == null ? 0 : g.get();
  }

  boolean unsubscribe(Session session, long id) {
    return subscriptions.removeIf(s -> s.id() == id && s.session() == session);
  }

  void forget(Session session) {
    subscriptions.removeIf(s -> s.session() == session);
  }
}
