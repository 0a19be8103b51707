package org.glasshouse.app.mounts;

/**
 * What the diff says about one mount of either tree. Each mark has a word for the row, so the
 * meaning never rests on colour alone, and a pseudo-class for the styles.
 */
public enum Mark {
  /** The container and the host see this same mount at the same place. */
  SHARED("", "", null),
  /** Only the container's table has it: made in (or copied into) its own mount namespace. */
  ONLY_CONTAINER("only in the container", "only here", "only-container"),
  /** A host mount the container does not see (outside its root, or not in its namespace). */
  NOT_IN_CONTAINER("not seen by the container", "not seen", "not-in-container"),
  /**
   * A mount a container made that sits in the host's own table: the container shares the host's
   * mount namespace (level 01).
   */
  LEAKED("leaked into the host", "leaked", "leaked");

  private final String label;
  private final String word;
  private final String pseudoClass;

  Mark(String label, String word, String pseudoClass) {
    this.label = label;
    this.word = word;
    this.pseudoClass = pseudoClass;
  }

  /** The short word for it in a narrow column ("leaked", "only here", "not seen"). */
  public String word() {
    return word;
  }

  /** The word for it in a row ("" for a shared mount). */
  public String label() {
    return label;
  }

  /** The CSS pseudo-class of a row with this mark, or null. */
  public String pseudoClass() {
    return pseudoClass;
  }
}
