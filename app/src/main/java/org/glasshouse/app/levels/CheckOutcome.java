package org.glasshouse.app.levels;

import java.util.List;

/**
 * The result of a level check: which container it looked at, the facts it verified, and — when it
 * failed — what it found instead of the fact it needed.
 *
 * @param level the level checked
 * @param container the container checked, or null when there was none to check
 * @param passed whether every fact held
 * @param facts the facts verified, in the order checked
 * @param foundInstead what was found instead of the missing fact, or null when passed
 */
public record CheckOutcome(
    int level, String container, boolean passed, List<String> facts, String foundInstead) {

  public CheckOutcome {
    facts = List.copyOf(facts);
  }

  /** A check that could not look at a container at all. */
  public static CheckOutcome nothingToCheck(int level, String why) {
    return new CheckOutcome(level, null, false, List.of(), why);
  }

  /** The outcome in words, for the guide pane. */
  public String text() {
    String code = String.format("%02d", level);
    String who = container == null ? "" : " (container " + shortId(container) + ")";
    StringBuilder sb = new StringBuilder();
    sb.append(passed ? "Level " + code + " done" : "Level " + code + " not yet").append(who);
    sb.append(passed ? ". Verified:" : ".");
    for (String f : facts) {
      sb.append("\n✓ ").append(f);
    }
    if (!passed) {
      sb.append("\n✗ ").append(foundInstead);
    }
    return sb.toString();
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
