package org.glasshouse.rootcheckfixture;

/** Stands for the product's one answer to "am I root" in OneRootCheckTest. */
public final class Answer {
  private Answer() {}

  public static boolean runningAsRoot() {
    return false;
  }
}
