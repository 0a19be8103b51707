package org.glasshouse.helper.inspect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.helper.linux.Errno;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;

/**
 * The namespace links of the machine's kernel threads, kept between namespace scans ({@link
 * Inspector#scanNamespaces}): on this 2-core VM 61 of the 92-131 processes {@code /proc} lists are
 * kernel threads, and a scan read ten links of each on every {@code inspect} (issue 16).
 *
 * <p>Why keeping them is right: a process's namespaces change only by its own {@code setns(2)} or
 * {@code unshare(2)} (or a new process: another pid or another process behind the pid), and no
 * program can make a kernel thread call either; the kernel's own threads that unshare (kdevtmpfs,
 * its mount namespace) do so as they start, before the pid is listed. Every other process — a user
 * process, and one whose kind cannot be told — is read afresh on every scan, as before.
 *
 * <p>Why the pid cannot be another process's meanwhile: each kept thread is held by a pidfd ({@code
 * pidfd_open(2)}), which names that very process and becomes readable when it exits. One {@code
 * poll(2)} over them after each scan finds the threads that exited; their pids are read afresh in
 * that scan (whatever holds the pid now) and forgotten.
 *
 * <p>Per process and scan: a kept kernel thread costs no system call, any other process its ten
 * links as before; a pid seen for the first time its pidfd and its {@code stat} (the {@code
 * PF_KTHREAD} flag) more; and one {@code poll(2)} over the kept threads' pidfds a scan (at most
 * {@value #MAX_HELD}). Without pidfds (a kernel before 5.3, a seccomp filter) nothing is kept.
 * Thread-safe.
 */
final class KernelThreadLinks {

  /** {@code PF_KTHREAD} in the flags of {@code /proc/PID/stat}. */
  private static final long PF_KTHREAD = 0x00200000L;

  /** At most this many processes are held (descriptors); beyond, they are read each time. */
  static final int MAX_HELD = 4096;

  /** A kernel thread held by its pidfd, and its links. */
  private record Held(int pidfd, Namespaces namespaces) {}

  private final HostFs fs;
  private final Syscalls sys;
  private final Map<Long, Held> held = new HashMap<>();

  /**
   * Pids told to be another kind of process (read every scan, as before): not asked again while
   * listed. Should such a pid become a kernel thread's, that one is merely not kept.
   */
  private Set<Long> others = new HashSet<>();

  private boolean noPidfds;

  KernelThreadLinks(HostFs fs, Syscalls sys) {
    this.fs = fs;
    this.sys = sys;
  }

  /** The one of this JVM for the real {@code /proc}; null when it cannot be had. */
  static KernelThreadLinks real() {
    return Shared.INSTANCE;
  }

  /** Bound on first use only: a fixture's inspector never loads JNA for it. */
  private static final class Shared {
    static final KernelThreadLinks INSTANCE = make();

    private static KernelThreadLinks make() {
      try {
        return new KernelThreadLinks(HostFs.real(), new JnaSyscalls());
      } catch (RuntimeException | LinkageError e) {
        return null;
      }
    }
  }

  /**
   * The namespaces of each of {@code pids} (those that exit meanwhile are left out), in their
   * order.
   */
  synchronized List<Namespaces> scan(List<Long> pids) {
    List<Namespaces> out = new ArrayList<>(pids.size());
    Map<Long, Integer> fromHeld = new HashMap<>();
    Set<Long> otherNow = new HashSet<>();
    for (long p : pids) {
      Held h = held.get(p);
      if (h != null) {
        fromHeld.put(p, out.size());
        out.add(h.namespaces());
        continue;
      }
      try {
        out.add(read(p, otherNow));
      } catch (ProcessGoneException e) {
        // Exited while we looked: not a sharer any more.
      }
    }
    others = otherNow;
    // Threads that exited before the poll: their pid is read again, whoever has it now.
    List<Long> gone = exited();
    if (gone.isEmpty()) {
      return out;
    }
    boolean removed = false;
    for (long p : gone) {
      Integer i = fromHeld.get(p);
      if (i == null) {
        continue;
      }
      try {
        out.set(i, Namespaces.read(fs, p));
      } catch (ProcessGoneException e) {
        out.set(i, null);
        removed = true;
      }
    }
    if (removed) {
      out.removeIf(n -> n == null);
    }
    return out;
  }

  /** Kernel threads whose links are kept (for tests and the benchmark). */
  synchronized int heldCount() {
    return held.size();
  }

  /**
   * Reads {@code p}'s links; a process seen for the first time is told by its {@code stat}: a
   * kernel thread is held with its links, any other remembered in {@code otherNow} while it is
   * listed.
   */
  private Namespaces read(long p, Set<Long> otherNow) throws ProcessGoneException {
    if (others.contains(p) || noPidfds || held.size() >= MAX_HELD) {
      otherNow.add(p);
      return Namespaces.read(fs, p);
    }
    int fd;
    try {
      fd = sys.pidfdOpen(p);
    } catch (SyscallException e) {
      if (e.errno() != Errno.ESRCH) { // this one exited; anything else: none will open
        noPidfds = true;
      }
      return Namespaces.read(fs, p);
    }
    boolean keep = false;
    try {
      // The pidfd first: whatever the links and flags below describe is that process, or it
      // exited and the poll after this scan says so.
      boolean kernel = kernelThread(p);
      Namespaces ns = Namespaces.read(fs, p);
      if (kernel && !ns.inodes().isEmpty()) {
        held.put(p, new Held(fd, ns));
        keep = true;
      } else {
        otherNow.add(p);
      }
      return ns;
    } finally {
      if (!keep) {
        close(fd);
      }
    }
  }

  /** Whether {@code stat}'s flags say kernel thread. */
  private boolean kernelThread(long p) throws ProcessGoneException {
    String stat = fs.readPidFile(p, "stat");
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return false;
    }
    String[] f = stat.substring(close + 1).trim().split(" ");
    if (f.length < 7) {
      return false;
    }
    try {
      return (Long.parseLong(f[6]) & PF_KTHREAD) != 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Forgets (and closes) the held threads that exited; their pids. */
  private List<Long> exited() {
    if (held.isEmpty()) {
      return List.of();
    }
    List<Long> pids = new ArrayList<>(held.keySet());
    int[] fds = new int[pids.size()];
    for (int i = 0; i < fds.length; i++) {
      fds[i] = held.get(pids.get(i)).pidfd();
    }
    short[] revents;
    try {
      revents = sys.pollIn(fds, 0);
    } catch (SyscallException e) {
      revents = null; // cannot tell: forget them all, the next scan reads them again
    }
    List<Long> gone = new ArrayList<>();
    for (int i = 0; i < fds.length; i++) {
      if (revents == null || revents[i] != 0) {
        gone.add(pids.get(i));
        held.remove(pids.get(i));
        close(fds[i]);
      }
    }
    return gone;
  }

  private void close(int fd) {
    try {
      sys.close(fd);
    } catch (SyscallException e) {
      // A pidfd whose close failed is gone all the same.
    }
  }
}
