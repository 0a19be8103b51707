package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamespacesTest {

  @TempDir Path tmp;

  @Test
  void parsesNsfsLinks() {
    assertEquals(OptionalLong.of(4026531840L), Namespaces.parseLink("mnt:[4026531840]"));
    assertEquals(OptionalLong.of(7L), Namespaces.parseLink("pid_for_children:[7]"));
    assertTrue(Namespaces.parseLink("mnt:4026531840").isEmpty());
    assertTrue(Namespaces.parseLink("mnt:[x]").isEmpty());
  }

  @Test
  void comparesWithTheHostTypeByType() throws Exception {
    FakeProc p = new FakeProc(tmp);
    p.process(1, FakeProc.ns(100));
    Map<String, Long> mine = new HashMap<>(FakeProc.ns(200));
    mine.put("user", 106L);
    mine.put("time", 107L);
    mine.put("time_for_children", 107L);
    p.process(42, mine);
    Map<String, Namespaces.Comparison> c =
        Namespaces.read(p.fs, 42).compareWith(Namespaces.read(p.fs, 1));
    assertEquals(Namespaces.TYPES, List.copyOf(c.keySet()));
    c.forEach(
        (type, cmp) ->
            assertEquals(type.equals("user") || type.startsWith("time"), cmp.sameAsHost(), type));
    assertEquals(203L, c.get("pid_for_children").inode());
  }

  @Test
  void aKernelWithoutTimeNamespacesSimplyLacksThatType() throws Exception {
    FakeProc p = new FakeProc(tmp);
    p.process(5, Map.of("mnt", 1L, "uts", 2L));
    Namespaces n = Namespaces.read(p.fs, 5);
    assertEquals(Map.of("mnt", 1L, "uts", 2L), n.inodes());
    assertFalse(n.inodes().containsKey("time"));
  }

  @Test
  void aMissingProcessIsGone() throws IOException {
    FakeProc p = new FakeProc(tmp);
    ProcessGoneException e =
        assertThrows(ProcessGoneException.class, () -> Namespaces.read(p.fs, 77));
    assertEquals(77, e.pid());
    assertThrows(ProcessGoneException.class, () -> ProcessReader.read(p.fs, 77));
  }
}
