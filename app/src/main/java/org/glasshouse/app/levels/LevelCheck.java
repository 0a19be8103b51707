package org.glasshouse.app.levels;

/**
 * A level's check: facts about the student's own container, read from the kernel through the
 * helper, each stated when verified; the first that does not hold says what was found instead.
 *
 * @param description what passes, in words ("the container has a mount namespace of its own…")
 * @param rule the facts, in order
 */
public record LevelCheck(String description, Rule rule) {

  /** The facts of one level. */
  @FunctionalInterface
  public interface Rule {
    void apply(Evidence e, Facts f);
  }

  /** Runs the rule on the evidence. */
  public CheckOutcome apply(int level, Evidence e) {
    Facts f = new Facts();
    rule.apply(e, f);
    return f.outcome(level, e.container());
  }
}
