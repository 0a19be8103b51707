package org.glasshouse.app.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;

/**
 * What the glass house and the charts show with "Every running container" unticked: the selected
 * container, and with none selected, the newest running one rather than nothing (issue #9: two
 * containers started from the command line left the house saying "No container yet").
 */
class CompareSelectionTest {
  private final ObservableList<ContainerItem> list = FXCollections.observableArrayList();
  private final SimpleObjectProperty<ContainerItem> selected = new SimpleObjectProperty<>();
  private final CompareSelection compare = new CompareSelection(list, selected);

  private ContainerItem running(String id) {
    ContainerItem i = new ContainerItem(id);
    i.started(4000 + list.size());
    list.add(0, i); // new ones first, as the app's list
    return i;
  }

  private List<String> shown() {
    return compare.shown().stream().map(ContainerItem::id).toList();
  }

  @Test
  void withNothingSelectedOrTickedTheNewestRunningContainerStandsIn() {
    running("older");
    running("newer");
    compare.allRunningProperty().set(false);
    assertEquals(List.of("newer"), shown(), "not an empty house while two run");
    assertEquals("newer", compare.standIn().id());
  }

  @Test
  void aSelectionOrATickedContainerLeavesNoStandIn() {
    ContainerItem older = running("older");
    running("newer");
    compare.allRunningProperty().set(false);
    compare.ticked().add("older");
    assertEquals(List.of("older"), shown());
    assertNull(compare.standIn());
    compare.ticked().clear();
    selected.set(older);
    assertEquals(List.of("older"), shown());
    assertNull(compare.standIn());
  }

  @Test
  void tickingAnotherKeepsTheStandInShownBesideIt() {
    running("older");
    running("newer");
    running("newest");
    compare.allRunningProperty().set(false);
    compare.show("older", true);
    assertEquals(List.of("newest", "older"), shown(), "the one on show stays, the ticked joins");
  }

  @Test
  void anExitedContainerDoesNotStandIn() {
    ContainerItem only = running("only");
    only.exited(0, null, false);
    compare.allRunningProperty().set(false);
    assertEquals(List.of(), shown());
    assertNull(compare.standIn());
  }
}
