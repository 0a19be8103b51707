package org.glasshouse.rootcheckfixture;

/** No root check: an instance method and a non-boolean one by the name are not the rule's. */
public final class Bystander {
  public boolean isRoot() {
    return false;
  }

  public static String runsAsRoot() {
    return "no";
  }
}
