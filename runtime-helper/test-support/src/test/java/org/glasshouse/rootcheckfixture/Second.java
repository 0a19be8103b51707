package org.glasshouse.rootcheckfixture;

/** A second answer to "am I root", which OneRootCheck must name. */
public final class Second {
  private Second() {}

  public static boolean isRoot() {
    return true;
  }
}
