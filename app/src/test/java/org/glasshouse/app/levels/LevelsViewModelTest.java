package org.glasshouse.app.levels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LevelsViewModelTest {
  private final Executor same = Runnable::run;

  @Test
  void nextAndPreviousStopAtTheEnds(@TempDir Path dir) {
    LevelsViewModel vm = new LevelsViewModel(same, same, new ProgressStore(dir.resolve("p")));
    vm.previous();
    assertEquals(0, vm.selected().number());
    vm.select(13);
    vm.next();
    assertEquals(13, vm.selected().number());
    vm.previous();
    assertEquals(12, vm.selected().number());
  }

  @Test
  void selectingALevelLoadsItsGuide(@TempDir Path dir) {
    LevelsViewModel vm = new LevelsViewModel(same, same, new ProgressStore(dir.resolve("p")));
    vm.select(5);
    Guide.Heading h = (Guide.Heading) vm.guideProperty().get().blocks().get(0);
    assertEquals("05 · UTS namespace", h.text());
  }

  @Test
  void passedLevelsAreSavedAndLoaded(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("glasshouse/progress");
    LevelsViewModel vm = new LevelsViewModel(same, same, new ProgressStore(file));
    vm.markPassed(5);
    vm.markPassed(2);
    assertEquals("2\n5\n", Files.readString(file));
    LevelsViewModel again = new LevelsViewModel(same, same, new ProgressStore(file));
    assertEquals(Set.of(2, 5), again.passed());
  }

  @Test
  void aBrokenProgressFileIsNoProgress(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("progress");
    Files.writeString(file, "garbage\n7\n");
    assertTrue(new ProgressStore(file).load().contains(7));
    assertEquals(1, new ProgressStore(file).load().size());
  }
}
