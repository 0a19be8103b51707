package org.glasshouse.helper.inspect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;

/**
 * Tells which processes' mount tables may have changed since they were last read, without reading
 * them: each table is read through a descriptor of {@code /proc/PID/mountinfo} that stays open, and
 * the kernel marks such a descriptor {@code POLLERR|POLLPRI} once any mount of its namespace
 * changed after it was opened or last polled ({@code mounts_poll}, fs/proc_namespace.c) — the
 * signal findmnt --poll and systemd wait on. One poll(2) over every container's descriptor replaces
 * a mountinfo read per container per tick: the {@code mounts} topic's cost at 10 Hz was most of a
 * core's 2 % for 20 containers (issue 16).
 *
 * <p>A descriptor watches the namespace and the root the process had when it was opened, so each
 * check also reads the process's {@code ns/mnt} and {@code root} links: a process that entered
 * another mount namespace (setns, unshare) or changed its root (chroot) is reported changed, and
 * its table is read again through a new descriptor. So is a new pid for a key, and any descriptor
 * that poll reports hung up or invalid.
 *
 * <p>Only for the real procfs: a fixture's regular files are never marked, and {@link
 * #forProc(HostFs, Syscalls)} gives null there (callers then read every time). Thread-safe.
 */
public final class MountTableWatch implements AutoCloseable {

  private static final short POLLNVAL = 0x20;

  /** How often each process's {@code ns/mnt} and {@code root} links are read again. */
  static final long LINKS_EVERY_NS = 1_000_000_000L;

  private final HostFs fs;
  private final Syscalls sys;
  private final LongSupplier nanoTime;
  private final Map<String, Held> held = new HashMap<>();

  private record Held(
      long pid, int fd, Optional<String> mntNs, Optional<String> root, long linksNanos) {}

  private MountTableWatch(HostFs fs, Syscalls sys, LongSupplier nanoTime) {
    this.fs = fs;
    this.sys = sys;
    this.nanoTime = nanoTime;
  }

  /**
   * A watch of the processes under {@code fs}'s proc root, or null when that is not the kernel's
   * procfs ({@code /proc}) — a fixture, whose files poll(2) never marks.
   */
  public static MountTableWatch forProc(HostFs fs, Syscalls sys) {
    return forProc(fs, sys, System::nanoTime);
  }

  /** As {@link #forProc(HostFs, Syscalls)} with another clock (tests). */
  static MountTableWatch forProc(HostFs fs, Syscalls sys, LongSupplier nanoTime) {
    return fs.proc().toAbsolutePath().normalize().toString().equals("/proc")
        ? new MountTableWatch(fs, sys, nanoTime)
        : null;
  }

  /**
   * The keys of {@code pids} (key → the process whose table it is) whose table may differ from the
   * one {@link #read} last gave: never read, another pid, or marked by the kernel; and, checked
   * once a second per key ({@link #LINKS_EVERY_NS}), another mount namespace or root, or the
   * process gone. One poll(2) for all keys a call, and two readlinks per key a second: reading the
   * links every call (ten times a second) was about as much as the rest of the mounts topic (issue
   * 16). A process that enters another mount namespace or root without a new pid (setns, unshare,
   * chroot by a running program; the container's start does its own before the process is handed
   * over) has mounts of its new namespace shown up to a second late, as the {@code namespaces}
   * topic's sweep shows such a move.
   */
  public synchronized Set<String> maybeChanged(Map<String, Long> pids) {
    Set<String> out = new HashSet<>();
    List<String> polled = new ArrayList<>();
    long now = nanoTime.getAsLong();
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      Held h = held.get(e.getKey());
      if (h == null || h.pid != e.getValue()) {
        out.add(e.getKey());
        continue;
      }
      if (now - h.linksNanos >= LINKS_EVERY_NS) {
        try {
          if (!h.mntNs.equals(fs.readPidLink(h.pid, "ns/mnt"))
              || !h.root.equals(fs.readPidLink(h.pid, "root"))) {
            out.add(e.getKey());
            continue;
          }
        } catch (ProcessGoneException g) {
          out.add(e.getKey());
          continue;
        }
        held.put(e.getKey(), new Held(h.pid, h.fd, h.mntNs, h.root, now));
      }
      polled.add(e.getKey());
    }
    if (polled.isEmpty()) {
      return out;
    }
    int[] fds = new int[polled.size()];
    for (int i = 0; i < fds.length; i++) {
      fds[i] = held.get(polled.get(i)).fd;
    }
    short[] revents;
    try {
      revents = sys.pollIn(fds, 0);
    } catch (SyscallException e) {
      out.addAll(polled); // cannot tell: read them all
      return out;
    }
    for (int i = 0; i < fds.length; i++) {
      if ((revents[i] & (Syscalls.POLLERR | Syscalls.POLLHUP | POLLNVAL)) != 0) {
        out.add(polled.get(i));
      }
    }
    return out;
  }

  /**
   * Reads {@code /proc/PID/mountinfo} through a new descriptor, which the next {@link
   * #maybeChanged} polls for {@code key} (the previous one is closed).
   *
   * @throws ProcessGoneException when the process is gone (nothing is held for the key then)
   */
  public synchronized String read(String key, long pid) throws ProcessGoneException {
    forget(key);
    // The links first: a change between them and the open is seen as a change on the next check.
    long now = nanoTime.getAsLong();
    Optional<String> mntNs = fs.readPidLink(pid, "ns/mnt");
    Optional<String> root = fs.readPidLink(pid, "root");
    String path = fs.pidDir(pid).resolve("mountinfo").toString();
    int fd;
    try {
      fd = sys.open(path, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
    } catch (SyscallException e) {
      throw new ProcessGoneException(pid, e);
    }
    try {
      ByteArrayOutputStream text = new ByteArrayOutputStream(8192);
      byte[] chunk = new byte[16384];
      int r;
      while ((r = sys.read(fd, chunk)) > 0) {
        text.write(chunk, 0, r);
      }
      held.put(key, new Held(pid, fd, mntNs, root, now));
      return text.toString(StandardCharsets.UTF_8);
    } catch (SyscallException e) {
      closeQuietly(fd);
      throw new ProcessGoneException(pid, e);
    }
  }

  /** Closes the descriptor held for {@code key}, if any. */
  public synchronized void forget(String key) {
    Held h = held.remove(key);
    if (h != null) {
      closeQuietly(h.fd);
    }
  }

  /** Closes the descriptors of every key not in {@code keys}. */
  public synchronized void retainOnly(Collection<String> keys) {
    for (String k : List.copyOf(held.keySet())) {
      if (!keys.contains(k)) {
        forget(k);
      }
    }
  }

  /** Descriptors held (for tests). */
  synchronized int heldCount() {
    return held.size();
  }

  @Override
  public synchronized void close() {
    retainOnly(Set.of());
  }

  private void closeQuietly(int fd) {
    try {
      sys.close(fd);
    } catch (SyscallException e) {
      // Nothing to do about a failed close of a read-only descriptor.
    }
  }
}
