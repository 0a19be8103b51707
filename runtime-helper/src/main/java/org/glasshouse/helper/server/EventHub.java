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
   */
  record Subscription(
      long id, Session session, Set<String> containers, Set<Topic> topics, int intervalMs) {
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
    byte[] line = null;
    Set<Session> delivered = null;
    for (Subscription s : subscriptions) {
      if (s.matches(type.topic(), container)) {
        if (line == null) {
          line = JsonLines.encode(event);
          delivered = Collections.newSetFromMap(new IdentityHashMap<>());
        }
        if (delivered.add(s.session())) {
          s.session().sendLine(line);
        }
      }
    }
  }

  long subscribe(Session session, Set<String> containers, Set<Topic> topics, int intervalMs) {
    long id = nextId.getAndIncrement();
    subscriptions.add(new Subscription(id, session, containers, topics, intervalMs));
    for (Topic t : topics) {
      generations.computeIfAbsent(t, k -> new AtomicLong()).incrementAndGet();
    }
    return id;
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
