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

  @Test
  void resetProgressForgetsMarksOutcomesAndTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p");
    LevelsViewModel vm = new LevelsViewModel(same, same, new ProgressStore(file));
    vm.markPassed(3);
    vm.select(3);
    vm.record(new CheckOutcome(3, "c1", true, java.util.List.of("fact"), null));
    assertEquals(3, vm.outcomeProperty().get().level());
    vm.resetProgress();
    assertTrue(vm.passed().isEmpty());
    assertEquals(null, vm.outcomeProperty().get());
    assertTrue(new ProgressStore(file).load().isEmpty(), "saved as no progress");
  }

  @Test
  void hintsComeOneByOneUpToTheAnswerAndStartAgainAfterACheck(@TempDir Path dir) {
    LevelsViewModel vm = new LevelsViewModel(same, same, new ProgressStore(dir.resolve("p")));
    vm.select(2);
    int n = vm.guideProperty().get().hints().size();
    assertEquals(3, n, "first hint, second hint, the answer");
    for (int i = 0; i < n + 2; i++) {
      vm.revealHint();
    }
    assertEquals(n, vm.hintsShownProperty().get());
    vm.record(CheckOutcome.nothingToCheck(2, "none"));
    assertEquals(0, vm.hintsShownProperty().get());
  }

  @Test
  void everyGuideHasThreeHints() {
    for (Level l : Levels.ALL) {
      assertEquals(3, LevelsViewModel.readGuide(l).hints().size(), l.guideResource());
    }
  }
}
