package org.glasshouse.helper.server;

import java.security.SecureRandom;
import java.util.List;
import java.util.function.Predicate;

/**
 * Names for containers started without one, docker's way ({@code brave_otter}): a class can say
 * "the otter" instead of reading twelve hex digits off a projector. Words from the lab's own
 * vocabulary; a name already taken is never given.
 */
final class Names {

  private static final List<String> ADJECTIVES =
      List.of(
          "amber", "brave", "calm", "clever", "dusty", "eager", "fancy", "gentle", "happy", "jolly",
          "keen", "lucky", "merry", "nimble", "proud", "quick", "quiet", "rusty", "shy", "sleepy",
          "sunny", "swift", "tidy", "witty");

  private static final List<String> NOUNS =
      List.of(
          "badger", "beetle", "crane", "falcon", "fern", "gecko", "heron", "ibis", "koala", "lemur",
          "lynx", "marten", "moth", "newt", "orchid", "otter", "panda", "puffin", "quail", "raven",
          "tulip", "walrus", "wren", "yak");

  private static final SecureRandom RANDOM = new SecureRandom();

  private Names() {}

  /**
   * A free name: {@code adjective_noun}, or with the id appended when a few draws were all taken.
   *
   * @param taken whether a name is in use (and, when not, takes it: reserve-or-fail)
   */
  static String pick(String id, Predicate<String> taken) {
    for (int i = 0; i < 16; i++) {
      String n =
          ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size()))
              + "_"
              + NOUNS.get(RANDOM.nextInt(NOUNS.size()));
      if (!taken.test(n)) {
        return n;
      }
    }
    return "container_" + id;
  }
}
