package org.glasshouse.app.glasshouse;

/**
 * Names namespaces for the picture from their identity, the inode the kernel gave them ({@code
 * readlink /proc/PID/ns/uts} → {@code uts:[4026532178]}): its wall's colour (one of {@link
 * #COLOURS}), pattern (plain, dashed or dotted stripe) and two-letter label are functions of the
 * inode alone. The same namespace therefore keeps its label across refreshes, containers, orders of
 * first sight and restarts of the app, and two containers in one namespace show the same colour and
 * the same letters; a colour-blind viewer reads the letters and the pattern.
 *
 * <p>The kernel hands out namespace inodes from one counter that reuses the lowest free number, so
 * the namespaces alive on a machine have nearby inodes, and the ones a container makes at start are
 * consecutive. Hence: the colour is the inode modulo 7 (seven consecutive namespaces, more than a
 * container makes, never share a colour), the pattern changes every 7 inodes (colour and pattern
 * together repeat every 21), and the letters are a permutation of the inode modulo 676 = 26 × 26
 * (no two namespaces within 676 consecutive inodes share letters; the permutation makes the letters
 * of neighbours differ in both places: AA, FB, KC … rather than AA, AB, AC …). A wall the container
 * has but whose inode is not read yet (from the step log alone) has no identity yet: no letters,
 * the colour of its type, until the inode arrives.
 */
public final class Identities {
  /** Distinct wall colours (the Okabe–Ito palette without black). */
  public static final int COLOURS = 7;

  /** Patterns that tell apart two namespaces sharing a colour: solid, dashed, dotted. */
  public static final int PATTERNS = 3;

  /** How many two-letter labels there are. */
  static final int LABELS = 26 * 26;

  /** Steps the label through its 676 values, coprime with 676 (= 5 × 26 + 1). */
  private static final int STRIDE = 131;

  private Identities() {}

  /** The colour slot of a namespace: 0 … {@link #COLOURS}-1. */
  public static int colour(long inode) {
    return (int) Math.floorMod(inode, (long) COLOURS);
  }

  /**
   * The colour slot of a wall whose inode is not read yet: its type's, so it does not change with
   * the order walls are seen in.
   */
  public static int colour(NsType type) {
    return type.ordinal() % COLOURS;
  }

  /** The pattern slot of a namespace: 0 (plain band), 1 (dashed stripe) or 2 (dotted). */
  public static int pattern(long inode) {
    return (int) Math.floorMod(Math.floorDiv(inode, (long) COLOURS), (long) PATTERNS);
  }

  /** The label's index, 0 … 675: a permutation of the inode modulo 676. */
  static int code(long inode) {
    return (int) Math.floorMod(Math.floorMod(inode, (long) LABELS) * STRIDE, (long) LABELS);
  }

  /** The two letters of a namespace, AA … ZZ. */
  public static String letter(long inode) {
    int c = code(inode);
    return new String(new char[] {(char) ('A' + c / 26), (char) ('A' + c % 26)});
  }
}
