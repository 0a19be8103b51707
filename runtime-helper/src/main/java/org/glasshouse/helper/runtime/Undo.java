package org.glasshouse.helper.runtime;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The undo stack of a container: every step that changed the machine registers how to take it back
 * (umount, rmdir a cgroup, kill, delete a directory). Unwinding runs them last-in-first-out; the
 * first failure is returned with later ones attached via {@code addSuppressed}, and every undo runs
 * even when an earlier one failed. Thread-safe.
 */
final class Undo {

  /** One way to take a step back. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  private record Entry(String what, Action action) {}

  private final Deque<Entry> stack = new ArrayDeque<>();

  /** Registers {@code action}, described as {@code what} in errors. */
  synchronized void push(String what, Action action) {
    stack.push(new Entry(what, action));
  }

  /** Runs every registered undo, newest first; returns the first failure or null. */
  Exception unwind() {
    Exception first = null;
    while (true) {
      Entry e;
      synchronized (this) {
        e = stack.poll();
      }
      if (e == null) {
        return first;
      }
      try {
        e.action().run();
      } catch (Exception ex) {
        Exception wrapped = new Exception("undo " + e.what() + ": " + describe(ex), ex);
        if (first == null) {
          first = wrapped;
        } else {
          first.addSuppressed(wrapped);
        }
      }
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
