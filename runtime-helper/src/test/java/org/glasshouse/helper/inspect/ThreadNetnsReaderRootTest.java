package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.glasshouse.Await;
import org.glasshouse.helper.linux.JnaNetlinkCalls;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.linux.NetlinkCalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A read begun on its own thread ({@link NetnsReader#begin}) while inspect reads the rest:
 * finished, it answers what {@link NetnsReader#read} does; let go without finishing (the process
 * vanished while the rest was read), its socket is still closed.
 */
@Tag("root")
@EnabledOnOs(OS.LINUX)
class ThreadNetnsReaderRootTest {

  /** The real calls, remembering which sockets are open. */
  private static final class Counting implements NetlinkCalls {
    final NetlinkCalls real = new JnaNetlinkCalls();
    final Set<Integer> open = ConcurrentHashMap.newKeySet();
    final AtomicInteger opened = new AtomicInteger();

    @Override
    public int open() throws SyscallException {
      int fd = real.open();
      open.add(fd);
      opened.incrementAndGet();
      return fd;
    }

    @Override
    public void send(int fd, byte[] message) throws SyscallException {
      real.send(fd, message);
    }

    @Override
    public byte[] receive(int fd) throws SyscallException {
      return real.receive(fd);
    }

    @Override
    public void close(int fd) {
      open.remove(fd);
      real.close(fd);
    }

    @Override
    public String strerror(int errno) {
      return real.strerror(errno);
    }
  }

  private final Counting nl = new Counting();
  private final ThreadNetnsReader reader = new ThreadNetnsReader("/proc", new JnaSyscalls(), nl);
  private final long self = ProcessHandle.current().pid();

  @BeforeEach
  void requireRoot() {
    TestSupport.requireRoot("setns() into a process's namespaces");
  }

  @Test
  void aBegunReadFinishesAsAReadAndClosesItsSocket() throws Exception {
    NetnsReader.View direct = reader.read(self);
    try (NetnsReader.Pending p = reader.begin(self)) {
      NetnsReader.View begun = p.finish();
      assertEquals(direct.hostname(), begun.hostname());
      assertEquals(
          direct.links().stream().map(l -> l.name()).toList(),
          begun.links().stream().map(l -> l.name()).toList());
      assertThrows(IllegalStateException.class, p::finish);
    }
    assertEquals(Set.of(), nl.open);
  }

  @Test
  void aBegunReadLetGoClosesItsSocketWhenItsThreadIsDone() throws Exception {
    int reads = 20;
    for (int i = 0; i < reads; i++) {
      reader.begin(self).close();
    }
    // Empty alone is not enough: a thread that has not yet opened its socket leaves the set
    // empty too. Every let-go read opens one socket (the process is this one) and must close it.
    Await.until(
        "the let-go reads' sockets opened and closed",
        Duration.ofSeconds(5),
        Duration.ofMillis(10),
        () -> nl.opened.get() == reads && nl.open.isEmpty());
    assertEquals(Set.of(), nl.open);
  }

  @Test
  void aReadOfAProcessThatIsGoneSaysSo() {
    assertThrows(ProcessGoneException.class, () -> reader.begin(Integer.MAX_VALUE + 1L).finish());
    assertEquals(Set.of(), nl.open);
  }
}
