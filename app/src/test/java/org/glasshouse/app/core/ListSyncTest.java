package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;

class ListSyncTest {

  @Test
  void keptElementsAreNeverRemovedEvenForAnInstant() {
    ObservableList<String> have = FXCollections.observableArrayList("a", "b", "c", "d");
    List<String> removed = new ArrayList<>();
    have.addListener(
        (ListChangeListener<String>)
            c -> {
              while (c.next()) {
                removed.addAll(c.getRemoved());
              }
            });
    ListSync.sync(have, List.of("x", "a", "c", "y", "d", "z"));
    assertEquals(List.of("x", "a", "c", "y", "d", "z"), have);
    assertEquals(List.of("b"), removed);
  }

  @Test
  void nothingToDoChangesNothingAndAnotherOrderRebuilds() {
    ObservableList<String> have = FXCollections.observableArrayList("a", "b");
    assertFalse(ListSync.sync(have, List.of("a", "b")));
    ListSync.sync(have, List.of("b", "a"));
    assertEquals(List.of("b", "a"), have);
    ListSync.sync(have, List.of());
    assertEquals(List.of(), have);
  }
}
