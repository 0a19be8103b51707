package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The undo stack: last in, first out; every undo runs; later failures are suppressed. */
class UndoTest {

  @Test
  void unwindsLastInFirstOut() {
    Undo undo = new Undo();
    List<String> ran = new ArrayList<>();
    undo.push("rmdir cgroup", () -> ran.add("rmdir cgroup"));
    undo.push("umount merged", () -> ran.add("umount merged"));
    undo.push("kill init", () -> ran.add("kill init"));

    assertNull(undo.unwind());
    assertEquals(List.of("kill init", "umount merged", "rmdir cgroup"), ran);
  }

  @Test
  void aFailureStopsNoLaterUndoAndTheFirstCarriesTheRest() {
    Undo undo = new Undo();
    List<String> ran = new ArrayList<>();
    IOException busy = new IOException("EBUSY");
    IllegalStateException gone = new IllegalStateException("ENOENT");
    undo.push("rmdir cgroup", () -> ran.add("rmdir cgroup"));
    undo.push(
        "rmdir upper",
        () -> {
          ran.add("rmdir upper");
          throw gone;
        });
    undo.push(
        "umount merged",
        () -> {
          ran.add("umount merged");
          throw busy;
        });

    Exception first = undo.unwind();

    assertEquals(List.of("umount merged", "rmdir upper", "rmdir cgroup"), ran);
    assertEquals("undo umount merged: EBUSY", first.getMessage());
    assertSame(busy, first.getCause());
    assertEquals(1, first.getSuppressed().length);
    assertEquals("undo rmdir upper: ENOENT", first.getSuppressed()[0].getMessage());
    assertSame(gone, first.getSuppressed()[0].getCause());
  }

  @Test
  void anExceptionWithoutMessageIsNamedByItsClass() {
    Undo undo = new Undo();
    undo.push(
        "close pty",
        () -> {
          throw new IOException();
        });
    assertEquals("undo close pty: IOException", undo.unwind().getMessage());
  }

  @Test
  void unwindingTwiceRunsEachUndoOnce() {
    Undo undo = new Undo();
    List<String> ran = new ArrayList<>();
    undo.push("rmdir", () -> ran.add("rmdir"));
    undo.unwind();
    assertNull(undo.unwind());
    assertEquals(List.of("rmdir"), ran);
  }
}
