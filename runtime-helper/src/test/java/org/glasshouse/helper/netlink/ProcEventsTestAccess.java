package org.glasshouse.helper.netlink;

/** {@link ProcEventsTest}'s datagrams for tests of other packages. */
public final class ProcEventsTestAccess {
  private ProcEventsTestAccess() {}

  /** An event datagram as the kernel sends it. */
  public static byte[] event(int what, int... words) {
    return ProcEventsTest.event(what, words);
  }
}
