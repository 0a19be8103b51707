package org.glasshouse.helper.inspect;

import java.io.IOException;
import java.util.List;
import org.glasshouse.helper.linux.JnaNetlinkCalls;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.netlink.NlParser;

/**
 * What a process sees of its network and UTS namespaces: its hostname, its links and their
 * addresses. A seam: {@link #system()} enters the namespaces on a throwaway thread and asks the
 * kernel over rtnetlink ({@link ThreadNetnsReader}); tests answer with fixtures.
 */
@FunctionalInterface
public interface NetnsReader {

  /**
   * What {@code pid} sees.
   *
   * @throws ProcessGoneException the process (and so its namespace links) is gone
   * @throws IOException the namespaces could not be entered or the kernel not asked, with the call
   *     and its errno in the message
   */
  View read(long pid) throws ProcessGoneException, IOException;

  /**
   * Begins a {@link #read} whose slow part (a thread of its own entering the namespaces) runs while
   * the caller does other work; {@link Pending#finish()} waits for it. This one reads at {@code
   * finish()}.
   */
  default Pending begin(long pid) {
    return () -> read(pid);
  }

  /** A read begun by {@link #begin}: finish it, or close it to let it go. */
  @FunctionalInterface
  interface Pending extends AutoCloseable {

    /** What {@link #read} answers; at most once. */
    View finish() throws ProcessGoneException, IOException;

    /** Lets go of a read not finished (its socket is closed when its thread is done). */
    @Override
    default void close() {}
  }

  /**
   * What a thread inside the namespaces read.
   *
   * @param hostname the UTS namespace's nodename (uname -n)
   * @param links every link, as the kernel dumped them (ifindex order)
   * @param addresses every address of every family, as dumped (IPv4 first, then IPv6)
   */
  record View(String hostname, List<NlParser.Link> links, List<NlParser.Address> addresses) {
    /** Immutable copies. */
    public View {
      links = List.copyOf(links);
      addresses = List.copyOf(addresses);
    }
  }

  /** The real one: setns() on a thread of its own, rtnetlink on the real kernel. */
  static NetnsReader system() {
    return new ThreadNetnsReader("/proc", new JnaSyscalls(), new JnaNetlinkCalls());
  }
}
