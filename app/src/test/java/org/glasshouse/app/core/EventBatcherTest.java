package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class EventBatcherTest {
  @Test
  void itemsAddedWhileAHandOverIsPendingJoinIt() {
    Queue<Runnable> ui = new ArrayDeque<>();
    List<List<Integer>> batches = new ArrayList<>();
    EventBatcher<Integer> b = new EventBatcher<>(ui::add, batches::add);
    b.add(1);
    b.add(2);
    b.add(3);
    assertEquals(1, ui.size(), "one hand-over for three items");
    ui.poll().run();
    b.add(4);
    ui.poll().run();
    assertEquals(List.of(List.of(1, 2, 3), List.of(4)), batches);
  }
}
