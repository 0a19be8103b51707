package org.glasshouse.app.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a tab's view-model hears of the container it shows and of being on show. */
class ShownContainerTest {
  private final List<String> heard = new ArrayList<>();
  private ShownContainer shown;

  private void record() {
    heard.add((shown.active() ? "on" : "off") + " " + shown.liveId());
  }

  @Test
  void itHearsTheTabTheContainerAndItsStateButNeverTheSameTwice() {
    shown = new ShownContainer(this::record);
    ContainerItem a = new ContainerItem("aaaa");
    ContainerItem b = new ContainerItem("bbbb");
    shown.setActive(true);
    shown.setActive(true);
    shown.show(a);
    shown.show(a);
    a.started(42);
    shown.show(b);
    a.exited(0, null, false);
    b.started(43);
    shown.setActive(false);
    b.exited(1, null, false);
    shown.show(null);
    assertEquals(
        List.of(
            "on null", // the tab comes on show, nothing selected
            "on null", // a: starting, no process yet
            "on aaaa", // a runs
            "on null", // b, starting
            "on bbbb", // b runs (a's exit is no longer heard)
            "off bbbb", // the tab is put away
            "off null", // b exits
            "off null"), // nothing shown
        heard);
    assertNull(shown.item());
  }
}
