package org.glasshouse.helper.server;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.glasshouse.helper.linux.UserDatabase;

/**
 * The user database as the server asks it: by number. A peer is known by the uid and gid {@code
 * SO_PEERCRED} gave; its supplementary groups come from the C library ({@link UserDatabase}: NSS
 * sources count, no process is spawned) and are cached per uid for {@link #CACHE_MILLIS}, so a
 * burst of connections costs one lookup, and a change of membership counts within a minute.
 */
public class UserDb {

  /** How long a uid's groups are trusted before they are looked up again. */
  static final long CACHE_MILLIS = 60_000;

  /** At most this many uids are remembered (one per local user at most, in practice). */
  static final int CACHE_ENTRIES = 1024;

  private record Cached(Set<Integer> groups, long atMillis) {}

  private final Map<Integer, Cached> cache = new ConcurrentHashMap<>();
  private volatile UserDatabase db;

  private UserDatabase db() {
    UserDatabase d = db;
    if (d == null) {
      d = new UserDatabase();
      db = d;
    }
    return d;
  }

  /** Every group of a uid (primary and supplementary); empty when the database lacks the uid. */
  public Set<Integer> groupsOf(int uid) {
    long now = System.currentTimeMillis();
    Cached c = cache.get(uid);
    if (c != null && now - c.atMillis() < CACHE_MILLIS) {
      return c.groups();
    }
    Set<Integer> groups =
        IntStream.of(db().groupsOf(uid)).boxed().collect(Collectors.toUnmodifiableSet());
    if (cache.size() >= CACHE_ENTRIES) {
      cache.clear();
    }
    cache.put(uid, new Cached(groups, now));
    return groups;
  }

  /** The primary gid of a uid. */
  public Optional<Integer> primaryGid(int uid) {
    return db().primaryGid(uid);
  }

  /** The gid of a group name, or of a decimal string. */
  public Optional<Integer> gid(String group) {
    if (group.matches("[0-9]{1,10}")) {
      long g = Long.parseLong(group);
      return g <= 0xffff_fffeL ? Optional.of((int) g) : Optional.empty();
    }
    return db().gidOf(group);
  }
}
