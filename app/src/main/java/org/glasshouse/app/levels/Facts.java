package org.glasshouse.app.levels;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects a check's facts in order; the first one that does not hold ends the check with what was
 * found instead (later facts are not even looked at, so a message never mixes two lessons).
 */
public final class Facts {
  private final List<String> verified = new ArrayList<>();
  private String instead;

  /**
   * @param holds whether the fact holds
   * @param fact the fact in words, as verified
   * @param otherwise what was found instead, in words
   * @return whether the check goes on
   */
  public boolean require(boolean holds, Supplier<String> fact, Supplier<String> otherwise) {
    if (instead != null) {
      return false;
    }
    if (holds) {
      verified.add(fact.get());
    } else {
      instead = otherwise.get();
    }
    return holds;
  }

  boolean failed() {
    return instead != null;
  }

  CheckOutcome outcome(int level, String container) {
    return new CheckOutcome(level, container, instead == null, verified, instead);
  }
}
