package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.inspect.NamespacesEvent;
import org.junit.jupiter.api.Test;

/** The change detection behind the {@code namespaces} topic, over two readings. */
class NamespaceChangesTest {

  private static Map<String, Long> ns(long base) {
    return FakeProc.ns(base);
  }

  @Test
  void theSameReadingIsNoChangeWhateverTheMapOrder() {
    Map<Long, Map<String, Long>> a = Map.of(10L, ns(100), 11L, ns(100));
    Map<Long, Map<String, Long>> b = new HashMap<>();
    b.put(11L, new HashMap<>(ns(100)));
    b.put(10L, new HashMap<>(ns(100)));
    assertTrue(NamespaceChanges.between(a, b).isEmpty());
  }

  @Test
  void aFirstReadingAddsEveryProcessInPidOrder() {
    NamespaceChanges d = NamespaceChanges.between(Map.of(), Map.of(12L, ns(1), 3L, ns(1)));
    assertEquals(List.of(3L, 12L), d.added());
    assertEquals(List.of(), d.removed());
    assertEquals(List.of(), d.changed());
    assertFalse(d.isEmpty());
  }

  @Test
  void reportsProcessesThatCameAndWentAndEachNamespaceThatMovedInTypeOrder() {
    Map<String, Long> moved = new HashMap<>(ns(100));
    moved.put("uts", 901L);
    moved.put("mnt", 900L);
    moved.remove("time");
    NamespaceChanges d =
        NamespaceChanges.between(
            Map.of(1L, ns(100), 2L, ns(100), 3L, ns(100)),
            Map.of(1L, ns(100), 3L, moved, 4L, ns(100)));
    assertEquals(List.of(4L), d.added());
    assertEquals(List.of(2L), d.removed());
    assertEquals(
        List.of(
            new NamespacesEvent.Change(3, "mnt", 100L, 900L),
            new NamespacesEvent.Change(3, "uts", 101L, 901L),
            new NamespacesEvent.Change(3, "time", 107L, null)),
        d.changed());
  }
}
