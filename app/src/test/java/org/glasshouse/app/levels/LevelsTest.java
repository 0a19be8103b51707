package org.glasshouse.app.levels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.glasshouse.protocol.Feature;
import org.junit.jupiter.api.Test;

/** The app's level list and the helper's level table ({@link Feature#upTo}) are one list. */
class LevelsTest {

  @Test
  void oneLevelPerNumberUpToTheHelpersHighest() {
    assertEquals(Feature.MAX_LEVEL + 1, Levels.ALL.size());
    for (int n = 0; n < Levels.ALL.size(); n++) {
      assertEquals(n, Levels.get(n).number());
    }
  }

  @Test
  void eachLevelAfterZeroIntroducesAFeatureOfTheHelper() {
    for (Level l : Levels.ALL) {
      if (l.number() == 0) {
        assertTrue(Feature.upTo(0).isEmpty());
        continue;
      }
      Set<Feature> before = Feature.upTo(l.number() - 1);
      Set<Feature> now = Feature.upTo(l.number());
      assertTrue(now.containsAll(before), l.slug());
      assertFalse(before.containsAll(now), l.slug() + " adds nothing in the helper");
    }
    assertTrue(Feature.upTo(13).contains(Feature.SECCOMP));
    assertEquals("seccomp", Levels.get(13).slug());
  }
}
