package org.glasshouse.helper.server;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the server knows about containers beyond the runtime: when they were created, started and
 * finished (for {@code ps}), and which names are taken or being taken by a start in progress.
 */
final class ContainerTable {

  /** Timestamps of one container; written by runtime threads, read by {@code ps}. */
  static final class Times {
    final Instant createdAt = Instant.now();
    volatile Instant startedAt;
    volatile Instant finishedAt;
  }

  private final Map<String, Times> times = new ConcurrentHashMap<>();
  private final Map<String, String> reservedNames = new ConcurrentHashMap<>();

  Times create(String id) {
    Times t = new Times();
    times.put(id, t);
    return t;
  }

  Times times(String id) {
    return times.get(id);
  }

  void forget(String id) {
    times.remove(id);
    reservedNames.values().removeIf(id::equals);
  }

  /** Reserves a name for a container id; false when another container holds it. */
  boolean reserve(String name, String id) {
    return reservedNames.putIfAbsent(name, id) == null;
  }

  void release(String name) {
    reservedNames.remove(name);
  }
}
