package org.glasshouse.helper.server;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the server knows about containers beyond the runtime: when they were created, started and
 * finished (for {@code ps}), their output logs (for {@code logs}), and which names are taken or
 * being taken by a start in progress. It also enforces {@link Bounds#MAX_CONTAINERS}: an entry
 * lives from the start of a run or exec until the container's removal.
 */
final class ContainerTable {

  /** One container: timestamps written by runtime threads, read by {@code ps}; its log. */
  static final class Entry {
    final Instant createdAt = Instant.now();
    final OutputLog log = new OutputLog(Bounds.LOG_BYTES);
    volatile Instant startedAt;
    volatile Instant finishedAt;

    /** For an exec: the container it runs in (ps lists it there); null for a container. */
    volatile String execOf;
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, String> reservedNames = new ConcurrentHashMap<>();

  /** A new entry, or null when {@link Bounds#MAX_CONTAINERS} containers exist already. */
  synchronized Entry create(String id) {
    if (entries.size() >= Bounds.MAX_CONTAINERS) {
      return null;
    }
    Entry e = new Entry();
    entries.put(id, e);
    return e;
  }

  Entry entry(String id) {
    return entries.get(id);
  }

  synchronized void forget(String id) {
    entries.remove(id);
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
