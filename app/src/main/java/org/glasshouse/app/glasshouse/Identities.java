package org.glasshouse.app.glasshouse;

import java.util.HashMap;
import java.util.Map;

/**
 * Names namespaces for the picture: every namespace the session sees gets a number in order of
 * first sight, which gives its wall a colour (one of {@link #COLOURS}), a pattern (plain, dashed or
 * dotted stripe, once the colours have all been used) and a letter (A, B, …), so two containers in
 * the same namespace show the same colour and the same letter, and a colour-blind viewer reads the
 * letter. A wall known only from the step log (its inode not read yet, or the container gone) gets
 * a provisional number that its inode inherits once read, so the colour does not jump.
 */
public final class Identities {
  /** Distinct wall colours (the Okabe–Ito palette without black); numbers cycle through them. */
  public static final int COLOURS = 7;

  private final Map<Long, Integer> byInode = new HashMap<>();
  private final Map<String, Integer> provisional = new HashMap<>();
  private int next = 1;

  /** The number of the namespace with this inode, assigned at first sight. */
  public int of(long inode) {
    return byInode.computeIfAbsent(inode, k -> next++);
  }

  /**
   * The number of {@code container}'s wall of {@code type}: its inode's when known (inheriting the
   * provisional number the wall had before), else a provisional one.
   */
  public int of(String container, NsType type, Long inode) {
    String key = container + "/" + type.wire();
    if (inode == null) {
      return provisional.computeIfAbsent(key, k -> next++);
    }
    Integer known = byInode.get(inode);
    if (known != null) {
      return known;
    }
    Integer before = provisional.get(key);
    int n = before != null ? before : next++;
    byInode.put(inode, n);
    return n;
  }

  /** The colour slot of a number: 0 … {@link #COLOURS}-1. */
  public static int colour(int number) {
    return (number - 1) % COLOURS;
  }

  /**
   * Patterns that tell apart two namespaces whose numbers share a colour: solid, dashed, dotted.
   */
  public static final int PATTERNS = 3;

  /**
   * The pattern slot of a number: 0 (a plain band) for the first {@link #COLOURS} numbers, then 1
   * (a dashed stripe along the band), then 2 (dotted), so colour and pattern together repeat only
   * after {@code COLOURS * PATTERNS} namespaces; the letter never repeats.
   */
  public static int pattern(int number) {
    return ((number - 1) / COLOURS) % PATTERNS;
  }

  /** The letter of a number: A … Z, then AA, AB … */
  public static String letter(int number) {
    StringBuilder b = new StringBuilder();
    int n = number;
    while (n > 0) {
      n--;
      b.insert(0, (char) ('A' + n % 26));
      n /= 26;
    }
    return b.toString();
  }
}
