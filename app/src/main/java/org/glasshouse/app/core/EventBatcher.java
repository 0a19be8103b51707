package org.glasshouse.app.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Collects items produced on background threads and hands them to a consumer on the UI executor in
 * batches: while one hand-over is pending, new items join it instead of scheduling another. Twenty
 * containers streaming output therefore cost one FX pulse per frame, not one per chunk.
 *
 * @param <T> item type
 */
public final class EventBatcher<T> {
  private final Executor ui;
  private final Consumer<List<T>> consumer;
  private final Object lock = new Object();
  private List<T> pending = new ArrayList<>();
  private boolean scheduled;

  public EventBatcher(Executor ui, Consumer<List<T>> consumer) {
    this.ui = ui;
    this.consumer = consumer;
  }

  /** Adds an item; callable from any thread. */
  public void add(T item) {
    boolean schedule;
    synchronized (lock) {
      pending.add(item);
      schedule = !scheduled;
      scheduled = true;
    }
    if (schedule) {
      ui.execute(this::flush);
    }
  }

  private void flush() {
    List<T> batch;
    synchronized (lock) {
      batch = pending;
      pending = new ArrayList<>();
      scheduled = false;
    }
    consumer.accept(batch);
  }
}
