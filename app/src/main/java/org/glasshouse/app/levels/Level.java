package org.glasshouse.app.levels;

import java.util.List;
import java.util.function.Predicate;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.inspect.InspectResult;

/**
 * One level of the lab.
 *
 * @param number 0..13
 * @param slug file-name part of its guide ({@code uts})
 * @param title short title for the list
 * @param check how the app proves the level works against a live container
 */
public record Level(int number, String slug, String title, Check check) {

  /** The guide's resource path inside the app jar ({@code /assets/levels/05-uts.md}). */
  public String guideResource() {
    return String.format("/assets/levels/%02d-%s.md", number, slug);
  }

  /** "05" */
  public String code() {
    return String.format("%02d", number);
  }

  /**
   * The level's check: a command run in a fresh container of that level, and what its output or
   * exit status must show.
   *
   * @param argv the command
   * @param limits limits the check needs (pids for the fork bomb), or null
   * @param user user to run as, or null
   * @param expectation what must hold of the command's outcome
   * @param description the check in words, for the guide pane
   * @param inside what must hold of the running container as the helper inspects it (its cgroup
   *     limits), or null
   */
  public record Check(
      List<String> argv,
      Limits limits,
      String user,
      Expectation expectation,
      String description,
      Predicate<InspectResult> inside) {

    /** A check on the command's outcome alone. */
    public Check(
        List<String> argv,
        Limits limits,
        String user,
        Expectation expectation,
        String description) {
      this(argv, limits, user, expectation, description, null);
    }
  }

  /** What a check's outcome must satisfy. */
  @FunctionalInterface
  public interface Expectation {
    /**
     * @param container the container id
     * @param exitCode exit code, or null when killed by a signal
     * @param output everything the command wrote
     */
    boolean holds(String container, Integer exitCode, String output);
  }
}
