package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.linux.Syscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KernelThreadLinks} on a fixture proc root, its pidfds and their poll faked: a kernel
 * thread's links are kept while its pidfd says it lives; an exit (its pid perhaps another process's
 * now) is read afresh in that very scan; any other process is read on every scan.
 */
class KernelThreadLinksTest {

  @TempDir Path tmp;

  /** pidfd → revents the next poll gives; closes seen. */
  private final Map<Integer, Short> revents = new HashMap<>();

  private final List<Integer> closed = new ArrayList<>();
  private int pidfdsOpened;

  private Syscalls fakeSys() {
    return (Syscalls)
        Proxy.newProxyInstance(
            Syscalls.class.getClassLoader(),
            new Class<?>[] {Syscalls.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "pidfdOpen" -> {
                    pidfdsOpened++;
                    yield (int) (1000 + (long) args[0]);
                  }
                  case "pollIn" -> {
                    int[] fds = (int[]) args[0];
                    short[] r = new short[fds.length];
                    for (int i = 0; i < fds.length; i++) {
                      r[i] = revents.getOrDefault(fds[i], (short) 0);
                    }
                    yield r;
                  }
                  case "close" -> {
                    closed.add((Integer) args[0]);
                    yield null;
                  }
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }

  private HostFs fs() {
    return new HostFs(tmp.resolve("proc"), tmp);
  }

  /** A process in the fixture: its stat (kernel thread or not) and its mnt and uts links. */
  private void process(long pid, boolean kernel, long mnt, long uts) throws IOException {
    Path dir = tmp.resolve("proc").resolve(Long.toString(pid));
    Path ns = dir.resolve("ns");
    Files.createDirectories(ns);
    String flags = kernel ? "2129984" : "4194560"; // 0x208040 (PF_KTHREAD), 0x400100
    Files.writeString(
        dir.resolve("stat"), pid + " (k thread) S 2 0 0 0 -1 " + flags + " 0 0 0 0 0 0 0 0\n");
    link(ns.resolve("mnt"), "mnt:[" + mnt + "]");
    link(ns.resolve("uts"), "uts:[" + uts + "]");
  }

  private static void link(Path at, String target) throws IOException {
    Files.deleteIfExists(at);
    Files.createSymbolicLink(at, Path.of(target));
  }

  private static long mnt(List<Namespaces> scan, long pid) {
    return scan.stream().filter(n -> n.pid() == pid).findFirst().orElseThrow().inodes().get("mnt");
  }

  @Test
  void aKernelThreadIsReadOnceWhileItLives() throws IOException {
    process(7, true, 1, 11);
    KernelThreadLinks k = new KernelThreadLinks(fs(), fakeSys());
    assertEquals(1, mnt(k.scan(List.of(7L)), 7));
    assertEquals(1, k.heldCount());
    // The fixture changes under a live kernel thread (which no program can make happen): the kept
    // reading shows that nothing was read.
    link(tmp.resolve("proc/7/ns/mnt"), "mnt:[2]");
    assertEquals(1, mnt(k.scan(List.of(7L)), 7));
    assertEquals(1, pidfdsOpened);
    assertEquals(List.of(), closed);
  }

  @Test
  void aKernelThreadThatExitedIsReadAfreshInThatScanWhoeverHasItsPidNow() throws IOException {
    process(7, true, 1, 11);
    KernelThreadLinks k = new KernelThreadLinks(fs(), fakeSys());
    k.scan(List.of(7L));
    // It exits, and pid 7 is a user process's in other namespaces now.
    process(7, false, 2, 12);
    revents.put(1007, Syscalls.POLLIN);
    assertEquals(2, mnt(k.scan(List.of(7L)), 7));
    assertEquals(List.of(1007), closed);
    assertEquals(0, k.heldCount());
    // Told again as a user process: read every scan from now on, never kept.
    revents.clear();
    assertEquals(2, mnt(k.scan(List.of(7L)), 7));
    link(tmp.resolve("proc/7/ns/mnt"), "mnt:[3]");
    assertEquals(3, mnt(k.scan(List.of(7L)), 7));
    assertEquals(0, k.heldCount());
  }

  @Test
  void aKernelThreadThatExitedAndLeftNoProcessIsLeftOut() throws IOException {
    process(7, true, 1, 11);
    process(8, false, 5, 15);
    KernelThreadLinks k = new KernelThreadLinks(fs(), fakeSys());
    k.scan(List.of(7L, 8L));
    Files.walk(tmp.resolve("proc/7"))
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    revents.put(1007, Syscalls.POLLIN);
    List<Namespaces> scan = k.scan(List.of(7L, 8L));
    assertEquals(List.of(8L), scan.stream().map(Namespaces::pid).toList());
  }

  @Test
  void anyOtherProcessIsReadOnEveryScan() throws IOException {
    process(9, false, 1, 11);
    KernelThreadLinks k = new KernelThreadLinks(fs(), fakeSys());
    assertEquals(1, mnt(k.scan(List.of(9L)), 9));
    // setns or unshare by a running program: no event, no exec; the next scan shows it.
    link(tmp.resolve("proc/9/ns/mnt"), "mnt:[4]");
    assertEquals(4, mnt(k.scan(List.of(9L)), 9));
    assertEquals(0, k.heldCount());
    assertEquals(1, pidfdsOpened); // its kind was told once
    assertTrue(closed.contains(1009));
  }
}
